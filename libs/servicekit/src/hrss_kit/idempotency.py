"""Idempotent RPC: a request that runs twice gives one effect and one answer.

RPC is at least once (``hrss_kit.rpc``). The caller sends an idempotency key with each call
(``IDEMPOTENCY_HEADER``; ``rpc_client`` derives it from the caller's own request, so a
redelivered request, and every call it makes in turn, carry the same keys). The first run of
a key claims it in the service's ``rpc_requests`` table with a lease, runs, and stores its
answer, a result or a catalogue error; a repeat waits for that answer and returns it. A run
that fails unexpectedly, or answers SERVICE_UNAVAILABLE, releases the key: a retry runs
again. A run that dies with the process keeps the key until its lease ends; the retry after
that runs again and relies on the method's own idempotency (each registration is). The lease
is the caller's timeout, renewed every third of it while the run lives: a twin never takes
over from a run that is only slow, and takes over from one that died as soon as nobody waits
for the dead run's answer any more.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import eventlet
from nameko.extensions import DependencyProvider
from sqlalchemy import Table, Update, bindparam, delete, select, update

from hrss_contracts.errors import CatalogueError
from hrss_kit.idempotency_redis import RedisRequests
from hrss_kit.sql import autocommit, insert_ignore

IDEMPOTENCY_HEADER = "nameko.idempotency_key"  # nameko.* headers arrive as the worker's context data
CONTEXT_KEY = "idempotency_key"
# A run holds its key for as long as its caller waits (the request's expiration): past that
# nobody waits for its answer, and a redelivered twin may take over. 30 s without one.
LEASE = timedelta(seconds=30)
WAIT_STEP = 0.05
RUNNING, DONE = "running", "done"


class IdempotencyKey(DependencyProvider):  # type: ignore[misc]
    """``self.idempotency_key`` in a worker: the key the request came with (or None), and how
    long its caller waits (the lease a run holds on the key)."""

    def get_dependency(self, worker_ctx: Any) -> RequestKey | None:
        key = worker_ctx.data.get(CONTEXT_KEY)
        if not key:
            return None
        waits = worker_ctx.data.get("caller_timeout")
        return RequestKey(str(key), timedelta(seconds=float(waits)) if waits else LEASE)


@dataclass(frozen=True)
class RequestKey:
    key: str
    lease: timedelta


def once_per_key(method: Callable[..., Any], kept_in: str = "database") -> Callable[..., Any]:
    """Wrap an RPC method: with a key, run once and answer every repeat alike. ``kept_in``:
    ``"database"`` (``rpc_requests``, the service's ``db``) or ``"redis"`` (the service's
    ``redis``; ``idempotency_redis``), where the method's own effects are."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        request: RequestKey | None = self.idempotency_key
        if request is None:
            return method(self, *args, **kwargs)
        name = f"{self.name}.{method.__name__}"
        requests: Any = (
            RedisRequests(self.redis, name, request.key, request.lease)
            if kept_in == "redis"
            else Requests(self.db, name, request.key, request.lease)
        )
        answer = requests.claim_or_wait()
        if answer is not None:
            return Requests.replay(answer)
        # While this run lives it keeps renewing its lease: only a run that died lets its
        # lease run out, so a twin never takes over from one that is merely slow.
        renewer = eventlet.spawn(requests.keep_leasing)
        try:
            result = method(self, *args, **kwargs)
        except CatalogueError as error:
            if error.code == "SERVICE_UNAVAILABLE":
                requests.release()
            else:
                requests.store({"error": [error.code, error.fields, error.params, error.details]})
            raise
        except BaseException:
            requests.release()
            raise
        finally:
            renewer.kill()
        requests.store({"result": result})
        return result

    return wrapper


@functools.cache
def _answer(table: Table) -> Update:
    """The UPDATE that keeps a request's answer, built once per table: every write RPC runs it."""
    c = table.c
    return (
        update(table)
        # Not the columns' names: those are the SET clause's own
        .where(c.method == bindparam("_method"), c.key_hash == bindparam("_key_hash"))
        .values(status=DONE, answer=bindparam("_answer"))
    )


class Requests:
    """One key's row in ``rpc_requests``."""

    def __init__(self, db: Any, method: str, key: str, lease: timedelta = LEASE) -> None:
        self.db, self.table, self.lease = db, db.tables["rpc_requests"], lease
        self.where = {"method": method, "key_hash": hashlib.sha256(key.encode()).hexdigest()}

    def claim_or_wait(self) -> dict[str, Any] | None:
        """None once this run holds the key; the first run's answer when there is one."""
        give_up = time.monotonic() + self.lease.total_seconds()
        pause = WAIT_STEP
        while True:
            now = datetime.now(UTC)
            with self._autocommit() as session:
                row = {**self.where, "status": RUNNING, "lease_until": now + self.lease, "created_at": now}
                if insert_ignore(session, self.table, row):
                    return None
                held = session.execute(select(self.table).filter_by(**self.where)).first()
                if held is not None and held.status == DONE:
                    return dict(json.loads(held.answer))
                # Its run died (the lease ran out): take over. Compared in SQL, where both times
                # are stored alike (SQLite hands datetimes back without their zone).
                taken = session.execute(
                    update(self.table)
                    .filter_by(**self.where, status=RUNNING)
                    .where(self.table.c.lease_until < now)
                    .values(lease_until=now + self.lease)
                ).rowcount
                if taken:
                    return None
            if time.monotonic() > give_up:
                raise CatalogueError("SERVICE_UNAVAILABLE")
            eventlet.sleep(pause)
            pause = min(pause * 2, 0.5)  # a long first run is not worth a query every 50 ms

    def _autocommit(self) -> Any:
        """Each statement here stands alone (the insert claims, the update takes over or
        answers), so the BEGIN and COMMIT of a transaction would only add two round trips."""
        return autocommit(self.db.engine)

    def keep_leasing(self) -> None:
        """Push the lease out every third of it, for as long as the run goes on."""
        every = self.lease.total_seconds() / 3
        while True:
            eventlet.sleep(every)
            try:
                with self._autocommit() as session:
                    session.execute(
                        update(self.table)
                        .filter_by(**self.where, status=RUNNING)
                        .values(lease_until=datetime.now(UTC) + self.lease)
                    )
            except Exception:  # the database is away: the next renewal tries again
                continue

    def store(self, answer: dict[str, Any]) -> None:
        with self._autocommit() as session:
            session.execute(
                _answer(self.table),
                {"_method": self.where["method"], "_key_hash": self.where["key_hash"], "_answer": json.dumps(answer)},
            )

    def release(self) -> None:
        with self._autocommit() as session:
            session.execute(delete(self.table).filter_by(**self.where, status=RUNNING))

    @staticmethod
    def replay(answer: dict[str, Any]) -> Any:
        if "error" in answer:
            # Answers stored before errors had details have three parts.
            code, fields, params, details = [*answer["error"], None][:4]
            raise CatalogueError(code, fields, params, details)
        return answer["result"]


def forget_answers(engine: Any, table: Any, older_than: timedelta) -> int:
    """Delete answers older than any retry could come (the relay's hourly housekeeping)."""
    with engine.begin() as conn:
        result = conn.execute(delete(table).where(table.c.created_at < datetime.now(UTC) - older_than))
    return int(result.rowcount)
