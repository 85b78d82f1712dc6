"""The faults, each a function of the stack that returns once the fault is over (the process
killed, the server started again); ``Fault.run`` times it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from procs import ROOT

from faults.stack import Stack

OUTAGE = 3.0  # seconds a restarted server stays down
SERVICES_UP = str(ROOT / ".ci" / "services")  # the commands .ci/run starts each server with


@dataclass(frozen=True)
class Fault:
    name: str
    inject: Callable[[Stack, str], str]  # (stack, vhost) → what was done, for the report
    shared: bool = False  # restarts a server the whole machine shares
    kills: bool = False  # kills a process of the platform (any other death is a missed target)


def sh(*command: str, timeout: float = 120) -> None:
    subprocess.run(command, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill(name: str) -> Fault:
    def inject(stack: Stack, _vhost: str) -> str:
        pid = stack.pid(name)
        os.kill(pid, signal.SIGKILL)
        return f"kill -9 {pid}"

    return Fault(f"kill -9 {name}", inject, kills=True)


def relay_between_publish_and_mark(*sources: str) -> Fault:
    """The kit's switch (``hrss_kit.faults``): the next relay of each source to publish a batch
    dies before marking it; the rows stay unpublished and its restarted process (or the twin)
    publishes them again."""

    def inject(stack: Stack, _vhost: str) -> str:
        directory = Path(stack.env["HRSS_FAULT_KILL_RELAY_DIR"])
        for source in sources:
            (directory / source).touch()
        deadline = time.monotonic() + 30
        while any((directory / s).exists() for s in sources):
            if time.monotonic() > deadline:
                raise RuntimeError(f"no relay of {sources} published within 30 s")
            time.sleep(0.02)
        return "relays of " + ", ".join(sources) + " killed after publishing, before marking"

    return Fault("relay killed between publish and mark", inject, kills=True)


def rabbitmq_restart(stack: Stack, _vhost: str) -> str:
    sh("rabbitmqctl", "-q", "stop_app")
    time.sleep(OUTAGE)
    sh("rabbitmqctl", "-q", "start_app")
    return f"rabbitmqctl stop_app, {OUTAGE:g} s, start_app"


def rabbitmq_close_connections(stack: Stack, vhost: str) -> str:
    # This run's vhost only: the platform sees what close_all_connections does to it, and other
    # users of the machine's broker keep their connections.
    sh("rabbitmqctl", "-q", "close_all_connections", "--vhost", vhost, "make faults")
    return f"rabbitmqctl close_all_connections --vhost {vhost}"


def redis_restart(stack: Stack, _vhost: str) -> str:
    sh("redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave")
    time.sleep(OUTAGE)
    sh(SERVICES_UP, "up", "redis")
    return f"redis-cli shutdown, {OUTAGE:g} s, .ci/services up redis"


def postgres_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[0]


def postgres_restart(stack: Stack, _vhost: str) -> str:
    sh("pg_ctlcluster", "--skip-systemctl-redirect", postgres_version(), "main", "restart")
    return f"pg_ctlcluster {postgres_version()} main restart"


FULL = (
    kill("identity.1"),
    kill("enterprise.1"),
    kill("gateway.1"),
    relay_between_publish_and_mark("enterprise", "identity"),
    Fault("RabbitMQ stop_app/start_app", rabbitmq_restart, shared=True),
    Fault("RabbitMQ close_all_connections", rabbitmq_close_connections),
    Fault("Redis restart", redis_restart, shared=True),
    Fault("Postgres restart", postgres_restart, shared=True),
)


def restore_servers() -> None:
    """Each shared server running and answering again, whatever happened (``.ci/services``)."""
    subprocess.run([SERVICES_UP, "up"], timeout=300, check=False)
