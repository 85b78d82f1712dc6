"""Cases through the running services: enterprise registers, authorization grants and keeps
the uploads, business follows both by events (live, and a late one by catch-up) and takes
submissions and decisions over RPC."""

import time
import uuid

import pytest

from hrss_authorization.entrypoints.service import AuthorizationService
from hrss_business.entrypoints.service import BusinessService
from hrss_contracts.errors import CatalogueError
from hrss_contracts.examples import random_id_number, random_uscc
from hrss_enterprise.entrypoints.service import EnterpriseService
from hrss_kit.migrate import upgrade
from hrss_kit.rpc_client import StandaloneRpc

pytestmark = pytest.mark.integration

AGENCY = "哈尔滨市社会保险事业中心"
MATERIALS = ("change-form", "licence-copy", "change-proof")


class LateBusiness(BusinessService):
    """A second business service with a database and queues of its own, started after the events."""

    name = "business_late"


@pytest.fixture
def urls(make_database):
    found = {name: make_database(f"cases_{name}") for name in ("enterprise", "authorization", "business", "late")}
    for service, url in (
        ("hrss_enterprise", found["enterprise"]),
        ("hrss_authorization", found["authorization"]),
        ("hrss_business", found["business"]),
        ("hrss_business", found["late"]),
    ):
        upgrade(service, url)
    return found


@pytest.fixture
def start(container_factory, rabbit_config):
    def start(service_class, url):
        config = {
            "AMQP_URI": rabbit_config["AMQP_URI"],
            "DATABASE_URL": url,
            "EVENT_RETRY_BASE_SECONDS": 0.1,
            "EVENT_RETRY_POLL_SECONDS": 0.1,
            "OUTBOX_POLL_SECONDS": 0.2,
        }
        container = container_factory(service_class, config)
        container.start()
        return container

    return start


@pytest.fixture
def rpc(rabbit_config):
    with StandaloneRpc(rabbit_config["AMQP_URI"], timeout=30) as client:
        yield client


def eventually(check, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except CatalogueError as error:
            value, last = None, error
        else:
            last = None
        if value or time.monotonic() > deadline:
            assert value, f"condition not met in time ({last})"
            return value
        time.sleep(0.05)


def register(rpc):
    uscc, rep_id = random_uscc(), random_id_number()
    record = {
        "uscc": uscc,
        "name": f"办件测试{uscc[-6:]}有限公司",
        "address": "黑龙江省哈尔滨市",
        "legal_rep_name": "王建国",
        "legal_rep_id": rep_id,
        "legal_rep_phone": "13904510001",
        "units": [
            {"unit_no": f"A{uscc[-8:]}", "relations": [{"insurance": i, "agency": AGENCY} for i in ("110", "410")]}
        ],
    }
    enterprise = rpc.service("enterprise")
    assert enterprise.import_sources(source="enterprise-pension", records=[{"line": 1, "record": record}])["added"] == 1
    application = {k: record[k] for k in ("uscc", "name", "legal_rep_name", "legal_rep_id")}
    enterprise.register(application={**application, "phone": "13904510001", "password": None})
    return uscc


def viewer(account_id, role, uscc=None, agency=None):
    return {"account_id": account_id, "login_name": account_id, "role": role, "uscc": uscc, "agency": agency}


def uploaded(rpc, owner):
    attachments = {}
    for code in MATERIALS:
        attachment_id = uuid.uuid4().hex
        rpc.service("authorization").record_attachment(
            attachment={
                "attachment_id": attachment_id,
                "owner": owner,
                "sha256": "ab" * 32,
                "size": 2048,
                "content_type": "application/pdf",
                "filename": f"{code}.pdf",
            }
        )
        attachments[code] = attachment_id
    return attachments


def key_info_case(relation_id, attachments):
    form = {
        "uscc": random_uscc(),
        "name": "新名称有限公司",
        "legal_rep_name": "李四",
        "legal_rep_id": random_id_number(),
    }
    return {"item_code": "unit-key-info", "relation_id": relation_id, "form": form, "attachments": attachments}


def test_a_clerk_granted_by_events_submits_staff_decide_and_a_late_business_catches_up(start, rpc, urls):
    for service, url in ((EnterpriseService, "enterprise"), (AuthorizationService, "authorization")):
        start(service, urls[url])
    start(BusinessService, urls["business"])
    uscc = register(rpc)
    authorization, business = rpc.service("authorization"), rpc.service("business")
    relations = eventually(lambda: authorization.relations(uscc=uscc)["items"])
    by_type = {r["insurance"]: r["relation_id"] for r in relations}
    clerk = authorization.add_clerk(
        uscc=uscc, clerk={"id_number": random_id_number(), "name": "李四", "phone": "13900139000"}
    )
    actor = {"account": uscc, "role": "legal", "agency": None}
    authorization.set_grants(
        uscc=uscc, clerk_id=clerk["clerk_id"], grants={"relation_ids": [by_type["110"]]}, actor=actor
    )
    as_clerk = viewer(f"clerk:{clerk['clerk_id']}", "clerk", uscc)
    request = key_info_case(by_type["110"], uploaded(rpc, as_clerk["account_id"]))

    submitted = eventually(lambda: business.submit_case(request=request, viewer=as_clerk))
    with pytest.raises(CatalogueError) as not_granted:
        business.submit_case(request={**request, "relation_id": by_type["410"]}, viewer=as_clerk)
    staff = viewer("staff-1", "agency", agency=AGENCY)
    business.decide_case(case_no=submitted["case_no"], decision={"action": "accept", "comment": ""}, viewer=staff)
    with pytest.raises(CatalogueError) as conflict:
        business.decide_case(case_no=submitted["case_no"], decision={"action": "accept", "comment": ""}, viewer=staff)
    shown = business.case(case_no=submitted["case_no"], viewer=as_clerk)

    assert submitted["status"] == "submitted" and submitted["agency"] == AGENCY
    assert not_granted.value.code == "RELATION_NOT_GRANTED"
    assert conflict.value.code == "CASE_STATUS_CONFLICT" and conflict.value.details == {"current_status": "accepted"}
    assert [s["status"] for s in shown["history"]] == ["submitted", "accepted"]
    assert {m["material_code"] for m in shown["materials"]} == set(MATERIALS)

    start(LateBusiness, urls["late"])
    late = rpc.service("business_late")
    # The late one learns the enterprise and the grant by catch-up: the clerk may submit there too.
    again = key_info_case(by_type["110"], uploaded(rpc, as_clerk["account_id"]))
    assert eventually(lambda: late.submit_case(request=again, viewer=as_clerk))["status"] == "submitted"
    with pytest.raises(CatalogueError) as late_refusal:
        late.submit_case(request={**again, "relation_id": by_type["410"]}, viewer=as_clerk)
    assert late_refusal.value.code == "RELATION_NOT_GRANTED"


def test_someone_elses_attachments_are_refused_and_nothing_is_numbered(start, rpc, urls):
    for service, url in (
        (EnterpriseService, "enterprise"),
        (AuthorizationService, "authorization"),
        (BusinessService, "business"),
    ):
        start(service, urls[url])
    uscc = register(rpc)
    business = rpc.service("business")
    relations = eventually(lambda: rpc.service("authorization").relations(uscc=uscc)["items"])
    legal = viewer(f"enterprise:{uscc}", "legal", uscc)
    request = key_info_case(relations[0]["relation_id"], uploaded(rpc, "someone-else"))

    def refused():
        try:
            business.submit_case(request=request, viewer=legal)
        except CatalogueError as error:
            return error if error.code != "RELATION_NOT_GRANTED" else None  # until the registration arrives
        pytest.fail("accepted someone else's attachments")

    error = eventually(refused)
    assert error.code == "ATTACHMENT_NOT_FOUND" and set(error.fields) == {f"attachments.{c}" for c in MATERIALS}
    assert business.cases(viewer=legal, query={})["total"] == 0
