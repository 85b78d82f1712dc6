"""Fixtures of the authorization tests that run real services."""

import pytest

from hrss_kit.rpc_client import StandaloneRpc


@pytest.fixture
def start(container_factory, rabbit_config):
    """``start(ServiceClass, url)``: a running container on the database at ``url``, with quick
    retries and relay polls."""

    def start(service_class, url):
        config = {
            "AMQP_URI": rabbit_config["AMQP_URI"],
            "DATABASE_URL": url,
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
