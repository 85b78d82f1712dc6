"""Statements that stand alone run without BEGIN and COMMIT (``hrss_kit.sql.autocommit``); use
cases that only read run on such a connection (``UnitOfWorkDatabase.reading``) and cannot write
through it; and the connection goes back to the pool as transactional as it came."""

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, delete, insert, select, text, update
from sqlalchemy.orm import registry, sessionmaker

from hrss_kit.database import ReadOnly, UnitOfWorkDatabase, make_engine
from hrss_kit.retry_policy import RetryPolicy
from hrss_kit.sql import autocommit, insert_ignore
from hrss_kit.sql_unit_of_work import SqlUnitOfWork

pytestmark = pytest.mark.integration

metadata = MetaData()
notes = Table("notes", metadata, Column("id", Integer, primary_key=True), Column("body", String(50)))


class Note:
    pass


registry().map_imperatively(Note, notes)


class NotesUnitOfWork(SqlUnitOfWork):
    def bind(self, session):
        self.notes = session


@pytest.fixture(params=["postgres", "sqlite"])
def engine(request, make_database, tmp_path):
    url = make_database("kit_autocommit") if request.param == "postgres" else f"sqlite:///{tmp_path / 'notes.db'}"
    engine = make_engine(url, pool_size=1, max_overflow=0)  # one connection: every checkout is the same
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine):
    return UnitOfWorkDatabase(sessionmaker(engine, expire_on_commit=False), metadata, RetryPolicy())


def bodies(engine):
    with engine.connect() as conn:
        return sorted(conn.execute(select(notes.c.body)).scalars())


def test_each_statement_commits_by_itself_and_the_connection_returns_transactional(engine):
    with autocommit(engine) as conn:
        conn.execute(insert(notes).values(id=1, body="kept"))
    assert bodies(engine) == ["kept"]
    with engine.connect() as conn:  # the same pooled connection, in a transaction again
        conn.execute(insert(notes).values(id=2, body="never committed"))
    assert bodies(engine) == ["kept"]


def test_on_psycopg2_the_switch_leaves_no_isolation_level_behind(engine):
    if engine.dialect.driver != "psycopg2":
        pytest.skip("psycopg2's own switch")
    with autocommit(engine) as conn:
        raw = conn.connection.dbapi_connection
        assert raw.autocommit
    # None: the server's default, set by nobody; an explicit level would cost a SET at the next switch.
    assert (raw.autocommit, raw.isolation_level) == (False, None)


def test_a_reading_session_reads_what_is_committed_and_refuses_every_write(db, engine):
    with autocommit(engine) as conn:
        conn.execute(insert(notes).values(id=1, body="one"))
    with db.reading() as session:
        assert session.execute(select(notes.c.body)).scalars().all() == ["one"]
        writes = [
            insert(notes).values(id=2, body="two"),
            update(notes).values(body="changed"),
            delete(notes),
            text("INSERT INTO notes (id, body) VALUES (3, 'three')"),
            text("select id from notes\nFOR NO KEY UPDATE"),  # refused before the database sees it
            text("SELECT id INTO TEMP copied FROM notes"),
        ]
        if engine.dialect.name == "postgresql":  # SQLite has no FOR UPDATE (the statement is a plain SELECT)
            writes.append(select(notes).with_for_update())  # its lock would end with its statement
        for write in writes:
            with pytest.raises(ReadOnly):
                session.execute(write)
            with pytest.raises(ReadOnly):  # past the ORM too
                session.connection().execute(write)
        note = session.get(Note, 1)
        note.body = "changed in memory"
        with pytest.raises(ReadOnly):
            session.flush()
    assert bodies(engine) == ["one"]
    with engine.connect() as conn:  # the connection lent for reads is an ordinary one again
        conn.execute(insert(notes).values(id=4, body="four"))
        conn.commit()
    assert bodies(engine) == ["four", "one"]


def test_a_read_only_unit_of_work_reads_and_cannot_commit(db, engine):
    with autocommit(engine) as conn:
        conn.execute(insert(notes).values(id=1, body="one"))
    uow = NotesUnitOfWork(db, lambda event: {}, read_only=True)
    for _ in range(2):  # entered again after it was left, as use cases do
        with uow:
            assert uow.notes.execute(select(notes.c.body)).scalar_one() == "one"
            with pytest.raises(ReadOnly):
                uow.commit()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM notes")).scalar_one() == 1


def test_postgres_plans_for_solid_state_storage_unless_the_url_says_otherwise(make_database):
    url = make_database("kit_planner")
    for engine_url, expected in ((url, "1.1"), (f"{url}?options=-c%20random_page_cost%3D2", "2")):
        engine = make_engine(engine_url)
        with engine.connect() as conn:
            assert conn.execute(text("SHOW random_page_cost")).scalar_one() == expected
        engine.dispose()


def test_insert_ignore_inserts_once_and_refuses_a_value_with_no_column(engine):
    with engine.begin() as conn:
        assert insert_ignore(conn, notes, {"id": 7, "body": "first"}) is True
        assert insert_ignore(conn, notes, {"id": 7, "body": "second"}) is False
        with pytest.raises(ValueError, match="boddy"):  # a misspelt key is no NULL written quietly
            insert_ignore(conn, notes, {"id": 8, "boddy": "typo"})
        assert conn.execute(select(notes.c.id, notes.c.body).order_by(notes.c.id)).all() == [(7, "first")]
