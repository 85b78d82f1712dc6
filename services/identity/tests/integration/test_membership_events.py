"""The membership read model fed by real events (nameko containers, RabbitMQ, Postgres, Redis):
ordered per aggregate, idempotent, ending sessions within a second, and the same when built by
catch-up as when built live, including after identity's read model was wiped."""

import time
import uuid
from datetime import UTC, datetime

import kombu
import pytest
import redis
from identity_builders import random_uscc
from sqlalchemy import MetaData, create_engine, delete, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from hrss_contracts.events import new_envelope
from hrss_contracts.examples import random_id_number
from hrss_enterprise.adapters.orm import metadata as enterprise_metadata
from hrss_enterprise.entrypoints.service import EnterpriseService
from hrss_identity.adapters.orm import clerk_memberships, enterprise_codes, legal_representatives, metadata
from hrss_identity.adapters.sessions import RedisSessions
from hrss_identity.adapters.unit_of_work import SqlUnitOfWork
from hrss_identity.domain.model import Session
from hrss_identity.entrypoints.service import IdentityService
from hrss_kit import outbox
from hrss_kit.database import Database, UnitOfWorkDatabase, make_engine
from hrss_kit.migrate import upgrade
from hrss_kit.ops import OperationsMixin
from hrss_kit.retry import RetryPolicy
from hrss_kit.rpc import rpc as rpc_entrypoint
from hrss_kit.tables import add_kit_tables
from hrss_kit.topology import event_exchange

pytestmark = pytest.mark.integration

READ_MODEL = (legal_representatives, enterprise_codes, clerk_memberships)
authorization_metadata = MetaData()
add_kit_tables(authorization_metadata)


class Authorization(OperationsMixin):
    """Stands in for the authorization service (issue 7): its event log, and nothing else."""

    name = "authorization"
    db = Database(authorization_metadata)

    @rpc_entrypoint
    def publish(self, event_type: str, data: dict) -> None:
        with self.db.transaction() as session:
            outbox.record(
                session, self.db.tables["outbox"], new_envelope(event_type, self.name, data["clerk_id"], data)
            )


class LateIdentity(IdentityService):
    """A second identity with a database and queues of its own, started after the events."""

    name = "identity_late"


def eventually(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, "condition not met in time"
            return value
        time.sleep(0.05)


@pytest.fixture
def urls(make_database):
    found = {name: make_database(f"membership_{name}") for name in ("enterprise", "identity", "late", "authorization")}
    upgrade("hrss_enterprise", found["enterprise"])
    upgrade("hrss_identity", found["identity"])
    upgrade("hrss_identity", found["late"])
    engine = create_engine(found["authorization"])
    authorization_metadata.create_all(engine)
    engine.dispose()
    return found


@pytest.fixture
def sessions(redis_url, prefix):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield RedisSessions(client, prefix, 1800, 43200)
    client.close()


def database(url):
    return UnitOfWorkDatabase(sessionmaker(make_engine(url), expire_on_commit=False), metadata, RetryPolicy())


def legal_enterprises(url, id_number, name):
    with SqlUnitOfWork(database(url)) as uow:
        return uow.memberships.legal_enterprises(id_number, name)


def clerk_enterprises(url, id_number, name):
    with SqlUnitOfWork(database(url)) as uow:
        return uow.memberships.clerk_enterprises(id_number, name)


def read_model(url, aggregates):
    """The read model's rows of ``aggregates`` (enterprise and clerk ids): the queues may still
    hold events of other tests' enterprises."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = {
            table.name: sorted(tuple(r) for r in conn.execute(select(table)) if set(r) & aggregates)
            for table in READ_MODEL
        }
    engine.dispose()
    return rows


def register(rpc, legal_rep_id, legal_rep_name="王建国"):
    """An enterprise the enterprise-pension source vouches for, registered through identity."""
    uscc = random_uscc()
    record = {
        "uscc": uscc,
        "name": f"测试企业{uscc[-6:]}有限公司",
        "address": "黑龙江省哈尔滨市南岗区学府路1号",
        "legal_rep_name": legal_rep_name,
        "legal_rep_id": legal_rep_id,
        "legal_rep_phone": "13904510001",
        "units": [],
    }
    report = rpc.service("enterprise").import_sources(
        source="enterprise-pension", records=[{"line": 1, "record": record}]
    )
    assert report["added"] == 1, report
    application = {k: record[k] for k in ("uscc", "name", "legal_rep_name", "legal_rep_id")}
    rpc.service("identity").register(application={**application, "phone": "13904510001"})
    return uscc


def change_key_info(url, enterprise_id, **changes):
    """What the business service's approval of 单位关键信息维护 will publish: an event in the
    enterprise's log (its relay publishes it), numbered after the enterprise's registration."""
    engine = create_engine(url)
    outbox_table = enterprise_metadata.tables["outbox"]
    with OrmSession(engine) as session, session.begin():
        enterprises = enterprise_metadata.tables["enterprises"]
        enterprise = session.execute(select(enterprises).filter_by(uscc=enterprise_id)).one()
        data = {
            "uscc": enterprise_id,
            "previous_uscc": None,
            "name": enterprise.name,
            "legal_rep_name": enterprise.legal_rep_name,
            "legal_rep_id": enterprise.legal_rep_id,
            "changed_at": datetime.now(UTC).isoformat(),
            **changes,
        }
        envelope = new_envelope("EnterpriseKeyInfoChanged", "enterprise", enterprise_id, data)
        outbox.record(session, outbox_table, envelope)
    engine.dispose()


def clerk(clerk_id, uscc, id_number, name="李小红", stamp="added_at"):
    return {
        "clerk_id": clerk_id,
        "uscc": uscc,
        "id_number": id_number,
        "name": name,
        "phone": "13904510002",
        stamp: datetime.now(UTC).isoformat(),
    }


def an_event(event_type, data, sequence):
    """An authorization event as its relay would publish it, with the ``sequence`` the test picks."""
    return {**new_envelope(event_type, "authorization", data["clerk_id"], data), "sequence": sequence}


def send(amqp_uri, envelope):
    with kombu.Connection(amqp_uri) as connection:
        exchange = event_exchange("authorization")
        kombu.Producer(connection.channel()).publish(
            envelope, exchange=exchange, routing_key=envelope["event_type"], declare=[exchange], serializer="json"
        )


def handled(url, envelope):
    """Whether identity recorded the event as processed (applied, or skipped as old news)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        table = metadata.tables["processed_events"]
        found = conn.execute(select(table).filter_by(event_id=envelope["event_id"])).first()
    engine.dispose()
    return found is not None


def versions(url):
    engine = create_engine(url)
    table = metadata.tables["read_model_versions"]
    with engine.connect() as conn:
        found = dict(
            conn.execute(select(table.c.aggregate_id, table.c.sequence).filter_by(read_model="membership")).all()
        )
    engine.dispose()
    return found


def test_clerk_events_apply_in_sequence_order_and_a_removal_ends_the_clerks_sessions_within_a_second(
    start, rpc, urls, rabbit_config, sessions
):
    start(EnterpriseService, "enterprise")
    start(IdentityService, "identity")
    amqp, url = rabbit_config["AMQP_URI"], urls["identity"]
    legal_rep_id, clerk_id, person = random_id_number(), str(uuid.uuid4()), random_id_number()
    uscc = register(rpc, legal_rep_id)
    eventually(lambda: legal_enterprises(url, legal_rep_id, "王建国"))

    # The update overtook the add (they travel in different queues): the add is old news.
    updated = an_event("ClerkUpdated", clerk(clerk_id, uscc, person, "李晓红", "updated_at"), sequence=2)
    send(amqp, updated)
    [membership] = eventually(lambda: clerk_enterprises(url, person, "李晓红"))
    added = an_event("ClerkAdded", clerk(clerk_id, uscc, person), sequence=1)
    send(amqp, added)
    eventually(lambda: handled(url, added))
    assert clerk_enterprises(url, person, "李小红") == []
    assert clerk_enterprises(url, person, "李晓红") == [membership]

    token = sessions.open(Session(membership.account_id, membership.uscc, "clerk", uscc, None, person), time.time())
    send(amqp, an_event("ClerkRemoved", {**added["data"], "removed_at": added["occurred_at"]}, sequence=3))
    eventually(lambda: sessions.get(token, time.time()) is None, timeout=1.0)
    assert clerk_enterprises(url, person, "李晓红") == []

    # Neither a redelivery nor an old event brings the clerk back.
    late = an_event("ClerkAdded", clerk(clerk_id, uscc, person, "李晓红"), sequence=2)
    send(amqp, updated)
    send(amqp, late)
    eventually(lambda: handled(url, late))
    assert clerk_enterprises(url, person, "李晓红") == []
    assert versions(url)[clerk_id] == 3


def test_a_read_model_built_by_catch_up_equals_the_one_built_live(start, rpc, urls):
    start(EnterpriseService, "enterprise")
    start(Authorization, "authorization")
    start(IdentityService, "identity")
    person, successor = random_id_number(), random_id_number()
    first, second, third = (register(rpc, person) for _ in range(3))
    new_code = random_uscc()
    change_key_info(urls["enterprise"], second, legal_rep_id=successor, legal_rep_name="张三")
    change_key_info(urls["enterprise"], third, uscc=new_code, previous_uscc=third, name="改名后有限公司")
    clerks = [str(uuid.uuid4()) for _ in range(3)]
    for clerk_id, uscc in zip(clerks, (first, third, new_code), strict=True):
        rpc.service("authorization").publish(event_type="ClerkAdded", data=clerk(clerk_id, uscc, person))
    rpc.service("authorization").publish(
        event_type="ClerkUpdated", data=clerk(clerks[0], first, person, "李晓红", "updated_at")
    )
    removed = {"clerk_id": clerks[2], "uscc": new_code, "removed_at": datetime.now(UTC).isoformat()}
    rpc.service("authorization").publish(event_type="ClerkRemoved", data=removed)

    # Each aggregate at its last event: every effect is in (a version moves with its effect).
    last = {first: 1, second: 2, third: 2, clerks[0]: 2, clerks[1]: 1, clerks[2]: 2}
    eventually(lambda: versions(urls["identity"]).items() >= last.items())
    live = read_model(urls["identity"], set(last))
    start(LateIdentity, "late")
    eventually(lambda: versions(urls["late"]).items() >= last.items())
    late = read_model(urls["late"], set(last))

    assert late == live and len(live["clerk_memberships"]) == 2
    assert [m.uscc for m in legal_enterprises(urls["late"], person, "王建国")] == sorted([first, new_code])
    assert [m.uscc for m in legal_enterprises(urls["late"], successor, "张三")] == [second]
    assert sorted(m.uscc for m in clerk_enterprises(urls["late"], person, "李小红")) == [new_code]


def test_identity_catches_up_on_enterprises_registered_before_its_membership_handler_existed(start, rpc, urls):
    start(EnterpriseService, "enterprise")
    identity = start(IdentityService, "identity")
    person = random_id_number()
    uscc = register(rpc, person)
    [before] = eventually(lambda: legal_enterprises(urls["identity"], person, "王建国"))
    identity.stop()

    # As if the handler had never been there: no read model, no record of its events or catch-up.
    consumer = "identity.remember_legal_representative"
    engine = create_engine(urls["identity"])
    tables = metadata.tables
    with engine.begin() as conn:
        for table in READ_MODEL:
            conn.execute(delete(table))
        conn.execute(delete(tables["read_model_versions"]).filter_by(read_model="membership"))
        conn.execute(delete(tables["processed_events"]).filter_by(consumer=consumer))
        conn.execute(delete(tables["catch_ups"]).filter_by(consumer=consumer))
    engine.dispose()
    assert legal_enterprises(urls["identity"], person, "王建国") == []

    start(IdentityService, "identity")

    [after] = eventually(lambda: legal_enterprises(urls["identity"], person, "王建国"))
    assert after == before and after.uscc == uscc and not after.account_id.startswith("enterprise:")
