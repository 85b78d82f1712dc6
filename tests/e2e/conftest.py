"""The platform, started as `make run` starts it (hrssctl platform run), on a vhost, a port and
databases of its own; once with SQLite files (the default) and once with Postgres."""

import os
import uuid

import pytest
from e2e_platform import AMQP_BASE, free_port, rabbit_api, running_platform


@pytest.fixture(scope="module")
def platform_settings():
    """More of the platform's environment (its rate limits, say): none, unless a module says."""
    return {}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def platform(request, make_database, tmp_path_factory, platform_settings):
    var = tmp_path_factory.mktemp(f"var-{request.param}")
    with running_platform(request.param, make_database, var, platform_settings) as started:
        yield started


@pytest.fixture(scope="module")
def runner_env():
    """``runner_env()`` → environment for one `hrssctl platform run` of a test's own: a vhost
    (removed at the end), a free gateway port, SQLite (the runner's default)."""
    vhosts = []

    def make():
        vhost = f"hrss_e2e_{uuid.uuid4().hex[:8]}"
        rabbit_api("PUT", f"/vhosts/{vhost}", {})
        rabbit_api("PUT", f"/permissions/{vhost}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
        vhosts.append(vhost)
        env = {
            **os.environ,
            "AMQP_URI": f"{AMQP_BASE}/{vhost}",
            "GATEWAY_PORT": str(free_port()),
            "REDIS_URL": "redis://127.0.0.1:6379/14",
            "PYTHONWARNINGS": "ignore",
        }
        for name in ("ENTERPRISE", "IDENTITY", "AUTHORIZATION", "BUSINESS"):
            env.pop(f"{name}_DATABASE_URL", None)
        return env

    yield make
    for vhost in vhosts:
        rabbit_api("DELETE", f"/vhosts/{vhost}")
