"""Migrations are frozen history: a database made by revision 0001, with events in its log,
upgrades to the head and then matches the models exactly, its events kept."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from hrss_authorization.adapters.orm import metadata as authorization_metadata
from hrss_enterprise.adapters.orm import metadata as enterprise_metadata
from hrss_identity.adapters.orm import metadata as identity_metadata
from hrss_kit.migrate import alembic_config, schema_drift, upgrade

pytestmark = pytest.mark.integration

SERVICES = {
    "hrss_authorization": authorization_metadata,
    "hrss_enterprise": enterprise_metadata,
    "hrss_identity": identity_metadata,
}


@pytest.fixture(params=["postgres", "sqlite"])
def database(request, make_database, tmp_path):
    if request.param == "postgres":
        return make_database("frozen")
    return f"sqlite:///{tmp_path / 'frozen.db'}"


@pytest.mark.parametrize("package", sorted(SERVICES))
def test_a_database_made_by_revision_0001_upgrades_to_the_models_and_keeps_its_events(package, database):
    command.upgrade(alembic_config(package, database), "0001")
    engine = create_engine(database)
    event_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO outbox (event_id, event_type, source, aggregate_id, body, created_at, published_at)"
                " VALUES (:id, 'RegistrationRejected', 'enterprise', 'X', :body, :at, :at)"
            ),
            {"id": event_id, "body": json.dumps({"event_id": event_id}), "at": datetime.now(UTC)},
        )
    upgrade(package, database)
    assert schema_drift(SERVICES[package], database) == []
    with engine.connect() as conn:
        row = conn.execute(text("SELECT sequence, publish_attempts FROM outbox WHERE event_id = :id"), {"id": event_id})
        assert row.one() == (None, 0)
    engine.dispose()


def test_each_revision_carries_its_own_ddl():
    """No revision builds tables from the code of today (the models, the kit's table helpers)."""
    from pathlib import Path

    import hrss_authorization
    import hrss_enterprise
    import hrss_identity

    for package in (hrss_authorization, hrss_enterprise, hrss_identity):
        for revision in (Path(package.__file__).parent / "migrations" / "versions").glob("*.py"):
            source = revision.read_text()
            assert "hrss_kit" not in source and ".adapters" not in source, revision.name


@pytest.mark.parametrize(
    ("package", "before", "table", "columns"),
    [
        ("hrss_authorization", "0003", "clerks", "clerk_id, enterprise_id, id_number, name, phone, added_at"),
        ("hrss_identity", "0006", "clerk_memberships", "clerk_id, uscc, id_number, name, phone"),
    ],
)
def test_clerks_from_before_document_types_are_residents_but_a_foreigners_2023_card_is_typed_so(
    package, before, table, columns, database
):
    command.upgrade(alembic_config(package, database), before)
    engine = create_engine(database)
    now = datetime.now(UTC)
    rows = {"c1": "11010519491231002X", "c2": "911398199012310021"}
    with engine.begin() as conn:
        if package == "hrss_authorization":
            conn.execute(
                text(
                    "INSERT INTO enterprises (enterprise_id, uscc, name, legal_rep_name, legal_rep_id)"
                    " VALUES ('E', 'E', '甲', '乙', '11010519491231002X')"
                )
            )
        for clerk_id, number in rows.items():
            values = {"c": clerk_id, "n": number, "at": now}
            extra = ", 'E', :n, '丙', '139', :at" if package == "hrss_authorization" else ", 'E', :n, '丙', '139'"
            conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES (:c{extra})"), values)
    upgrade(package, database)
    with engine.connect() as conn:
        typed = dict(conn.execute(text(f"SELECT clerk_id, id_type FROM {table}")).all())
    assert typed == {"c1": "resident_id", "c2": "foreign_permanent_residence"}
    engine.dispose()
