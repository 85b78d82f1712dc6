"""Two small services built only from the kit, for its integration tests.

``producer`` writes events to its outbox; ``recorder`` consumes them reliably and records each
effect in its own database. ``BEHAVIOUR`` lets a test make the handler fail or stall.
"""

import collections
import uuid
from datetime import UTC, datetime

import eventlet
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, func, insert, select, text, update

from hrss_contracts.errors import CatalogueError
from hrss_contracts.events import new_envelope
from hrss_kit import outbox
from hrss_kit.database import Database
from hrss_kit.inbox import reliable_handler
from hrss_kit.ops import OperationsMixin
from hrss_kit.redis import Redis
from hrss_kit.rpc import rpc
from hrss_kit.rpc_client import ServiceRpc
from hrss_kit.tables import add_kit_tables

producer_metadata = MetaData()
add_kit_tables(producer_metadata)

recorder_metadata = MetaData()
add_kit_tables(recorder_metadata)
effects = Table(
    "effects",
    recorder_metadata,
    Column("uscc", String(18), nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# uscc → number of times the handler still has to fail before it succeeds (-1: always)
BEHAVIOUR: dict[str, int] = {}
ATTEMPTS: collections.Counter = collections.Counter()


def rejection(uscc: str, reason: str = "not_verified") -> dict:
    return new_envelope(
        "RegistrationRejected",
        "producer",
        uscc,
        {"uscc": uscc, "reason": reason, "mismatched_fields": [], "decided_at": datetime.now(UTC).isoformat()},
    )


class Producer(OperationsMixin):
    name = "producer"
    db = Database(producer_metadata)

    @rpc
    def emit(self, uscc: str, then_fail: bool = False, reason: str = "not_verified") -> str:
        envelope = rejection(uscc, reason)
        with self.db.transaction() as session:
            outbox.record(session, self.db.tables["outbox"], envelope)
            if then_fail:
                raise ValueError("rolled back after writing the outbox row")
        return envelope["event_id"]


class Recorder(OperationsMixin):
    name = "recorder"
    db = Database(recorder_metadata)

    @reliable_handler("producer", "RegistrationRejected")
    def on_rejection(self, session, envelope):
        uscc = envelope["data"]["uscc"]
        ATTEMPTS[uscc] += 1
        remaining = BEHAVIOUR.get(uscc, 0)
        if remaining:
            BEHAVIOUR[uscc] = remaining - 1 if remaining > 0 else -1
            raise RuntimeError(f"handler failure for {uscc}")
        session.execute(insert(effects).values(uscc=uscc, event_id=str(envelope["event_id"]), at=datetime.now(UTC)))

    @rpc
    def effects_of(self, uscc: str) -> int:
        return count_effects(self.db, uscc)


class Watcher:
    """Calls ``sleeper`` with the liveness watch on (``fail_fast``)."""

    name = "watcher"
    sleeper = ServiceRpc("sleeper", timeout=10, fail_fast=True)

    @rpc
    def call_nap(self, seconds: float) -> str:
        return self.sleeper.nap(seconds=seconds)


def record_effect(db, uscc):
    with db.transaction() as session:
        session.execute(insert(effects).values(uscc=uscc, event_id=uuid.uuid4().hex, at=datetime.now(UTC)))


def count_effects(db, uscc):
    with db.transaction() as session:
        return session.execute(select(func.count()).select_from(effects).where(effects.c.uscc == uscc)).scalar()


class Ledger(OperationsMixin):
    """Idempotent writes: each call records an effect (and ``pause`` makes it slow)."""

    name = "ledger"
    db = Database(recorder_metadata)

    @rpc(idempotent=True)
    def add(self, uscc: str, pause: float = 0.0) -> str:
        eventlet.sleep(pause)
        record_effect(self.db, uscc)
        return f"added {uscc} {uuid.uuid4().hex[:6]}"  # differs per run: a repeat must return the first

    @rpc(idempotent=True)
    def refuse(self, uscc: str) -> str:
        record_effect(self.db, uscc)
        raise CatalogueError("ENTERPRISE_NOT_VERIFIED", details={"uscc": uscc})

    @rpc(idempotent=True)
    def unavailable(self, uscc: str) -> str:
        record_effect(self.db, uscc)
        raise CatalogueError("SERVICE_UNAVAILABLE")

    @rpc
    def count(self, uscc: str) -> int:
        return count_effects(self.db, uscc)


class Forwarder:
    """Calls ``ledger.add`` twice per request: the two calls get keys of their own, and a
    repeat of the request repeats both keys."""

    name = "forwarder"
    ledger = ServiceRpc("ledger", timeout=5)

    @rpc
    def add_twice(self, uscc: str) -> list:
        return [self.ledger.add(uscc=uscc), self.ledger.add(uscc=uscc)]


projection_metadata = MetaData()
add_kit_tables(projection_metadata)
rejections = Table(
    "rejections",
    projection_metadata,
    Column("uscc", String(18), primary_key=True),
    Column("reason", String(20), nullable=False),
    Column("sequence", Integer, nullable=False),
)


seen = Table(
    "seen",
    projection_metadata,
    Column("uscc", String(18), nullable=False),
    Column("event_id", String(36), primary_key=True),
)


def projector(name: str, with_second_handler: bool = False, with_absent_publisher: bool = False) -> type:
    """A read model of the producer's rejections: the latest reason of each code; optionally a
    second handler of the same events (as a new release of the service would add one), or a
    handler of a publisher no one runs yet (named to come first when catch-ups are sorted)."""

    class Projector(OperationsMixin):
        db = Database(projection_metadata)

        @reliable_handler("producer", "RegistrationRejected", read_model="rejections")
        def on_rejection(self, session, envelope):
            row = {"reason": envelope["data"]["reason"], "sequence": envelope.get("sequence") or 0}
            uscc = envelope["data"]["uscc"]
            if session.execute(update(rejections).filter_by(uscc=uscc).values(**row)).rowcount == 0:
                session.execute(insert(rejections).values(uscc=uscc, **row))

        @rpc
        def read_model(self) -> dict:
            with self.db.transaction() as session:
                return {r.uscc: [r.reason, r.sequence] for r in session.execute(select(rejections))}

        @rpc
        def seen_by_second_handler(self) -> list:
            with self.db.transaction() as session:
                return [r.uscc for r in session.execute(select(seen))]

    if with_second_handler:

        @reliable_handler("producer", "RegistrationRejected")
        def on_rejection_too(self, session, envelope):
            session.execute(insert(seen).values(uscc=envelope["data"]["uscc"], event_id=str(envelope["event_id"])))

        Projector.on_rejection_too = on_rejection_too

    if with_absent_publisher:

        @reliable_handler("absent", "RegistrationRejected")
        def a_handler_of_a_publisher_not_built_yet(self, session, envelope):
            raise AssertionError("no such publisher runs")

        Projector.a_handler_of_a_publisher_not_built_yet = a_handler_of_a_publisher_not_built_yet

    Projector.name = name
    return Projector


class Sleeper:
    """Slow work of two kinds (a database query, a CPU-bound hash) next to a quick call."""

    name = "sleeper"
    db = Database(MetaData())

    @rpc
    def slow_query(self, seconds: float) -> str:
        with self.db.transaction() as session:
            session.execute(text("SELECT pg_sleep(:s)"), {"s": seconds})
        return "slept"

    @rpc
    def slow_hash(self) -> str:
        from argon2 import PasswordHasher
        from eventlet import tpool

        return tpool.execute(PasswordHasher(time_cost=12, memory_cost=65536).hash, "x" * 16)[:9]

    @rpc
    def hold_write(self, seconds: float) -> str:
        """Writes, then yields mid-transaction (as a Redis call would) before committing."""
        with self.db.transaction() as session:
            session.execute(text("CREATE TABLE IF NOT EXISTS marks (x INTEGER)"))
            session.execute(text("INSERT INTO marks VALUES (1)"))
            eventlet.sleep(seconds)
        return "held"

    @rpc
    def write(self) -> str:
        with self.db.transaction() as session:
            session.execute(text("CREATE TABLE IF NOT EXISTS marks (x INTEGER)"))
            session.execute(text("INSERT INTO marks VALUES (2)"))
        return "written"

    @rpc
    def nap(self, seconds: float) -> str:
        eventlet.sleep(seconds)
        return "rested"

    @rpc
    def quick(self) -> str:
        return "quick"

    @rpc
    def refuse(self) -> str:
        raise CatalogueError(
            "PUBLIC_SERVICE_REGISTRATION_MISSING",
            fields={"uscc": ["mismatch"]},
            params={"uscc": "1123100000********", "id_number": "23100419641********"},
        )


class Caller:
    """Calls ``sleeper`` through the kit's client, with a short timeout."""

    name = "caller"
    sleeper = ServiceRpc("sleeper", timeout=2)
    nobody = ServiceRpc(f"nobody-{uuid.uuid4().hex[:6]}", timeout=5)

    @rpc
    def call_nap(self, seconds: float) -> str:  # times out past 2 s
        return self.sleeper.nap(seconds=seconds)

    @rpc
    def call_nobody(self) -> str:
        return self.nobody.anything()


class RedisLedger(OperationsMixin):
    """``Ledger`` with its answers kept in Redis (``@rpc(idempotent="redis")``); the effects
    still go to the database, where the test counts them."""

    name = "redis_ledger"
    db = Database(recorder_metadata)
    redis = Redis()

    @rpc(idempotent="redis")
    def add(self, uscc: str, pause: float = 0.0) -> str:
        eventlet.sleep(pause)
        record_effect(self.db, uscc)
        return f"added {uscc} {uuid.uuid4().hex[:6]}"

    @rpc(idempotent="redis")
    def refuse(self, uscc: str) -> str:
        record_effect(self.db, uscc)
        raise CatalogueError("ENTERPRISE_NOT_VERIFIED", details={"uscc": uscc})

    @rpc(idempotent="redis")
    def unavailable(self, uscc: str) -> str:
        record_effect(self.db, uscc)
        raise CatalogueError("SERVICE_UNAVAILABLE")

    @rpc
    def count(self, uscc: str) -> int:
        return count_effects(self.db, uscc)
