"""Issue 7's figures, on the platform as `hrssctl platform run` starts it (Postgres, one process
of each):

- grant checks per second: ``authorization.may_act`` over RPC from 8 callers at once (half of
  the checks answered yes, half no);
- grant → the clerk can log in: a clerk added and granted (one transaction, as the window
  does) from its commit (the ClerkAdded row of authorization's event log) to identity having
  the clerk's membership (identity's processed_events row, written in the handler's
  transaction);
- revocation → the clerk's session ended: a clerk deleted, from the ClerkRemoved commit to
  identity's handler, which ends the sessions inside its transaction; each token is then
  checked to be refused;
- uploads of a 2 MB PDF per second (wrk, 4 connections), and the gateway's resident memory
  while 20 upload at once against its memory idle.

The e-SSC is played in process, as in ``logins.py``.
"""

import os
import statistics
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from logins import LIMITS_OFF, Client, Essc, percentile
from procs import BIN, ROOT, scaled, wrk
from running_platform import Platform, enterprises, registration
from sqlalchemy import create_engine, text

from hrss_contracts.examples import random_id_number
from hrss_kit.rpc_client import StandaloneRpc

CLERKS = scaled(100)
CHECK_SECONDS = scaled(10)
UPLOAD_SECONDS = scaled(10)
PASSWORD = "bench-password-1"
COMMITTED = "SELECT event_id, created_at FROM outbox WHERE event_type = :type"
HANDLED = "SELECT event_id, processed_at FROM processed_events WHERE consumer = :consumer"


def token_of(platform, account):
    status, answer = Client(platform.port).call(
        "POST", "/api/v1/auth/login", {"account": account, "password": PASSWORD}
    )
    assert status == 200, answer
    return answer["token"]


def authed(token):
    return {"Authorization": f"Bearer {token}"}


def clerk_session(platform, essc, id_number, name):
    browser, phone = Client(platform.port), Client(platform.port)
    _, opened = browser.call("POST", "/api/v1/auth/qr-sessions", {"role": "clerk"})
    for act in ("scan", "confirm"):
        phone.call(
            "POST", "/api/v1/essc/assertions", {"assertion": essc.assertion(act, opened["qr_id"], id_number, name)}
        )
    path = f"/api/v1/auth/qr-sessions/{opened['qr_id']}?wait=5"
    _, view = browser.call("GET", path, headers={"X-QR-Binding": opened["binding"]})
    assert "token" in view, view
    return view["token"]


def delays(platform, event_type, consumer, expected):
    """Milliseconds from each event's commit in authorization to identity's handling of it."""
    producer = create_engine(platform.dbs.urls["authorization"])
    handler = create_engine(platform.dbs.urls["identity"])
    deadline = time.monotonic() + 60
    try:
        while True:
            with producer.connect() as conn:
                committed = dict(conn.execute(text(COMMITTED), {"type": event_type}).all())
            with handler.connect() as conn:
                handled = dict(conn.execute(text(HANDLED), {"consumer": consumer}).all())
            if len(committed) >= expected and set(committed) <= set(handled):
                return [(handled[e] - at).total_seconds() * 1000 for e, at in committed.items()]
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: {event_type} not all handled by {consumer} within 60 s")
            time.sleep(0.5)
    finally:
        producer.dispose()
        handler.dispose()


def grant_checks(platform, checks, seconds, callers=8, method="may_act"):
    """RPC grant checks per second, ``callers`` at once; each caller its own connection. With
    ``method="ping"`` (the kit's health ping: one database round trip), the same callers make
    the baseline a check is compared with."""
    deadline, counts, wrong = time.monotonic() + seconds, [0] * callers, []

    def caller(k):
        with StandaloneRpc(platform.env["AMQP_URI"]) as rpc:
            authorization = rpc.service("authorization")
            i = k
            while time.monotonic() < deadline:
                kwargs, expected = checks[i % len(checks)]
                if method == "ping":
                    authorization.ping()
                elif authorization.may_act(**kwargs) is not expected:
                    wrong.append(kwargs)
                counts[k] += 1
                i += callers

    started = time.monotonic()
    with ThreadPoolExecutor(callers) as pool:
        list(pool.map(caller, range(callers)))
    assert not wrong, f"wrong answers: {wrong[:3]}"
    return sum(counts) / (time.monotonic() - started)


def multipart_pdf(path, size=2 * 1024 * 1024, filename="材料.pdf"):
    """A multipart body with one PDF of ``size`` bytes written to ``path``; its boundary."""
    boundary = uuid.uuid4().hex
    pdf = b"%PDF-1.4\n" + os.urandom(size - 20) + b"\n%%EOF\n"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'.encode()
    path.write_bytes(head + b"Content-Type: application/pdf\r\n\r\n" + pdf + f"\r\n--{boundary}--\r\n".encode())
    return boundary


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def uploads(platform, token):
    """(uploads/s at 4 connections, p99 ms, gateway RSS idle MB, peak MB while 20 upload)."""
    body = platform.tmp / "upload.body"
    os.environ.update(UPLOAD_BODY=str(body), UPLOAD_BOUNDARY=multipart_pdf(body), TOKEN=token)
    script = ROOT / "bench" / "uploads.lua"
    rate, p99, bad, _ = wrk(f"{platform.url}/", 4, UPLOAD_SECONDS, script=script)
    assert bad == 0, f"{bad} uploads refused"
    gateway = platform.pids()["gateway"][0]
    idle, peak, running = rss_mb(gateway), [0.0], [True]

    def sample():
        while running[0]:
            peak[0] = max(peak[0], rss_mb(gateway))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        wrk(f"{platform.url}/", 20, UPLOAD_SECONDS, script=script)
    finally:
        running[0] = False
        sampler.join()
    return rate, p99, idle, peak[0]


def main():
    (record,) = enterprises(1)
    with Platform([record], 18095, env=LIMITS_OFF) as platform:
        status, _ = Client(platform.port).call("POST", "/api/v1/registrations", registration(record, PASSWORD))
        assert status == 201
        time.sleep(1)  # EnterpriseRegistered reaches authorization
        legal, essc = token_of(platform, record["uscc"]), Essc(platform.tmp / "essc")
        client = Client(platform.port)
        _, relations = client.call("GET", "/api/v1/insurance-relations", headers=authed(legal))
        granted, other = (r["relation_id"] for r in relations["items"][:2])
        people, tokens, checks = [], [], []
        for k in range(CLERKS):
            person = (random_id_number(), f"办事员{k}")
            status, clerk = client.call(
                "POST",
                "/api/v1/clerks",
                {"id_number": person[0], "name": person[1], "phone": "13900139000"},
                authed(legal),
            )
            assert status == 201, clerk
            client.call("PUT", f"/api/v1/clerks/{clerk['clerk_id']}/grants", {"relation_ids": [granted]}, authed(legal))
            people.append((clerk["clerk_id"], *person))
            time.sleep(0.02)  # one at a time, as people do: latency, not queueing
        added = delays(platform, "ClerkAdded", "identity.remember_added_clerk", CLERKS)
        for clerk_id, id_number, name in people:
            tokens.append(clerk_session(platform, essc, id_number, name))
            for relation, expected in ((granted, True), (other, False)):
                kwargs = {"role": "clerk", "uscc": record["uscc"], "relation_id": relation, "clerk_id": clerk_id}
                checks.append((kwargs, expected))
        per_second = grant_checks(platform, checks, CHECK_SECONDS)
        pings = grant_checks(platform, checks, CHECK_SECONDS, method="ping")
        for clerk_id, *_ in people:
            client.call("DELETE", f"/api/v1/clerks/{clerk_id}", headers=authed(legal))
            time.sleep(0.02)
        removed = delays(platform, "ClerkRemoved", "identity.forget_removed_clerk", CLERKS)
        still = [t for t in tokens if Client(platform.port).call("GET", "/api/v1/me", headers=authed(t))[0] != 401]
        account = f"bench{uuid.uuid4().hex[:8]}"
        subprocess.run(
            [str(BIN / "hrssctl"), "agency-users", "add", "--account", account, "--agency", "哈尔滨市社保局"],
            input=PASSWORD,
            text=True,
            env=platform.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        rate, p99, idle, peak = uploads(platform, token_of(platform, account))
    print("\n## Authorization (issue 7; Postgres, one process of each)\n")
    print(
        f"Grant checks (`authorization.may_act` over RPC, 8 callers at once): {per_second:.0f} per second; "
        f"the service's ping (one database round trip), same callers: {pings:.0f} per second "
        f"({per_second / pings:.0%})\n"
    )
    print("| from the commit of … to … | events | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    for label, values in (
        ("a clerk added and granted → identity lets the clerk log in", added),
        ("a clerk deleted → identity has ended the clerk's sessions", removed),
    ):
        p50, p99_ms = statistics.median(values), percentile(values, 99)
        print(f"| {label} | {len(values)} | {p50:.1f} | {p99_ms:.1f} | {max(values):.1f} |")
    print(f"\nSessions still accepted after their clerk's deletion: {len(still)} of {len(tokens)}\n")
    print(f"Uploads of a 2 MB PDF, 4 connections: {rate:.1f} per second, p99 {p99:.0f} ms")
    grew = peak - idle
    print(
        f"Gateway resident memory: {idle:.0f} MB idle, at most {peak:.0f} MB while 20 upload at once (+{grew:.0f} MB)"
    )


if __name__ == "__main__":
    main()
