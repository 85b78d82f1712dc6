"""Small SQL helpers that differ between SQLite and Postgres."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def insert_ignore(session: Session | Connection, table: Table, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was inserted.

    On Postgres a concurrent insert of the same key waits for the other transaction and then
    does nothing, which is what makes (consumer, event id) a lock as well as a record.
    """
    unknown = values.keys() - table.c.keys()
    if unknown:  # a built statement takes only its columns from the values: say so, as .values() did
        raise ValueError(f"{table.name} has no column {sorted(unknown)}")
    result = session.execute(_ignoring(_insert_for(session), table), values)
    return bool(result.rowcount)  # type: ignore[attr-defined]


# The statements below are built once per table (functools.cache), for every event and every
# write runs one: building a statement costs more CPU than running a built one.


@functools.cache
def _ignoring(insert: Any, table: Table) -> Any:
    """Its columns are the values' (SQLAlchemy compiles it once per set of keys)."""
    return insert(table).on_conflict_do_nothing()


def next_sequence(session: Session, sequences: Table, aggregate_id: str) -> int:
    """The aggregate's next event number (1, 2, …), taken in ``session``'s transaction.

    One upsert: the row lock it takes makes concurrent transactions on the same aggregate
    number their events one after the other, in commit order.
    """
    return count_up(session, sequences, "aggregate_id", aggregate_id, "sequence")


def count_up(session: Session, table: Table, key_column: str, key: str, counter_column: str) -> int:
    """Add one to the counter of the row ``key`` (created at 1) and return it: one upsert, whose
    row lock orders concurrent transactions counting on the same row."""
    statement = counting_upsert(_insert_for(session), table, key_column, counter_column)
    return int(session.execute(statement, {"key": key}).scalar_one())


@functools.cache
def counting_upsert(insert: Any, table: Table, key_column: str, counter_column: str) -> Any:
    """``count_up``'s upsert (``key`` bound), built once per shape; the outbox also runs it as
    the ``WITH`` of its one-statement insert."""
    counter = table.c[counter_column]
    return (
        insert(table)
        .values({key_column: bindparam("key"), counter_column: 1})
        .on_conflict_do_update(index_elements=[key_column], set_={counter_column: counter + 1})
        .returning(counter)
    )


def advance_version(session: Session, versions: Table, read_model: str, aggregate_id: str, sequence: int) -> bool:
    """Record that ``read_model`` holds ``aggregate_id`` at ``sequence``; False (and nothing
    written) when it already holds that or a newer one: the event is old news."""
    values = {"read_model": read_model, "aggregate_id": aggregate_id, "sequence": sequence}
    result = session.execute(_advancing(_insert_for(session), versions), values)
    return bool(result.rowcount)  # type: ignore[attr-defined]


@functools.cache
def _advancing(insert: Any, versions: Table) -> Any:
    statement = insert(versions)
    return statement.on_conflict_do_update(
        index_elements=["read_model", "aggregate_id"],
        set_={"sequence": statement.excluded.sequence},
        where=versions.c.sequence < statement.excluded.sequence,
    )


def dialect_name(executor: Session | Connection) -> str:
    """``"postgresql"`` or ``"sqlite"``, for a session or a connection."""
    return str((executor.dialect if isinstance(executor, Connection) else executor.get_bind().dialect).name)


def _insert_for(executor: Session | Connection) -> Any:
    """The dialect's ``insert`` (both have ON CONFLICT) for a session or a connection."""
    return pg_insert if dialect_name(executor) == "postgresql" else sqlite_insert


def aware(moment: datetime) -> datetime:
    """SQLite hands times back without their zone; every time the services write is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@contextlib.contextmanager
def autocommit(engine: Engine) -> Iterator[Connection]:
    """A connection whose every statement commits by itself: a statement that stands alone, or
    a read (each statement of a READ COMMITTED transaction sees its own snapshot anyway), saves
    the round trips of BEGIN and of COMMIT or ROLLBACK. Never for ``FOR UPDATE``: its lock
    would end with its statement.

    On psycopg2, the driver's own switch, turned back before the connection returns to the
    pool. SQLAlchemy's ``isolation_level`` option would do the same, but leaves the level set
    explicitly behind it, and every later switch then costs a ``SET default_transaction_isolation``.
    """
    if engine.dialect.driver != "psycopg2":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            yield conn
        return
    with engine.connect() as conn:
        raw: Any = conn.connection.dbapi_connection
        raw.autocommit = True
        try:
            yield conn
        finally:
            if not raw.closed:
                raw.autocommit = False
