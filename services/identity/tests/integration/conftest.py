"""Fixtures of the identity tests that run real services: each module gives ``urls`` (its
databases, by the name ``start`` takes)."""

import uuid

import pytest

from hrss_kit.rpc_client import StandaloneRpc


@pytest.fixture
def prefix():
    """identity's Redis prefix in this test: sessions, QR sessions and locks of its own."""
    return f"test-identity-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def start(container_factory, rabbit_config, urls, redis_url, prefix, tmp_path):
    """``start(ServiceClass, database)``: a running container on ``urls[database]``, with quick
    retries and relay polls."""

    def start(service_class, database):
        config = {
            "AMQP_URI": rabbit_config["AMQP_URI"],
            "DATABASE_URL": urls[database],
            "REDIS_URL": redis_url,
            "IDENTITY_REDIS_PREFIX": prefix,
            "ESSC_DEV_KEY_DIR": str(tmp_path / "essc"),
            "EVENT_RETRY_BASE_SECONDS": 0.1,
            "EVENT_RETRY_POLL_SECONDS": 0.1,
            "OUTBOX_POLL_SECONDS": 0.2,
        }
        container = container_factory(service_class, config)
        container.start()
        return container

    return start


@pytest.fixture
def rpc(rabbit_config):
    with StandaloneRpc(rabbit_config["AMQP_URI"], timeout=30) as client:
        yield client
