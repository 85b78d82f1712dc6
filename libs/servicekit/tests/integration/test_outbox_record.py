"""``outbox.record`` numbers each aggregate's events and writes the number into the event's body;
on Postgres in one statement, so that a unit of work with nothing but one event to record
commits it without a transaction of its own (no BEGIN, no COMMIT) and still wakes the relay."""

import json
import uuid

import psycopg2.extensions
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, event, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from hrss_kit import outbox
from hrss_kit.database import UnitOfWorkDatabase, make_engine
from hrss_kit.retry_policy import RetryPolicy
from hrss_kit.sql_unit_of_work import SqlUnitOfWork
from hrss_kit.tables import add_kit_tables

pytestmark = pytest.mark.integration

metadata = MetaData()
add_kit_tables(metadata)
notes = Table("notes", metadata, Column("id", Integer, primary_key=True), Column("body", String(50)))


class NotesUnitOfWork(SqlUnitOfWork):
    def bind(self, session):
        self.session = session


def envelope(aggregate_id):
    return {
        "event_id": str(uuid.uuid4()),
        "event_type": "NoteWritten",
        "schema_version": 1,
        "source": "notes",
        "aggregate_id": aggregate_id,
        "data": {"text": "引号 \" 与 } 括号'"},
    }


@pytest.fixture(params=["postgres", "sqlite"])
def engine(request, make_database, tmp_path):
    url = make_database("kit_outbox") if request.param == "postgres" else f"sqlite:///{tmp_path / 'outbox.db'}"
    engine = make_engine(url)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres(make_database):
    engine = make_engine(make_database("kit_outbox"))
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def rows(engine):
    with engine.connect() as conn:
        return conn.execute(select(metadata.tables["outbox"]).order_by("id")).all()


def test_each_aggregate_numbers_its_events_and_the_body_carries_the_number(engine):
    factory = sessionmaker(engine)
    recorded = []
    for aggregate_id in ("a", "b", "a", "a", "b"):
        with factory() as session, session.begin():
            recorded.append(envelope(aggregate_id))
            outbox.record(session, metadata.tables["outbox"], recorded[-1])
            assert session.info["outbox_written"] is True
    assert [e["sequence"] for e in recorded] == [1, 1, 2, 3, 2]
    kept = rows(engine)
    assert [row.sequence for row in kept] == [1, 1, 2, 3, 2]
    assert [json.loads(row.body) for row in kept] == recorded  # the body, its sequence included


def uow_on(engine, woken):
    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "after_commit", lambda session: woken.append(session.info.pop("outbox_written", False)))
    db = UnitOfWorkDatabase(factory, metadata, RetryPolicy())
    return NotesUnitOfWork(db, lambda e: e)


def in_transaction_after_each_statement(engine):
    """After each statement: was the DBAPI connection inside a transaction (BEGIN sent)?"""
    states = []

    def after(conn, cursor, statement, *_):
        status = conn.connection.dbapi_connection.info.transaction_status
        states.append(status != psycopg2.extensions.TRANSACTION_STATUS_IDLE)

    event.listen(engine, "after_cursor_execute", after)
    return states


def test_a_unit_of_work_with_one_event_and_nothing_else_commits_it_without_a_transaction(postgres):
    woken, states = [], in_transaction_after_each_statement(postgres)
    with uow_on(postgres, woken) as uow:
        uow.publish(envelope("a"))
        uow.commit()
    assert states == [False]  # one statement, committed by itself
    assert woken == [True]  # the relay is woken at once
    [row] = rows(postgres)
    assert row.sequence == json.loads(row.body)["sequence"] == 1


def test_a_unit_of_work_that_read_first_records_its_event_in_its_transaction(postgres):
    woken, states = [], in_transaction_after_each_statement(postgres)
    with uow_on(postgres, woken) as uow:
        uow.session.execute(select(notes.c.id))
        uow.publish(envelope("a"))
        uow.commit()
    assert states == [True, True] and woken == [True]


def test_a_one_event_commit_that_fails_keeps_its_event_and_wakes_nobody(postgres):
    woken, first = [], envelope("a")
    with uow_on(postgres, woken) as uow:
        uow.publish(first)
        uow.commit()
    with uow_on(postgres, woken) as uow:
        uow.publish(dict(first))  # the same event id again
        with pytest.raises(IntegrityError):
            uow.commit()
        assert len(uow.events) == 1
    assert woken == [True]
    with postgres.connect() as conn:  # the failed statement took no number
        assert conn.execute(select(metadata.tables["aggregate_sequences"].c.sequence)).scalar_one() == 1


def test_an_event_beside_a_change_is_recorded_in_the_change_s_transaction(postgres):
    woken, states = [], in_transaction_after_each_statement(postgres)
    with uow_on(postgres, woken) as uow:
        uow.session.execute(insert(notes).values(id=1, body="note"))
        uow.publish(envelope("a"))
        uow.rollback()  # neither the change nor its event
    assert rows(postgres) == [] and woken == []
    with uow_on(postgres, woken) as uow:
        uow.session.execute(insert(notes).values(id=1, body="note"))
        uow.publish(envelope("a"))
        uow.commit()
    assert states[-2:] == [True, True] and woken == [True]
    assert [row.sequence for row in rows(postgres)] == [1]
