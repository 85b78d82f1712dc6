"""Slow and idle clients: idle keep-alive connections are closed, a request that trickles in
is cut off, and thousands of idle connections leave the gateway answering at once."""

import contextlib
import resource
import socket
import statistics
import time

import pytest
import requests

pytestmark = pytest.mark.integration

IDLE_CONNECTIONS = 2000


def connect(base_url):
    host, port = base_url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def closed_by_peer(sock, within):
    """True when the gateway closes ``sock`` (EOF or reset) within ``within`` seconds."""
    sock.settimeout(within)
    try:
        while sock.recv(65536):
            pass  # a response, then the close
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def trickle(sock, data, interval, until):
    """Send ``data`` a byte every ``interval`` s for at most ``until`` s; the seconds it took
    until the gateway stopped taking bytes (or ``None`` if it never did)."""
    started = time.monotonic()
    for byte in data:
        if time.monotonic() - started > until:
            return None
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            return time.monotonic() - started
        time.sleep(interval)
        sock.setblocking(False)
        try:
            if sock.recv(65536, socket.MSG_PEEK) == b"":
                return time.monotonic() - started  # closed by the gateway
        except BlockingIOError:
            pass
        except OSError:
            return time.monotonic() - started
        finally:
            sock.setblocking(True)
    return None


def test_an_idle_keep_alive_connection_is_closed_after_the_idle_timeout(start_gateway):
    gateway = start_gateway(HTTP_IDLE_TIMEOUT=1)
    with contextlib.closing(connect(gateway)) as sock:
        sock.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: gateway\r\n\r\n")
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")

        assert closed_by_peer(sock, within=5)


def test_a_connection_that_never_sends_a_request_is_closed_after_the_idle_timeout(start_gateway):
    gateway = start_gateway(HTTP_IDLE_TIMEOUT=1)
    with contextlib.closing(connect(gateway)) as sock:
        assert closed_by_peer(sock, within=5)


def test_a_connection_in_use_within_the_idle_timeout_stays_open(start_gateway):
    gateway = start_gateway(HTTP_IDLE_TIMEOUT=2)
    with requests.Session() as session:
        for _ in range(3):
            response = session.get(f"{gateway}/api/v1/openapi.json", timeout=10)
            assert response.status_code == 200
            time.sleep(1)
        assert response.headers.get("Connection", "").lower() != "close"


def test_headers_trickling_in_a_byte_at_a_time_are_cut_off_at_the_request_timeout(start_gateway):
    gateway = start_gateway(HTTP_REQUEST_TIMEOUT=2, HTTP_IDLE_TIMEOUT=30)
    request = b"GET /healthz HTTP/1.1\r\nHost: gateway\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n"
    with contextlib.closing(connect(gateway)) as sock:
        # each byte well within any per-read timeout; the whole would take 24 s
        cut_after = trickle(sock, request, interval=0.1, until=15)

    assert cut_after is not None, "the trickling request was never cut off"
    assert cut_after < 6


def test_a_body_trickling_in_past_the_request_timeout_is_answered_408(start_gateway):
    gateway = start_gateway(HTTP_REQUEST_TIMEOUT=2)
    body = b'{"uscc": "' + b"9" * 100 + b'"}'
    head = (
        b"POST /api/v1/registrations HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    )
    with contextlib.closing(connect(gateway)) as sock:
        sock.sendall(head)
        trickle(sock, body, interval=0.1, until=8)
        sock.settimeout(5)
        answer = sock.recv(65536)

    assert answer.startswith(b"HTTP/1.1 408")
    assert b"REQUEST_TIMEOUT" in answer


@pytest.fixture
def many_files():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * IDLE_CONNECTIONS + 1000  # both ends of each connection live in this process
    if hard != resource.RLIM_INFINITY and hard < needed:
        pytest.fail(f"RLIMIT_NOFILE hard limit {hard} < {needed}: raise it to run this test")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, needed), hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_with_2000_idle_connections_open_healthz_answers_within_100_ms(start_gateway, scripted_services, many_files):
    gateway = start_gateway()
    idle = []
    try:
        for _ in range(IDLE_CONNECTIONS):
            idle.append(connect(gateway))
        # The last one opened is served too (not left waiting for a free slot).
        idle[-1].sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: gateway\r\n\r\n")
        assert idle[-1].recv(65536).startswith(b"HTTP/1.1 200")

        with requests.Session() as session:
            timings = []
            for _ in range(5):
                started = time.monotonic()
                response = session.get(f"{gateway}/healthz", timeout=10)
                timings.append(time.monotonic() - started)
                assert response.status_code == 200, response.text
    finally:
        for sock in idle:
            sock.close()

    assert statistics.median(timings) < 0.1, f"/healthz took {[round(t * 1000) for t in timings]} ms"


def test_an_accepted_connection_sends_without_waiting_for_acks(start_gateway, monkeypatch):
    """TCP_NODELAY on every accepted connection: with Nagle's algorithm a response's short last
    segment waited for the client's delayed ACK (40 ms a request)."""
    from hrss_gateway.http import JsonWebServer

    seen = []
    served = JsonWebServer.process_request

    def recording(self, sock, address):
        seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        return served(self, sock, address)

    monkeypatch.setattr(JsonWebServer, "process_request", recording)
    gateway = start_gateway()
    assert requests.get(f"{gateway}/api/v1/asyncapi.json", timeout=10).status_code == 200
    assert seen and all(seen)


def test_past_http_max_connections_a_new_connection_waits_until_one_closes(start_gateway):
    gateway = start_gateway(HTTP_MAX_CONNECTIONS=2)
    first, second, third = connect(gateway), connect(gateway), connect(gateway)
    try:
        third.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: gateway\r\n\r\n")
        third.settimeout(1)
        with pytest.raises(TimeoutError):
            third.recv(65536)  # accepted by the kernel, not yet served

        first.close()

        third.settimeout(10)
        assert third.recv(65536).startswith(b"HTTP/1.1 200")
    finally:
        for sock in (first, second, third):
            sock.close()


def test_a_connection_flood_past_the_open_files_limit_does_not_kill_the_gateway(start_gateway):
    """The gateway serves no more connections than it has descriptors for; the rest wait in
    the backlog, and the gateway lives on."""
    import os
    import subprocess
    import sys

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    gateway = start_gateway(HTTP_IDLE_TIMEOUT=2)
    port = int(gateway.rsplit(":", 1)[1])
    resource.setrlimit(resource.RLIMIT_NOFILE, (len(os.listdir("/proc/self/fd")) + 200, hard))
    flood = subprocess.Popen(  # the clients live in a process of their own, with descriptors enough
        [
            sys.executable,
            "-c",
            "import socket, time\n"
            f"s = [socket.create_connection(('127.0.0.1', {port})) for _ in range(600)]\n"
            "print('open', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard)),
    )
    try:
        assert flood.stdout.readline().strip() == "open"
        deadline = time.monotonic() + 20
        while True:  # idle ones are closed after 2 s, so the waiting ones, then ours, get a turn
            try:
                assert requests.get(f"{gateway}/healthz", timeout=5).status_code in (200, 503)
                break
            except (OSError, requests.RequestException):
                assert time.monotonic() < deadline, "the gateway stopped answering"
                time.sleep(0.5)
    finally:
        flood.kill()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
