"""Services that are down, hung or cut off from their infrastructure answer 503 with
Retry-After, in bounded time, never 500."""

import time

import kombu
import pytest
import requests

from hrss_kit.rpc import RPC_EXCHANGE

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("broken", ["redis", "database"])
def test_a_service_whose_redis_or_database_is_down_answers_503_with_retry_after(
    start_gateway, identity_on, registration, broken
):
    identity_on(**{broken: "closed"})
    gateway = start_gateway(RETRY_AFTER_SECONDS=7)

    response = requests.post(f"{gateway}/api/v1/registrations", json=registration(), timeout=20)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert response.headers["Retry-After"] == "7"


def test_the_same_service_with_its_infrastructure_up_registers(start_gateway, identity_on, registration):
    identity_on()
    gateway = start_gateway()

    response = requests.post(f"{gateway}/api/v1/registrations", json=registration(), timeout=20)

    assert response.status_code == 201


def test_health_names_a_service_whose_database_is_down(start_gateway, identity_on):
    identity_on(database="closed")
    gateway = start_gateway()

    response = requests.get(f"{gateway}/healthz", timeout=10)

    assert response.status_code == 503
    assert response.json()["services"]["identity"] == "unavailable"


def test_health_is_503_within_3_seconds_when_a_queue_exists_but_nobody_consumes_it(start_gateway, rabbit_config):
    # As after identity hangs or dies: its queue stays, requests pile up unanswered.
    with kombu.Connection(rabbit_config["AMQP_URI"]) as connection:
        queue = kombu.Queue("rpc-identity", exchange=RPC_EXCHANGE, routing_key="identity.*", durable=True)
        queue(connection.default_channel).declare()
    gateway = start_gateway()

    started = time.monotonic()
    response = requests.get(f"{gateway}/healthz", timeout=20)
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["services"]["identity"] == "unavailable"
    assert elapsed < 3, f"/healthz took {elapsed:.1f} s"


def test_a_registration_is_503_at_once_while_identity_does_not_answer_its_pings(
    start_gateway, rabbit_config, registration
):
    # identity is down, its queue stays: without the liveness watch each request waits 15 s.
    with kombu.Connection(rabbit_config["AMQP_URI"]) as connection:
        queue = kombu.Queue("rpc-identity", exchange=RPC_EXCHANGE, routing_key="identity.*", durable=True)
        queue(connection.default_channel).declare()
    gateway = start_gateway()
    time.sleep(2.5)  # one ping went unanswered

    started = time.monotonic()
    response = requests.post(f"{gateway}/api/v1/registrations", json=registration(), timeout=20)
    elapsed = time.monotonic() - started

    assert response.status_code == 503 and response.headers["Retry-After"]
    assert elapsed < 1, f"the registration took {elapsed:.1f} s"


def test_a_service_that_answers_again_is_called_again(start_gateway, identity_on, rabbit_config, registration):
    with kombu.Connection(rabbit_config["AMQP_URI"]) as connection:
        queue = kombu.Queue("rpc-identity", exchange=RPC_EXCHANGE, routing_key="identity.*", durable=True)
        queue(connection.default_channel).declare()
    gateway = start_gateway()
    time.sleep(2.5)
    assert requests.post(f"{gateway}/api/v1/registrations", json=registration(), timeout=20).status_code == 503
    identity_on()
    deadline = time.monotonic() + 5
    while requests.post(f"{gateway}/api/v1/registrations", json=registration(), timeout=20).status_code != 201:
        assert time.monotonic() < deadline, "identity is up but the gateway still refuses"
        time.sleep(0.2)
