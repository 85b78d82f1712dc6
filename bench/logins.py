"""Issue 6's figures, on the platform as `hrssctl platform run` starts it (Postgres databases):

- scan-to-browser latency: a browser waiting with ``wait=30`` beside one polling every 2 s, same
  sessions, same run (target: p99 under 50 ms for the waiting one);
- complete QR logins per second (open, scan, confirm, token) with two gateway and two identity
  replicas (target 150/s), each login a different legal representative;
- password logins per second with the configured argon2id parameters;
- what an authenticated ``GET /api/v1/me`` costs beside an endpoint without a session (the
  cached AsyncAPI document) and ``/healthz`` (an RPC ping to each of four services), same run.

The e-SSC is played in process: assertions signed with the platform's development key.
"""

import http.client
import json
import os
import resource
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import jwt
from cryptography.hazmat.primitives import serialization
from procs import ROOT, scaled, wrk
from running_platform import Platform, cpu_per_operation, enterprises, registration

LIMITS_OFF = {
    # wrk and the load threads send from one address, as thousands of offices would not
    "RATE_LIMIT_POSTS": "1000000000",
    "RATE_LIMIT_LOGINS_PER_ADDRESS": "1000000000",
    "RATE_LIMIT_QR_SESSIONS": "1000000000",
    # one benchmark account uploads thousands of attachments
    "RATE_LIMIT_UPLOADS": "1000000000",
}
LATENCY_SAMPLES = scaled(100)
QR_SECONDS = scaled(10)
PASSWORD_SECONDS = scaled(10)
PEOPLE = 400


class Client:
    """One keep-alive HTTP connection (what a browser or the e-SSC platform holds)."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=40)

    def call(self, method, path, body=None, headers=None):
        payload = json.dumps(body).encode() if body is not None else None
        self.connection.request(method, path, payload, {"Content-Type": "application/json", **(headers or {})})
        response = self.connection.getresponse()
        return response.status, json.loads(response.read() or b"null")


class Essc:
    def __init__(self, key_dir):
        self.key = serialization.load_pem_private_key((key_dir / "essc-dev-private.pem").read_bytes(), None)

    def assertion(self, act, qr_id, id_number, name):
        now = int(time.time())
        claims = {"qr": qr_id, "sub": id_number, "name": name, "act": act, "iat": now, "exp": now + 60}
        return jwt.encode(claims | {"jti": uuid.uuid4().hex}, self.key, algorithm="EdDSA")


def register_all(platform, records, password=None, connections=8):
    def one(record):
        status, _ = Client(platform.port).call("POST", "/api/v1/registrations", registration(record, password))
        assert status == 201, status

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(one, records))


def scan_latency(platform, essc, person):
    """(waiting ms, polling ms) from the scan's assertion sent to the browser seeing ``scanned``."""
    browser, phone = Client(platform.port), Client(platform.port)
    _, opened = browser.call("POST", "/api/v1/auth/qr-sessions", {"role": "legal"})
    path, binding = f"/api/v1/auth/qr-sessions/{opened['qr_id']}", {"X-QR-Binding": opened["binding"]}
    seen = {}

    def wait():
        browser.call("GET", path + "?wait=30", headers=binding)
        seen["waiting"] = time.perf_counter()

    def poll():
        poller = Client(platform.port)
        while True:
            status, view = poller.call("GET", path, headers=binding)
            if status == 200 and view["status"] != "pending":
                seen["polling"] = time.perf_counter()
                return
            time.sleep(2.0)

    threads = [threading.Thread(target=wait), threading.Thread(target=poll)]
    for t in threads:
        t.start()
    time.sleep(0.2 + (hash(opened["qr_id"]) % 2000) / 1000)  # the scan falls anywhere in the poll's 2 s
    sent = time.perf_counter()
    phone.call("POST", "/api/v1/essc/assertions", {"assertion": essc.assertion("scan", opened["qr_id"], *person)})
    for t in threads:
        t.join()
    return (seen["waiting"] - sent) * 1000, (seen["polling"] - sent) * 1000


def load_generator_cpu():
    """CPU seconds so far of this process: the browsers and the e-SSC played here."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def qr_logins(platform, essc, people, seconds, connections=16):
    """Complete QR logins per second: open, scan, confirm, the token (several clients at once);
    how many failed; the CPU ms a login cost, by process (the load generator's included)."""
    deadline, done, failed = time.monotonic() + seconds, [], []

    def worker(k):
        browser, phone = Client(platform.port), Client(platform.port)
        i = k
        while time.monotonic() < deadline:
            person = people[i % len(people)]
            i += connections
            _, opened = browser.call("POST", "/api/v1/auth/qr-sessions", {"role": "legal"})
            qr_id = opened["qr_id"]
            reports = [
                phone.call("POST", "/api/v1/essc/assertions", {"assertion": essc.assertion(act, qr_id, *person)})
                for act in ("scan", "confirm")
            ]
            status, view = browser.call(
                "GET", f"/api/v1/auth/qr-sessions/{qr_id}?wait=5", headers={"X-QR-Binding": opened["binding"]}
            )
            if status == 200 and "token" in view:
                done.append(1)
            else:
                failed.append((status, view, reports))

    before, before_here = platform.cpu_by_process(), load_generator_cpu()
    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(worker, range(connections)))
    elapsed = time.monotonic() - started
    after, after_here = platform.cpu_by_process(), load_generator_cpu()
    if failed:
        print(f"QR logins that failed, the first of {len(failed)}: {failed[0]}", file=sys.stderr)
    per_login = cpu_per_operation(before, after, len(done))
    per_login["load generator"] = (after_here - before_here) * 1000 / max(len(done), 1)
    return len(done) / elapsed, len(failed), per_login


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    records = list(enterprises(PEOPLE))
    people = [(r["legal_rep_id"], r["legal_rep_name"]) for r in records]
    with Platform(records, 18083, {"identity": 2, "gateway": 2}, env=LIMITS_OFF) as platform:
        essc = Essc(platform.tmp / "essc")
        register_all(platform, records)
        time.sleep(2)  # every EnterpriseRegistered reached the membership read model
        samples = [scan_latency(platform, essc, people[k % PEOPLE]) for k in range(LATENCY_SAMPLES)]
        rate, failed, per_login = qr_logins(platform, essc, people, QR_SECONDS)
    waiting, polling = [s[0] for s in samples], [s[1] for s in samples]

    password_records = list(enterprises(200))
    with Platform(password_records, 18084, {}, env=LIMITS_OFF) as platform:
        register_all(platform, password_records, password="bench-password-1", connections=4)
        bodies = platform.tmp / "logins.jsonl"
        bodies.write_text(
            "".join(json.dumps({"account": r["uscc"], "password": "bench-password-1"}) + "\n" for r in password_records)
        )
        password_rps, password_p99, password_bad, _ = wrk(
            f"{platform.url}/", 4, PASSWORD_SECONDS, script=ROOT / "bench" / "logins.lua", args=[str(bodies)]
        )
        _, login = Client(platform.port).call(
            "POST", "/api/v1/auth/login", {"account": password_records[0]["uscc"], "password": "bench-password-1"}
        )
        me_script = platform.tmp / "me.lua"
        me_script.write_text(f'wrk.headers["Authorization"] = "Bearer {login["token"]}"\n')
        me = wrk(f"{platform.url}/api/v1/me", 10, scaled(5), script=me_script)
        plain = wrk(f"{platform.url}/api/v1/asyncapi.json", 10, scaled(5))
        health = wrk(f"{platform.url}/healthz", 10, scaled(5))

    print("\n## Logins (issue 6; Postgres; the e-SSC played in process with the development key)")
    print(f"\nScan → browser sees `scanned`, {LATENCY_SAMPLES} sessions, 2 gateway and 2 identity replicas:\n")
    print("| browser | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|")
    for label, values in (("waiting (wait=30, Redis pub/sub)", waiting), ("polling every 2 s", polling)):
        print(f"| {label} | {statistics.median(values):.1f} | {percentile(values, 99):.1f} | {max(values):.1f} |")
    print(f"\nComplete QR logins (open, scan, confirm, token), 16 clients, {QR_SECONDS} s, 2+2 replicas:")
    print(f"{rate:.0f} logins/s, {failed} failed (target: 150/s)\n")
    spent = sorted(per_login.items(), key=lambda kv: -kv[1])
    print(
        "CPU per QR login, by process: "
        + ", ".join(f"{name} {ms:.1f} ms" for name, ms in spent if ms >= 0.05)
        + f"; in all {sum(per_login.values()):.1f} ms (150/s on {os.cpu_count()} cores: at most "
        + f"{os.cpu_count() * 1000 / 150:.1f} ms)\n"
    )
    print("| requests (1 of each process, 10 connections unless said) | req/s | p99 ms | non-2xx |")
    print("|---|---|---|---|")
    print(
        f"| password login, argon2id verify, 4 connections | {password_rps:.0f} | {password_p99:.0f} | {password_bad} |"
    )
    for label, (rps, p99, bad, _) in (
        ("GET /api/v1/me (session checked with identity: one RPC hop)", me),
        ("GET /api/v1/asyncapi.json (no session, no RPC)", plain),
        ("GET /healthz (an RPC ping to each of four services)", health),
    ):
        print(f"| {label} | {rps:.0f} | {p99:.1f} | {bad} |")
    print(f"\n/me against the endpoint without a session: {me[0] / plain[0]:.0%} of its requests per second")


if __name__ == "__main__":
    main()
