"""A SQLAlchemy engine per service container and a session per nameko worker."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from nameko.extensions import DependencyProvider
from sqlalchemy import Engine, MetaData, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from hrss_kit.outbox_relay import OutboxRelay
from hrss_kit.relay import RelayRunner
from hrss_kit.retry_policy import RetryPolicy
from hrss_kit.sql import autocommit
from hrss_kit.topology import heartbeat

DATABASE_URL_KEY = "DATABASE_URL"
RANDOM_PAGE_COST = 1.1
OUTBOX_RELAY_KEY = "OUTBOX_RELAY"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine fit for eventlet workers.

    SQLite (the embedded default): ONE connection per process. SQLite waits for a lock inside
    C, holding the eventlet hub; a second writer while the first has yielded mid-transaction
    (to Redis, say) would freeze the process until the busy timeout. With a pool of one, the
    second transaction waits for the connection instead, cooperatively. Postgres: psycopg2,
    which eventlet's monkey patch makes cooperative, and a pool sized for the worker count.
    """
    # Statement parameters (password hashes among them) never go into error texts and logs.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        for pool_setting in ("pool_size", "max_overflow"):  # always one connection (above)
            kwargs.pop(pool_setting, None)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            pool_size=1,
            max_overflow=0,
            pool_timeout=30,
            **kwargs,
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # Enough to keep one connection per worker open: an overflow connection is closed when
    # returned, and opening one costs Postgres a new backend process.
    kwargs.setdefault("pool_size", 25)
    kwargs.setdefault("max_overflow", 10)
    # No ``pool_pre_ping``: it cost a round trip (a SELECT 1) on every checkout, some ten per
    # registration. A connection Postgres dropped fails its first statement instead: that
    # request answers 503 (``hrss_kit.errors``) and SQLAlchemy empties the pool, so the next
    # ones connect afresh (``make faults``' Postgres restart shows it).
    engine = create_engine(url, **kwargs)
    if engine.dialect.driver == "psycopg2" and "random_page_cost" not in str(make_url(url).query.get("options", "")):

        @event.listens_for(engine, "connect")
        def _planner(dbapi_conn: Any, _record: Any) -> None:
            # Postgres's planner costs a random page read at 4 sequential ones by default, which
            # models spinning disks; its documentation suggests 1.1 for solid-state storage. With
            # the default, a user center's count of 10,000 cases read the whole table (2.7 ms)
            # instead of its index (1.3 ms). Once per connection, outside any transaction (SET
            # would end with one); a URL's own ``options`` naming it wins.
            autocommit = dbapi_conn.autocommit
            dbapi_conn.autocommit = True
            try:
                with dbapi_conn.cursor() as cursor:
                    cursor.execute(f"SET random_page_cost = {RANDOM_PAGE_COST}")
            finally:
                dbapi_conn.autocommit = autocommit

    return engine


class ReadOnly(RuntimeError):
    """A write attempted through a session for reads (``UnitOfWorkDatabase.reading``)."""


# A SELECT that locks (its lock would end with it) or writes a table (SELECT … INTO). A function
# with side effects (set_config, an advisory lock) is not caught: reads do not call one.
_LOCKS_OR_WRITES = re.compile(r"\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b|\bINTO\b")


@event.listens_for(Engine, "before_cursor_execute")
def _reads_only(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    """On a connection lent for reads (``UnitOfWorkDatabase.reading``), whatever sends it (the
    ORM, Core, text): only a SELECT, and none that locks (its lock would end with it)."""
    if conn.info.get("read_only"):
        words = statement.lstrip().upper()
        if not words.startswith("SELECT") or _LOCKS_OR_WRITES.search(words):
            raise ReadOnly(words.split(None, 1)[0] if words else "statement")


class UnitOfWorkDatabase:
    """What a worker gets: sessions whose commits wake the outbox relay."""

    def __init__(
        self, factory: sessionmaker[Session], metadata: MetaData, retry_policy: RetryPolicy, amqp_uri: str = ""
    ) -> None:
        self._factory = factory
        self.amqp_uri = amqp_uri  # where this service's events go (replays of its log)
        self.engine: Engine = factory.kw["bind"]
        self.tables = metadata.tables
        self.retry_policy = retry_policy

    def session(self) -> Session:
        """A new session; the caller commits and closes it (a unit of work does)."""
        return self._factory()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only, each statement on its own (``autocommit``): no BEGIN, no
        ROLLBACK. Any write through it, a flush's included, fails at the cursor (``_reads_only``)."""
        with autocommit(self.engine) as conn, Session(bind=conn, expire_on_commit=False) as session:
            info = conn.info  # read now: after a dropped connection, reading it would reconnect
            info["read_only"] = True
            try:
                yield session
            finally:  # the connection's info outlives this loan
                info.pop("read_only", None)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One database transaction: committed when the block ends, rolled back on error."""
        with self._factory() as session, session.begin():
            yield session


def container_database(container: Any) -> Database:
    """The ``Database`` dependency of a container (the kit's threads that poll it share it)."""
    return next(d for d in container.dependencies if isinstance(d, Database))


class Database(DependencyProvider):
    """nameko dependency: ``self.db.transaction()`` in a worker.

    The engine is built once in ``setup`` from ``DATABASE_URL``; ``on_commit`` callbacks run
    after each commit that wrote outbox rows (the relay uses it to publish at once).
    """

    def __init__(self, metadata: MetaData) -> None:
        self.metadata = metadata
        self.engine: Engine | None = None
        self.factory: sessionmaker[Session] | None = None
        self._commit_listeners: list[Callable[[], None]] = []
        self.relay: RelayRunner | None = None

    def setup(self) -> None:
        # One connection per worker, and a few for the kit's own threads (relay, retries,
        # catch-up): a pool sized to the workers, not a fixed 25, so that replicas of every
        # service stay within the database's connection limit (Postgres: 100 by default).
        workers = int(self.container.max_workers)
        self.engine = make_engine(self.container.config[DATABASE_URL_KEY], pool_size=workers + 4, max_overflow=4)
        self.factory = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.factory, "after_commit", self._after_commit)
        self.retry_policy = RetryPolicy.from_config(self.container.config)

    def add_commit_listener(self, listener: Callable[[], None]) -> None:
        self._commit_listeners.append(listener)

    def _after_commit(self, session: Session) -> None:
        if session.info.pop("outbox_written", False):
            for listener in self._commit_listeners:
                listener()

    def start(self) -> None:
        outbox = self.metadata.tables.get("outbox")
        if outbox is None or not self.container.config.get(OUTBOX_RELAY_KEY, True):
            return
        assert self.engine is not None
        config = self.container.config
        days = config.get("EVENT_LOG_RETENTION_DAYS")  # the event log is kept unless this says otherwise
        relay = OutboxRelay(
            self.engine,
            outbox,
            config["AMQP_URI"],
            heartbeat=heartbeat(config),
            retention=timedelta(days=float(days)) if days not in (None, "") else None,
        )
        self.relay = RelayRunner(relay, float(config.get("OUTBOX_POLL_SECONDS", 1.0)))
        self.add_commit_listener(self.relay.wake)
        self.container.spawn_managed_thread(self.relay.run, identifier="outbox-relay")
        self.relay.wake()  # rows a previous process left behind

    def stop(self) -> None:
        if self.relay is not None:
            self.relay.stop()
        if self.engine is not None:
            self.engine.dispose()

    # A container killed (not stopped) must not leave its pool's connections open either:
    # nameko's own kill does nothing for a dependency.
    kill = stop

    def get_dependency(self, worker_ctx: Any) -> UnitOfWorkDatabase:
        assert self.factory is not None
        return UnitOfWorkDatabase(
            self.factory, self.metadata, self.retry_policy, self.container.config.get("AMQP_URI", "")
        )
