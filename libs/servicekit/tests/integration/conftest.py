import time
import uuid

import pytest
from kit_test_services import producer_metadata, recorder_metadata
from sqlalchemy import create_engine

from hrss_contracts.examples import random_uscc
from hrss_kit.rpc_client import StandaloneRpc


def eventually(check, timeout=10.0, interval=0.02):
    """The value of ``check()`` once truthy; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, "condition not met in time"
            return value
        time.sleep(interval)


@pytest.fixture(scope="module")
def databases(make_database):
    urls = {"producer": make_database("producer"), "recorder": make_database("recorder")}
    for name, metadata in (("producer", producer_metadata), ("recorder", recorder_metadata)):
        engine = create_engine(urls[name])
        metadata.create_all(engine)
        engine.dispose()
    return urls


@pytest.fixture
def config_for(rabbit_config, databases):
    def config(service, **extra):
        return {
            "AMQP_URI": rabbit_config["AMQP_URI"],
            "DATABASE_URL": databases.get(service, databases["producer"]),
            "EVENT_RETRY_BASE_SECONDS": 0.05,
            "EVENT_RETRY_POLL_SECONDS": 0.05,
            "EVENT_RETRY_MAX_ATTEMPTS": 3,
            "OUTBOX_POLL_SECONDS": 0.2,
            **extra,
        }

    return config


@pytest.fixture
def rpc(rabbit_config):
    with StandaloneRpc(rabbit_config["AMQP_URI"], timeout=10) as client:
        yield client


@pytest.fixture
def uscc():
    return random_uscc()


@pytest.fixture
def unique():
    return uuid.uuid4().hex


@pytest.fixture
def running(container_factory, config_for):
    """``running(ServiceClass, **config)``: a started container of the kit's test services."""

    def start(service_cls, **extra):
        container = container_factory(service_cls, config_for(service_cls.name, **extra))
        container.start()
        return container

    return start
