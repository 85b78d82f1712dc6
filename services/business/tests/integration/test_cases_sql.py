"""Cases and the read models in their tables (Postgres and SQLite, migrated by 0001–0003):
what the service layer relies on: numbering, the history, scopes of listings, and of two
decisions at once, one."""

import eventlet
import pytest
from business_fakes import AGENCY, FakeUploads, clerk, legal, staff
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from hrss_business.adapters.catalogue_file import load_catalogue
from hrss_business.adapters.forms import JsonSchemaForms
from hrss_business.adapters.orm import metadata
from hrss_business.adapters.unit_of_work import SqlUnitOfWork
from hrss_business.domain import commands, errors
from hrss_business.service_layer import cases, decisions, read_models
from hrss_contracts.examples import random_id_number, random_uscc
from hrss_kit.database import UnitOfWorkDatabase, make_engine
from hrss_kit.migrate import upgrade
from hrss_kit.retry import RetryPolicy

pytestmark = pytest.mark.integration

CATALOGUE, FORMS = load_catalogue(), JsonSchemaForms()
MATERIALS = ("change-form", "licence-copy", "change-proof")


@pytest.fixture(scope="module", params=["postgres", "sqlite"])
def database(request, make_database, tmp_path_factory):
    if request.param == "postgres":
        url = make_database("business_sql")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('business') / 'business.db'}"
    upgrade("hrss_business", url)
    engine = make_engine(url)
    yield UnitOfWorkDatabase(sessionmaker(engine, expire_on_commit=False), metadata, RetryPolicy())
    engine.dispose()


class Enterprise:
    """A registered enterprise with relations 110, 210, 410 and a clerk holding 110 and 210."""

    def __init__(self, database):
        self.database, self.uploads = database, FakeUploads()
        self.uscc, self.id = random_uscc(), f"E-{random_uscc()}"
        self.relations = {i: f"{self.id}-{i}" for i in ("110", "210", "410")}
        self.clerk_id = f"C-{self.uscc}"
        relations = tuple((r, f"U{self.uscc[-6:]}", i, AGENCY) for i, r in self.relations.items())
        read_models.remember_enterprise(
            commands.RememberEnterprise(self.id, self.uscc, "示范公司", relations), self.uow()
        )
        held = frozenset({self.relations["110"], self.relations["210"]})
        read_models.follow_grants(commands.FollowGrants(self.clerk_id, held), self.uow())
        self.legal, self.clerk = legal(self.uscc), clerk(self.clerk_id, self.uscc)

    def uow(self):
        return SqlUnitOfWork(self.database)

    def submit(self, viewer=None, insurance="110"):
        viewer = viewer or self.legal
        attachments = {
            code: self.uploads.upload(viewer.account_id, f"{viewer.account_id}-{code}") for code in MATERIALS
        }
        form = {"uscc": random_uscc(), "name": "新名称", "legal_rep_name": "新法人", "legal_rep_id": random_id_number()}
        command = commands.SubmitCase(viewer, "unit-key-info", self.relations[insurance], form, attachments)
        return cases.submit(command, CATALOGUE, self.uow(), self.uploads, FORMS)

    def decide(self, case_no, action, comment="", viewer=None):
        return decisions.decide(commands.Decide(viewer or staff(), case_no, action, comment), self.uow())

    def listed(self, viewer, **query):
        wanted = {"status": None, "item_code": None, "page": 1, "page_size": 20, **query}
        items, total = cases.page(commands.ListCases(viewer, **wanted), self.uow())
        return [c.case_no for c in items], total


def test_a_case_is_stored_whole_with_its_materials_history_and_events(database):
    enterprise = Enterprise(database)
    case = enterprise.submit(enterprise.clerk)
    enterprise.decide(case.case_no, "request_correction", "请补充变更证明")

    stored = cases.show(case.case_no, enterprise.clerk, enterprise.uow())
    assert stored.form == case.form and stored.status == "correction_required" and stored.version == 2
    assert [m.material_code for m in stored.materials] == sorted(MATERIALS)
    assert [(s.action, s.to_status, s.comment, s.actor.agency) for s in stored.history] == [
        ("submit", "submitted", "", None),
        ("request_correction", "correction_required", "请补充变更证明", AGENCY),
    ]
    material = cases.material(case.case_no, stored.materials[0].attachment_id, staff(), enterprise.uow())
    assert material == stored.materials[0]
    with database.transaction() as session:
        outbox = database.tables["outbox"]
        sent = session.execute(
            outbox.select().where(outbox.c.aggregate_id == case.case_no).order_by(outbox.c.sequence)
        ).all()
    assert [(r.event_type, r.sequence) for r in sent] == [("CaseSubmitted", 1), ("CaseStatusChanged", 2)]


def test_a_resubmission_keeps_each_rounds_materials(database):
    enterprise = Enterprise(database)
    case = enterprise.submit()
    first_round = case.materials
    enterprise.decide(case.case_no, "request_correction", "不清晰")
    again = {
        code: enterprise.uploads.upload(enterprise.legal.account_id, f"second-{code}-{case.case_no}")
        for code in MATERIALS
    }
    form = {**case.form, "name": "更正后的名称"}
    cases.resubmit(
        commands.Resubmit(enterprise.legal, case.case_no, form, again),
        CATALOGUE,
        enterprise.uow(),
        enterprise.uploads,
        FORMS,
    )

    stored = cases.show(case.case_no, enterprise.legal, enterprise.uow())
    assert stored.round == 2 and stored.form["name"] == "更正后的名称" and stored.status == "resubmitted"
    assert {m.attachment_id for m in stored.materials} == set(again.values())
    # The first round's materials stay viewable for the agency.
    assert cases.material(case.case_no, first_round[0].attachment_id, staff(), enterprise.uow()) == first_round[0]


def test_case_numbers_are_unique_and_ascending_under_concurrent_submissions(database):
    enterprise = Enterprise(database)
    pool = eventlet.GreenPool(10)
    numbers = list(pool.imap(lambda _: enterprise.submit().case_no, range(20)))

    assert len(set(numbers)) == 20 and all(len(n) == 16 and n.startswith("YW") for n in numbers)
    assert enterprise.listed(enterprise.legal, page_size=100)[0] == sorted(numbers, reverse=True)


def test_a_late_page_read_by_its_numbers_first_is_the_page_the_plain_query_reads(database, monkeypatch):
    from hrss_business.adapters import repository

    enterprise = Enterprise(database)
    for insurance in ("110", "210", "110", "110", "210"):
        enterprise.submit(insurance=insurance)

    def pages(viewer):
        return [enterprise.listed(viewer, page=page, page_size=2) for page in (1, 2, 3, 4)]

    plain = {who: pages(viewer) for who, viewer in (("legal", enterprise.legal), ("clerk", enterprise.clerk))}
    monkeypatch.setattr(repository, "DEFERRED_FROM", 1)  # every page past the first by its numbers
    assert {who: pages(viewer) for who, viewer in (("legal", enterprise.legal), ("clerk", enterprise.clerk))} == plain
    assert [len(items) for items, _ in plain["legal"]] == [2, 2, 1, 0]


def test_of_two_staff_deciding_at_once_exactly_one_wins(database):
    enterprise = Enterprise(database)
    case = enterprise.submit()

    def decide(action):
        try:
            return enterprise.decide(case.case_no, action, "意见").status
        except errors.IllegalTransition as lost:
            return f"409 {lost.status}"

    pool = eventlet.GreenPool(2)
    outcomes = sorted(pool.imap(decide, ["accept", "not_accept"]))

    final = cases.show(case.case_no, enterprise.legal, enterprise.uow())
    assert final.status in ("accepted", "not_accepted")
    assert outcomes == sorted([final.status, f"409 {final.status}"])
    assert len(final.history) == 2


def test_listings_by_scope_status_and_page(database):
    enterprise, other = Enterprise(database), Enterprise(database)
    mine = [enterprise.submit(enterprise.clerk, i).case_no for i in ("110", "210")]
    mine.append(enterprise.submit(enterprise.legal, "410").case_no)
    theirs = other.submit().case_no
    enterprise.decide(mine[1], "accept")

    assert enterprise.listed(enterprise.legal) == (mine[::-1], 3)
    assert enterprise.listed(enterprise.clerk) == (mine[1::-1], 2)
    assert enterprise.listed(enterprise.legal, status="accepted") == ([mine[1]], 1)
    assert enterprise.listed(enterprise.legal, page=2, page_size=2) == ([mine[0]], 3)
    agency_view, total = enterprise.listed(staff(), page_size=100)
    assert set(mine) | {theirs} <= set(agency_view) and agency_view == sorted(agency_view, reverse=True)
    assert enterprise.listed(staff("大庆市社会保险事业中心")) == ([], 0)

    read_models.follow_grants(commands.FollowGrants(enterprise.clerk_id, frozenset()), enterprise.uow())
    assert enterprise.listed(enterprise.clerk) == ([], 0)
    with pytest.raises(errors.RelationNotGranted):
        enterprise.submit(enterprise.clerk)


def test_a_key_information_change_moves_the_enterprise_to_its_new_code(database):
    enterprise = Enterprise(database)
    case = enterprise.submit()
    new_code = random_uscc()
    read_models.follow_key_info(commands.FollowKeyInfoChange(enterprise.id, new_code, "新名称"), enterprise.uow())

    assert enterprise.listed(legal(new_code)) == ([case.case_no], 1)
    assert enterprise.listed(enterprise.legal) == ([], 0)  # the old code is nobody's now


def test_a_registration_overtaken_by_its_key_information_change_still_brings_its_relations(database):
    enterprise_id, first_code, new_code = f"E-{random_uscc()}", random_uscc(), random_uscc()
    uow = lambda: SqlUnitOfWork(database)  # noqa: E731
    read_models.follow_key_info(commands.FollowKeyInfoChange(enterprise_id, new_code, "新名称"), uow())
    relation = (f"{enterprise_id}-110", "U1", "110", AGENCY)
    read_models.remember_enterprise(
        commands.RememberEnterprise(enterprise_id, first_code, "旧名称", (relation,)), uow()
    )

    with uow() as check:
        assert check.enterprises.enterprise_id(new_code) == enterprise_id
        assert check.enterprises.enterprise_id(first_code) is None
        assert check.enterprises.relation(relation[0]).enterprise_id == enterprise_id


def test_a_code_another_enterprise_holds_is_not_silently_skipped(database):
    taken = random_uscc()
    uow = lambda: SqlUnitOfWork(database)  # noqa: E731
    read_models.remember_enterprise(commands.RememberEnterprise(f"E-{random_uscc()}", taken, "甲", ()), uow())

    with pytest.raises(IntegrityError):
        read_models.remember_enterprise(commands.RememberEnterprise(f"E-{random_uscc()}", taken, "乙", ()), uow())
