"""The rate limits against the real Redis (DB 15, keys under a random prefix), on their own
and through a gateway in front of a scripted identity."""

import time
import uuid

import pytest
import redis
import requests

from hrss_contracts.errors import CatalogueError
from hrss_contracts.examples import random_uscc
from hrss_gateway.errors import RateLimited
from hrss_gateway.limits import Limits, LimitSettings

pytestmark = pytest.mark.integration

REGISTRATIONS = "/api/v1/registrations"


@pytest.fixture
def client(redis_url):
    connection = redis.Redis.from_url(redis_url, decode_responses=True)
    yield connection
    connection.close()


@pytest.fixture
def limits_for(client):
    """``limits_for(**settings)`` → ``Limits`` on the real Redis under a new prefix."""
    prefixes = []

    def make(**settings):
        prefixes.append(f"test:{uuid.uuid4().hex}")
        return Limits(client, LimitSettings(prefix=prefixes[-1], **settings))

    yield make
    for prefix in prefixes:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def attempt(limits, uscc, outcome=None):
    """One registration attempt through the per-USCC limit, answered ``outcome`` (a code)."""
    with limits.registration_attempt(uscc):
        if outcome:
            raise CatalogueError(outcome)


def attempt_expecting_error(limits, uscc, outcome):
    with pytest.raises(CatalogueError):
        attempt(limits, uscc, outcome)


# Limits on their own


def test_the_address_limit_allows_its_number_of_posts_then_says_when_to_return(limits_for):
    limits = limits_for(posts_per_address=3, posts_window=60)
    for _ in range(3):
        limits.check_address("203.0.113.7")

    with pytest.raises(RateLimited) as refused:
        limits.check_address("203.0.113.7")

    assert refused.value.code == "TOO_MANY_REQUESTS" and refused.value.status == 429
    assert 1 <= refused.value.retry_after <= 60
    limits.check_address("203.0.113.8")  # another address has its own count


def test_the_address_window_ends_and_the_count_starts_again(limits_for):
    limits = limits_for(posts_per_address=1, posts_window=1)
    limits.check_address("203.0.113.9")
    with pytest.raises(RateLimited):
        limits.check_address("203.0.113.9")

    time.sleep(1.2)

    limits.check_address("203.0.113.9")


def test_five_422s_for_a_code_refuse_the_sixth_attempt_but_not_another_code(limits_for):
    limits = limits_for(rejections_per_uscc=5, rejections_window=3600)
    uscc = random_uscc()
    for outcome in ["REGISTRATION_MISMATCH"] * 3 + ["ENTERPRISE_NOT_VERIFIED"] * 2:
        attempt_expecting_error(limits, uscc, outcome)

    with pytest.raises(RateLimited) as refused:
        attempt(limits, uscc)

    assert refused.value.code == "REGISTRATION_ATTEMPTS_EXCEEDED" and refused.value.status == 429
    assert 3590 <= refused.value.retry_after <= 3600
    attempt(limits, random_uscc())


@pytest.mark.parametrize("outcome", [None, "LEGAL_ACCOUNT_EXISTS", "REGISTRATION_IN_PROGRESS", "SERVICE_UNAVAILABLE"])
def test_answers_other_than_422_are_not_counted(limits_for, outcome):
    limits = limits_for(rejections_per_uscc=2)
    uscc = random_uscc()
    for _ in range(5):
        if outcome:
            attempt_expecting_error(limits, uscc, outcome)
        else:
            attempt(limits, uscc)

    attempt_expecting_error(limits, uscc, "REGISTRATION_MISMATCH")
    attempt_expecting_error(limits, uscc, "REGISTRATION_MISMATCH")
    with pytest.raises(RateLimited):
        attempt(limits, uscc)


def test_the_uscc_window_slides_so_an_old_422_stops_counting(limits_for):
    limits = limits_for(rejections_per_uscc=2, rejections_window=4)
    uscc = random_uscc()
    attempt_expecting_error(limits, uscc, "REGISTRATION_MISMATCH")
    time.sleep(2)
    attempt_expecting_error(limits, uscc, "REGISTRATION_MISMATCH")
    with pytest.raises(RateLimited) as refused:
        attempt(limits, uscc)
    assert 1 <= refused.value.retry_after <= 2  # when the first 422 leaves the window, not the second

    time.sleep(refused.value.retry_after + 0.2)

    attempt(limits, uscc)  # one 422 left in the window


def test_attempts_in_flight_hold_their_place_so_parallel_ones_cannot_overrun(limits_for):
    limits = limits_for(rejections_per_uscc=2)
    uscc = random_uscc()
    with limits.registration_attempt(uscc), limits.registration_attempt(uscc), pytest.raises(RateLimited):
        attempt(limits, uscc)

    attempt(limits, uscc)  # both ended without a 422: their places are given back


def test_with_redis_down_the_address_limit_lets_posts_through_and_the_uscc_limit_answers_503():
    dead = redis.Redis(port=1, socket_connect_timeout=0.5, decode_responses=True)  # nobody listens on port 1
    limits = Limits(dead, LimitSettings(posts_per_address=1))

    limits.check_address("203.0.113.10")
    limits.check_address("203.0.113.10")
    with pytest.raises(CatalogueError) as refused:
        attempt(limits, random_uscc())

    assert refused.value.code == "SERVICE_UNAVAILABLE" and not isinstance(refused.value, RateLimited)


# Through the gateway


def test_through_the_gateway_the_sixth_attempt_after_five_mismatches_is_429_without_reaching_identity(
    start_gateway, scripted_services, registration
):
    gateway = start_gateway()
    uscc = random_uscc()
    answers = [
        requests.post(f"{gateway}{REGISTRATIONS}", json=registration(uscc=uscc, name="mismatch"), timeout=10)
        for _ in range(5)
    ]
    assert [a.status_code for a in answers] == [422] * 5

    sixth = requests.post(f"{gateway}{REGISTRATIONS}", json=registration(uscc=uscc), timeout=10)
    other = requests.post(f"{gateway}{REGISTRATIONS}", json=registration(), timeout=10)

    assert sixth.status_code == 429
    assert sixth.json()["error"] == {
        "code": "REGISTRATION_ATTEMPTS_EXCEEDED",
        "message": "该统一社会信用代码注册尝试次数过多,请稍后再试!",
    }
    assert 3590 <= int(sixth.headers["Retry-After"]) <= 3600
    assert scripted_services.count(uscc) == 5
    assert other.status_code == 201


def test_through_the_gateway_409s_do_not_count_towards_the_uscc_limit(start_gateway, scripted_services, registration):
    gateway = start_gateway(REGISTRATION_REJECTIONS=2)
    uscc = random_uscc()

    statuses = [
        requests.post(f"{gateway}{REGISTRATIONS}", json=registration(uscc=uscc, name=name), timeout=10).status_code
        for name in ["exists", "exists", "exists", "mismatch", "unknown", "exists"]
    ]

    assert statuses == [409, 409, 409, 422, 422, 429]


def test_through_the_gateway_posts_past_the_address_limit_are_429_and_other_requests_are_not(
    start_gateway, scripted_services, registration
):
    gateway = start_gateway(RATE_LIMIT_POSTS=3, RATE_LIMIT_POSTS_WINDOW=60)
    spoofed = {"X-Forwarded-For": "198.51.100.1"}  # no trusted proxy: not believed

    statuses = [
        requests.post(f"{gateway}{REGISTRATIONS}", json=registration(), headers=spoofed, timeout=10).status_code
        for _ in range(3)
    ]
    fourth = requests.post(f"{gateway}{REGISTRATIONS}", json=registration(), timeout=10)
    invalid = requests.post(f"{gateway}{REGISTRATIONS}", json={}, timeout=10)
    health = requests.get(f"{gateway}/healthz", timeout=10)

    assert statuses == [201, 201, 201]
    assert fourth.status_code == invalid.status_code == 429
    assert fourth.json()["error"] == {"code": "TOO_MANY_REQUESTS", "message": "请求过于频繁,请稍后再试!"}
    assert 1 <= int(fourth.headers["Retry-After"]) <= 60
    assert len(scripted_services) == 3
    assert health.status_code == 200


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(start_gateway, scripted_services, registration):
    gateway = start_gateway(RATE_LIMIT_POSTS=1, TRUSTED_PROXIES="127.0.0.1")

    def post(client):
        headers = {"X-Forwarded-For": f"6.6.6.6, {client}"}  # the left hop is the client's own claim
        return requests.post(f"{gateway}{REGISTRATIONS}", json=registration(), headers=headers, timeout=10).status_code

    assert [post("203.0.113.20"), post("203.0.113.21"), post("203.0.113.20")] == [201, 201, 429]


def test_the_upload_limit_counts_per_account_and_says_when_to_return(limits_for):
    limits = limits_for(uploads_per_account=2, uploads_window=3600)
    for _ in range(2):
        with limits.upload_attempt("clerk:one") as kept:
            kept()

    with pytest.raises(RateLimited) as refused, limits.upload_attempt("clerk:one"):
        pass
    with limits.upload_attempt("clerk:another") as kept:  # each account has its own count
        kept()

    assert refused.value.code == "UPLOAD_LIMIT_EXCEEDED" and 3500 < refused.value.retry_after <= 3600


def test_a_refused_upload_gives_its_place_back(limits_for):
    limits = limits_for(uploads_per_account=1, uploads_window=3600)
    for _ in range(3):
        with pytest.raises(CatalogueError), limits.upload_attempt("legal:one"):
            raise CatalogueError("ATTACHMENT_TYPE_NOT_ALLOWED")  # refused before it was kept

    with limits.upload_attempt("legal:one") as kept:
        kept()
    with pytest.raises(RateLimited), limits.upload_attempt("legal:one"):
        pass
