"""The gateway on its own (no service running behind it): it answers at once, in JSON."""

import pytest
import requests

pytestmark = pytest.mark.integration


@pytest.fixture
def gateway(start_gateway):
    return start_gateway(MAX_BODY_BYTES=2048)


def test_health_is_503_naming_each_service_that_does_not_answer(gateway):
    response = requests.get(f"{gateway}/healthz", timeout=10)
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "services": {
            "enterprise": "unavailable",
            "identity": "unavailable",
            "authorization": "unavailable",
            "business": "unavailable",
        },
    }


def test_a_registration_with_no_identity_service_is_503_at_once_not_a_hang(gateway):
    body = {
        "uscc": "91110000600037341L",
        "name": "甲",
        "legal_rep_name": "乙",
        "legal_rep_id": "360426199101010071",
        "phone": "13800138000",
    }
    response = requests.post(f"{gateway}/api/v1/registrations", json=body, timeout=10)  # the RPC timeout is 15 s
    assert response.status_code == 503
    assert response.json()["error"] == {"code": "SERVICE_UNAVAILABLE", "message": "服务暂时不可用,请稍后再试!"}
    assert response.headers["Retry-After"] == "5"


def test_a_chunked_body_is_read_whole_and_an_oversized_one_refused(gateway):
    small = (b'{"uscc": "bad"}' for _ in range(1))  # a generator makes requests send it chunked
    response = requests.post(
        f"{gateway}/api/v1/registrations", data=small, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 400
    assert "uscc" in response.json()["error"]["fields"]
    big = (b" " * 1024 for _ in range(4))
    response = requests.post(
        f"{gateway}/api/v1/registrations", data=big, headers={"Content-Type": "application/json"}, timeout=10
    )
    assert response.status_code == 413


def test_connections_are_kept_alive_between_requests(gateway):
    with requests.Session() as session:
        first = session.get(f"{gateway}/api/v1/openapi.json", timeout=10)
        second = session.get(f"{gateway}/api/v1/openapi.json", timeout=10)
    assert first.status_code == second.status_code == 200
    assert first.headers.get("Connection", "").lower() != "close"


def test_a_doubled_slash_is_an_unknown_route_not_a_500(gateway):
    response = requests.post(f"{gateway}/api/v1//registrations", json={}, timeout=10, allow_redirects=False)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
