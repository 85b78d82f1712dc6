"""Shared test set-up: eventlet's monkey patch (as `nameko test` applies it) and the real
services' addresses. Every test tier gets databases and broker vhosts of its own, so tests
never touch what `make run` holds.

The browser tests (``tests/browser``) run in a pytest of their own, without the monkey patch:
Playwright's driver hangs under it. ``make test`` runs them after the rest, with
``HRSS_BROWSER_TESTS=1``; other runs leave them out."""

import os
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

BROWSER_TESTS = os.environ.get("HRSS_BROWSER_TESTS") == "1"
collect_ignore_glob = [] if BROWSER_TESTS else ["tests/browser/*"]

if not BROWSER_TESTS:
    import eventlet

    eventlet.monkey_patch()

import warnings  # noqa: E402

warnings.filterwarnings("ignore", category=DeprecationWarning)

import uuid  # noqa: E402

import psycopg2  # noqa: E402
import pytest  # noqa: E402

PG_ADMIN_DSN = os.environ.get("HRSS_TEST_PG_DSN", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
PG_URL_BASE = os.environ.get("HRSS_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432")
REDIS_TEST_URL = os.environ.get("HRSS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_configure(config):
    # nameko's plugin warns unless the monkey patch is applied; it is, above.
    config.option.suppress_eventlet_notification = True


def _admin(sql):
    connection = psycopg2.connect(PG_ADMIN_DSN)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


@pytest.fixture(scope="session")
def make_database():
    """``make_database("kit")`` → URL of a new, empty Postgres database, dropped at the end."""
    created = []

    def make(label):
        name = f"hrss_test_{label}_{uuid.uuid4().hex[:8]}"
        _admin(f'CREATE DATABASE "{name}"')
        created.append(name)
        return f"{PG_URL_BASE}/{name}"

    yield make
    for name in created:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_url():
    return REDIS_TEST_URL
