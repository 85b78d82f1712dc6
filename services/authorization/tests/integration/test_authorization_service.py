"""The authorization service with the enterprise service, over RabbitMQ and Postgres: its read
model of registered enterprises fed live and by catch-up, its writes idempotent per key."""

import time

import pytest
from sqlalchemy import create_engine, select, text

from hrss_authorization.adapters.orm import clerks, enterprises, insurance_relations
from hrss_authorization.entrypoints.service import AuthorizationService
from hrss_contracts.errors import CatalogueError
from hrss_contracts.examples import random_id_number, random_uscc
from hrss_enterprise.entrypoints.service import EnterpriseService
from hrss_kit.idempotency import IDEMPOTENCY_HEADER
from hrss_kit.migrate import upgrade

pytestmark = pytest.mark.integration

AGENCY = "哈尔滨市社会保险事业中心"


class LateAuthorization(AuthorizationService):
    """A second authorization with a database and queues of its own, started after the events."""

    name = "authorization_late"


@pytest.fixture
def urls(make_database):
    found = {name: make_database(f"authz_{name}") for name in ("enterprise", "authorization", "late")}
    upgrade("hrss_enterprise", found["enterprise"])
    upgrade("hrss_authorization", found["authorization"])
    upgrade("hrss_authorization", found["late"])
    return found


def eventually(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, "condition not met in time"
            return value
        time.sleep(0.05)


def register(rpc):
    """An enterprise with two units and three relations, registered with the enterprise service."""
    uscc, rep_id = random_uscc(), random_id_number()
    record = {
        "uscc": uscc,
        "name": f"授权测试{uscc[-6:]}有限公司",
        "address": "黑龙江省哈尔滨市",
        "legal_rep_name": "王建国",
        "legal_rep_id": rep_id,
        "legal_rep_phone": "13904510001",
        "units": [
            {
                "unit_no": f"A{uscc[-8:]}",
                "relations": [{"insurance": "110", "agency": AGENCY}, {"insurance": "210", "agency": AGENCY}],
            },
            {"unit_no": f"B{uscc[-8:]}", "relations": [{"insurance": "410", "agency": AGENCY}]},
        ],
    }
    report = rpc.service("enterprise").import_sources(
        source="enterprise-pension", records=[{"line": 1, "record": record}]
    )
    assert report["added"] == 1, report
    application = {k: record[k] for k in ("uscc", "name", "legal_rep_name", "legal_rep_id")}
    rpc.service("enterprise").register(application={**application, "phone": "13904510001", "password": None})
    return uscc, rep_id


def read_model(url, uscc):
    engine = create_engine(url)
    with engine.connect() as conn:
        enterprise = conn.execute(select(enterprises).filter_by(uscc=uscc)).first()
        relations = (
            sorted(
                tuple(r)
                for r in conn.execute(select(insurance_relations).filter_by(enterprise_id=enterprise.enterprise_id))
            )
            if enterprise
            else []
        )
    engine.dispose()
    return (tuple(enterprise) if enterprise else None), relations


def test_a_registered_enterprises_relations_reach_authorization_and_a_late_one_catches_up(start, rpc, urls):
    start(EnterpriseService, urls["enterprise"])
    start(AuthorizationService, urls["authorization"])
    uscc, _ = register(rpc)

    listed = eventually(lambda: _relations(rpc, "authorization", uscc))
    assert sorted(r["insurance"] for r in listed) == ["110", "210", "410"]
    start(LateAuthorization, urls["late"])
    eventually(lambda: read_model(urls["late"], uscc)[0] is not None)
    assert read_model(urls["late"], uscc) == read_model(urls["authorization"], uscc)


def test_a_repeated_add_clerk_returns_the_first_answer_and_adds_one_clerk(start, rpc, urls):
    start(EnterpriseService, urls["enterprise"])
    start(AuthorizationService, urls["authorization"])
    uscc, _ = register(rpc)
    eventually(lambda: _relations(rpc, "authorization", uscc))
    clerk = {"id_number": random_id_number(), "name": "李四", "phone": "13900139000"}
    headers = {IDEMPOTENCY_HEADER: f"request-{uscc}"}

    first = rpc.transport.call("authorization", "add_clerk", {"uscc": uscc, "clerk": clerk}, 10, headers)
    again = rpc.transport.call("authorization", "add_clerk", {"uscc": uscc, "clerk": clerk}, 10, headers)

    assert again == first
    engine = create_engine(urls["authorization"])
    with engine.connect() as conn:
        assert len(conn.execute(select(clerks).filter_by(id_number=clerk["id_number"])).all()) == 1
    engine.dispose()
    with pytest.raises(CatalogueError) as refused:  # a new request, not a repeat
        rpc.service("authorization").add_clerk(uscc=uscc, clerk=clerk)
    assert refused.value.code == "CLERK_EXISTS"


def test_the_window_is_told_of_an_enterprise_the_sources_know_but_that_never_registered(start, rpc, urls):
    start(EnterpriseService, urls["enterprise"])
    start(AuthorizationService, urls["authorization"])
    uscc, rep_id = random_uscc(), random_id_number()
    record = {
        "uscc": uscc,
        "name": "未注册有限公司",
        "address": None,
        "legal_rep_name": "某人",
        "legal_rep_id": rep_id,
        "legal_rep_phone": "13904510001",
        "units": [],
    }
    rpc.service("enterprise").import_sources(source="market", records=[{"line": 1, "record": record}])

    with pytest.raises(CatalogueError) as missing:
        rpc.service("authorization").find_enterprise(uscc=uscc)

    assert missing.value.code == "PUBLIC_SERVICE_REGISTRATION_MISSING"
    assert missing.value.params == {"uscc": uscc[:10] + "********", "id_number": rep_id[:11] + "********"}


def _relations(rpc, service, uscc):
    try:
        return rpc.service(service).relations(uscc=uscc)["items"]
    except CatalogueError:
        return []


def test_a_repeated_window_submission_returns_the_first_answer_and_grants_once(start, rpc, urls):
    start(EnterpriseService, urls["enterprise"])
    start(AuthorizationService, urls["authorization"])
    uscc, _ = register(rpc)
    relations = eventually(lambda: _relations(rpc, "authorization", uscc))
    attachment = {
        "attachment_id": f"att-{uscc}",
        "owner": "staff-account",
        "sha256": "0" * 64,
        "size": 2048,
        "content_type": "application/pdf",
        "filename": "营业执照.pdf",
    }
    rpc.service("authorization").record_attachment(attachment=attachment)
    id_number = random_id_number()
    request = {
        "uscc": uscc,
        "attachment_ids": [attachment["attachment_id"]],
        "clerks": [{"id_number": id_number, "name": "王五", "phone": "13700137000"}],
        "grants": [{"id_number": id_number, "relation_ids": [relations[0]["relation_id"]]}],
    }
    args = {
        "request": request,
        "actor": {"account": "window01", "role": "agency", "agency": AGENCY},
        "owner": "staff-account",
    }
    headers = {IDEMPOTENCY_HEADER: f"window-{uscc}"}

    first = rpc.transport.call("authorization", "submit_window_authorization", args, 10, headers)
    again = rpc.transport.call("authorization", "submit_window_authorization", args, 10, headers)

    assert again == first and first["clerks"][0]["relation_ids"] == [relations[0]["relation_id"]]
    engine = create_engine(urls["authorization"])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM window_authorizations")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM grant_audit")).scalar_one() == 1
    engine.dispose()
