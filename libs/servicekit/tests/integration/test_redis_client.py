"""The kit's Redis client: a pooled connection's readiness is checked without the eventlet hub,
and still tells an unread reply and a closed connection."""

import pytest
import redis
from redis._parsers import hiredis as hiredis_parser

from hrss_kit.redis import _ReadinessAtOnce, client

pytestmark = pytest.mark.integration


@pytest.fixture
def redis_client(redis_url):
    made = client(redis_url, timeout=2)
    yield made
    made.close()


def test_an_idle_connection_is_told_ready_without_redis_pys_own_check(redis_client, monkeypatch):
    redis_client.ping()
    pool = redis_client.connection_pool
    connection = pool.get_connection()

    def own_check(*args):
        raise AssertionError("went through redis-py's own (green) check")

    monkeypatch.setattr(hiredis_parser, "_socket_can_read", own_check)
    try:
        assert connection.can_read(0) is False
    finally:
        pool.release(connection)


def test_an_idle_connection_is_ready_and_commands_answer(redis_client):
    assert redis_client.ping() is True
    pool = redis_client.connection_pool
    connection = pool.get_connection()
    try:
        assert isinstance(connection._parser, _ReadinessAtOnce)
        assert connection.can_read(0) is False
    finally:
        pool.release(connection)
    redis_client.set("hrss-test:redis-client", "值")
    assert redis_client.get("hrss-test:redis-client") == "值"
    redis_client.delete("hrss-test:redis-client")


def wait_readable(connection):
    for _ in range(100):
        if connection.can_read(0.05):
            return


def test_a_reply_left_unread_or_a_closed_socket_is_seen(redis_client):
    pool = redis_client.connection_pool
    connection = pool.get_connection()
    try:
        connection.send_command("ECHO", "left behind")
        wait_readable(connection)
        assert connection.can_read(0) is True
        assert connection.read_response() == "left behind"
        assert connection.can_read(0) is False
        connection.send_command("CLIENT", "ID")
        own_id = connection.read_response()
        redis_client.client_kill_filter(_id=own_id)
        try:  # closed: redis-py's own check answers (readable, or the error it raises)
            wait_readable(connection)
            assert connection.can_read(0) is True
        except redis.ConnectionError:
            pass
    finally:
        connection.disconnect()
        pool.release(connection)
    assert redis_client.echo("mine") == "mine"
