"""RabbitMQ restarted under a little load (issue 5, items 2 and 10): every connection of the
platform notices and reconnects by itself, registrations succeed again within a bound, and no
event is lost. The platform runs as `make run` runs it, on Postgres.

These tests restart the machine's one RabbitMQ (`rabbitmqctl stop_app`/`start_app`), which
breaks whatever else uses it at the time, so they run only when HRSS_RESTART_SHARED_SERVERS is
set: `make faults` sets it, after `make test`, in CI and by hand.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import eventlet
import kombu
import psycopg2
import pytest
import requests

from hrss_contracts.examples import random_id_number, random_uscc
from hrss_kit.topology import event_exchange

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.environ.get("HRSS_RESTART_SHARED_SERVERS"),
        reason="restarts the machine's RabbitMQ: `make faults` runs it (HRSS_RESTART_SHARED_SERVERS=1)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
HRSSCTL = str(Path(sys.executable).parent / "hrssctl")
AUDIT = "e2e.broker-restart.audit"
RECOVERY_BOUND = 30.0  # seconds from the broker's return to the first registration answered 201
RATE = 5.0  # registrations a second


def dsn(url):
    return url.replace("postgresql+psycopg2://", "postgresql://")


def rows(url, sql):
    with psycopg2.connect(dsn(url)) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture(scope="module")
def stack(runner_env, make_database, tmp_path_factory):
    env = runner_env()
    vhost = env["AMQP_URI"].rsplit("/", 1)[1]
    env.update(
        ENTERPRISE_DATABASE_URL=make_database("brk_enterprise"),
        IDENTITY_DATABASE_URL=make_database("brk_identity"),
        AUTHORIZATION_DATABASE_URL=make_database("brk_authorization"),
        BUSINESS_DATABASE_URL=make_database("brk_business"),
        RATE_LIMIT_POSTS="1000000",
        RATE_LIMIT_PREFIX=f"e2e:{vhost}",
        LOG_LEVEL="WARNING",
    )
    var = tmp_path_factory.mktemp("var-broker-restart")
    runner = subprocess.Popen(
        [HRSSCTL, "platform", "run", "--root", str(ROOT), "--var", str(var), "--no-demo"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{env['GATEWAY_PORT']}"
    try:
        wait_until(lambda: healthy(base_url), 90, "the platform is up")
        with kombu.Connection(env["AMQP_URI"]) as connection:  # a consumer of our own, as a service's
            channel = connection.channel()
            kombu.Queue(AUDIT, durable=True, auto_delete=False)(channel).declare()
            event_exchange("enterprise")(channel).declare()
            channel.queue_bind(AUDIT, "enterprise.events", "EnterpriseRegistered")
        records = [record(k) for k in range(400)]
        source = var / "pension.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        imported = subprocess.run(
            [HRSSCTL, "sources", "import", "--source", "enterprise-pension", str(source)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert imported.returncode == 0, imported.stderr
        yield {"env": env, "vhost": vhost, "base_url": base_url, "records": records, "delivered": set()}
    finally:
        runner.terminate()
        runner.wait(timeout=30)


def record(k):
    return {
        "uscc": random_uscc(),
        "name": f"重启演练企业{k}有限公司",
        "address": "哈尔滨",
        "legal_rep_name": f"法人{k}",
        "legal_rep_id": random_id_number(),
        "legal_rep_phone": "13900000000",
        "units": [{"unit_no": f"R{k:09d}", "relations": [{"insurance": "110", "agency": "哈尔滨市社保局"}]}],
    }


def healthy(base_url):
    try:
        return requests.get(f"{base_url}/healthz", timeout=3).status_code == 200
    except requests.RequestException:
        return False


def wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout} s: {what}")
        time.sleep(0.2)


class Load:
    """One registration every 1/RATE s, each in a green thread of its own; (sent, answered, uscc, status or error)."""

    def __init__(self, base_url, records):
        self.base_url, self.records, self.outcomes = base_url, records, []
        self.running = True
        self.thread = eventlet.spawn(self._run)

    def _run(self):
        pool = eventlet.GreenPool(200)
        while self.running and self.records:
            pool.spawn_n(self._one, self.records.pop())
            eventlet.sleep(1 / RATE)
        pool.waitall()

    def _one(self, r):
        body = {k: r[k] for k in ("uscc", "name", "legal_rep_name", "legal_rep_id")} | {"phone": "13900000001"}
        sent = time.monotonic()
        try:
            status = requests.post(
                f"{self.base_url}/api/v1/registrations", json=body, headers={"Connection": "close"}, timeout=25
            ).status_code
        except requests.RequestException as exc:
            status = type(exc).__name__
        self.outcomes.append((sent, time.monotonic(), r["uscc"], status))

    def stop(self):
        self.running = False
        self.thread.wait()


def rabbitmqctl(*args):
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, timeout=120, capture_output=True)


def restart_app(_vhost):
    rabbitmqctl("stop_app")
    try:
        time.sleep(3)
    finally:
        rabbitmqctl("start_app")


def close_all_connections(vhost):
    rabbitmqctl("close_all_connections", "--vhost", vhost, "e2e broker restart test")


@pytest.mark.parametrize("fault", [restart_app, close_all_connections], ids=["stop_app-start_app", "close_all"])
def test_after_a_broker_restart_registrations_succeed_again_and_no_event_is_lost(stack, fault):
    load = Load(stack["base_url"], stack["records"])
    try:
        time.sleep(3)
        fault(stack["vhost"])
        back = time.monotonic()
        wait_until(
            lambda: any(status == 201 and sent >= back for sent, _, _, status in load.outcomes),
            RECOVERY_BOUND,
            "a registration sent after the broker came back is answered 201",
        )
        time.sleep(3)
    finally:
        load.stop()
    statuses = [status for *_, status in load.outcomes]
    assert all(s in (201, 503) or (isinstance(s, int) and 400 <= s < 500) for s in statuses), statuses
    registered = {uscc for *_, uscc, status in load.outcomes if status == 201}
    assert registered

    env = stack["env"]

    def every_event_handled():
        query = "SELECT event_id, aggregate_id FROM outbox WHERE event_type = 'EnterpriseRegistered'"
        events = dict(rows(env["ENTERPRISE_DATABASE_URL"], query))
        handled = {row[0] for row in rows(env["IDENTITY_DATABASE_URL"], "SELECT event_id FROM processed_events")}
        return events if set(events) <= handled and registered <= set(events.values()) else None

    wait_until(every_event_handled, 30, "identity handled every EnterpriseRegistered of the enterprise's log")
    events = every_event_handled()
    accounts = {row[0] for row in rows(env["IDENTITY_DATABASE_URL"], "SELECT uscc FROM accounts")}
    assert registered <= accounts
    assert set(events.values()) <= accounts  # no password: every registered enterprise has its account
    with kombu.Connection(env["AMQP_URI"]) as connection:  # what reached our queue, this test and before
        channel = connection.channel()
        while (message := channel.basic_get(AUDIT, no_ack=True)) is not None:
            stack["delivered"].add(json.loads(message.body)["event_id"])
    assert set(events) <= stack["delivered"]  # published, and kept by the broker across its restart
