"""Cases (办件) in the service layer, over in-memory adapters: who may submit, see and decide;
the status machine after the Administrative Licensing Law; what a refused request leaves (nothing)."""

from datetime import UTC, datetime

import pytest
from business_fakes import AGENCY, FakeEffects, FakeUnitOfWork, FakeUploads, clerk, legal, staff

from hrss_business.adapters.catalogue_file import load_catalogue
from hrss_business.adapters.forms import JsonSchemaForms
from hrss_business.adapters.repository import CHINA
from hrss_business.domain import commands, errors
from hrss_business.domain.cases import TRANSITIONS, Actor, Case, Relation
from hrss_business.domain.events import events_of
from hrss_business.service_layer import cases, decisions, read_models
from hrss_contracts.cases import ACTIONS, STATUSES
from hrss_contracts.examples import random_id_number, random_uscc

pytestmark = pytest.mark.unit

CATALOGUE = load_catalogue()
FORMS = JsonSchemaForms()
MATERIALS = ("change-form", "licence-copy", "change-proof")
MATERIAL_NAMES = {m.code: m.name for m in CATALOGUE.get("unit-key-info").materials}


class World:
    """One enterprise with three relations (110, 210, 410) and a clerk holding the first two;
    another enterprise with one relation."""

    def __init__(self) -> None:
        self.uow, self.uploads = FakeUnitOfWork(), FakeUploads()
        self.uscc, self.other_uscc = random_uscc(), random_uscc()
        relations = tuple(
            Relation(f"R-{insurance}", "E1", "U1", insurance, AGENCY) for insurance in ("110", "210", "410")
        )
        self.uow.enterprises.remember("E1", self.uscc, "示范有限公司", relations)
        self.uow.enterprises.remember(
            "E2", self.other_uscc, "别家公司", (Relation("R-other", "E2", "U2", "110", AGENCY),)
        )
        self.uow.grants.replace("C1", frozenset({"R-110", "R-210"}))
        self.legal, self.clerk = legal(self.uscc), clerk("C1", self.uscc)

    def attachments(self, viewer, codes=MATERIALS):
        return {code: self.uploads.upload(viewer.account_id, f"{viewer.account_id}-{code}") for code in codes}

    def submit(self, viewer=None, relation_id="R-110", item_code="unit-key-info", form=None, attachments=None):
        viewer = viewer or self.legal
        command = commands.SubmitCase(
            viewer,
            item_code,
            relation_id,
            key_info_form() if form is None else form,
            self.attachments(viewer) if attachments is None else attachments,
        )
        return cases.submit(command, CATALOGUE, self.uow, self.uploads, FORMS)

    def decide(self, case_no, action, comment="", viewer=None):
        return decisions.decide(commands.Decide(viewer or staff(), case_no, action, comment), self.uow)


def key_info_form():
    return {
        "uscc": random_uscc(),
        "name": "新名称有限公司",
        "legal_rep_name": "新法人",
        "legal_rep_id": random_id_number(),
    }


@pytest.fixture
def world():
    return World()


def test_a_legal_representative_submits_and_the_case_is_numbered_by_day_and_sequence(world):
    first, second = world.submit(), world.submit(relation_id="R-410")

    today = datetime.now(CHINA)
    assert first.case_no == f"YW{today:%Y%m%d}000001" and second.case_no == f"YW{today:%Y%m%d}000002"
    assert first.status == "submitted" and first.relation.agency == AGENCY
    assert [m.material_code for m in first.materials] == sorted(MATERIALS)
    assert [e.event_type for e in world.uow.published] == ["CaseSubmitted", "CaseSubmitted"]


def test_a_clerk_submits_only_for_relations_granted_to_them(world):
    world.submit(world.clerk, relation_id="R-210")

    with pytest.raises(errors.RelationNotGranted):
        world.submit(world.clerk, relation_id="R-410")


def test_nobody_submits_for_another_enterprises_relation_or_one_that_does_not_exist(world):
    for relation_id in ("R-other", "no-such-relation"):
        with pytest.raises(errors.RelationNotGranted):
            world.submit(world.legal, relation_id=relation_id)
    with pytest.raises(errors.RelationNotGranted):
        world.submit(staff(), relation_id="R-110")


def test_a_revoked_grant_stops_the_next_submission(world):
    world.submit(world.clerk, relation_id="R-110")
    read_models.follow_grants(commands.FollowGrants("C1", frozenset({"R-210"})), world.uow)

    with pytest.raises(errors.RelationNotGranted):
        world.submit(world.clerk, relation_id="R-110")


def test_an_item_of_another_insurance_type_a_window_item_and_an_unknown_item_are_refused(world):
    with pytest.raises(errors.ItemNotApplicable):
        world.submit(relation_id="R-110", item_code="injury-recognition", form={}, attachments={})
    with pytest.raises(errors.ItemNotOnline):
        world.submit(item_code="clerk-authorization", form={}, attachments={})
    with pytest.raises(errors.ItemNotFound):
        world.submit(item_code="no-such-item", form={}, attachments={})
    assert world.uow.cases.rows == {} and world.uow.published == []


def test_every_wrong_field_and_missing_material_is_named_at_once_and_nothing_is_written(world):
    form = {"uscc": "91230100MA1B2C3D4X", "name": "", "legal_rep_id": "110105194912310021", "extra": 1}
    attachments = world.attachments(world.legal, codes=("change-form",))

    with pytest.raises(errors.SubmissionInvalid) as refused:
        world.submit(form=form, attachments={**attachments, "no-such-material": "x"})

    assert refused.value.problems == {
        "form.extra": ["不允许的字段"],
        "form.uscc": ["统一社会信用代码格式不正确"],
        "form.name": ["单位名称不能为空"],
        "form.legal_rep_name": ["法定代表人姓名不能为空"],
        "form.legal_rep_id": ["身份证号码格式不正确"],
        "attachments.no-such-material": ["该业务没有此项材料"],
        "attachments.licence-copy": [f"请上传{MATERIAL_NAMES['licence-copy']}"],
        "attachments.change-proof": [f"请上传{MATERIAL_NAMES['change-proof']}"],
    }
    assert world.uow.cases.rows == {} and world.uow.cases.counters == {} and world.uploads.asked == 0


def test_attachments_must_be_the_applicants_own_uploads_of_an_accepted_type(world):
    theirs = world.attachments(world.clerk)
    with pytest.raises(errors.AttachmentsNotFound) as not_mine:
        world.submit(world.legal, attachments=theirs)
    assert not_mine.value.material_codes == sorted(MATERIALS)

    mine = world.attachments(world.legal)
    mine["change-form"] = world.uploads.upload(world.legal.account_id, "a-word-file", content_type="application/msword")
    with pytest.raises(errors.SubmissionInvalid) as wrong_type:
        world.submit(world.legal, attachments=mine)
    assert list(wrong_type.value.problems) == ["attachments.change-form"]
    assert world.uow.cases.rows == {}


def test_accepted_then_approved_with_every_step_in_the_history_and_the_concluding_event(world):
    case = world.submit(world.clerk, relation_id="R-110")
    world.decide(case.case_no, "accept", "材料齐全")
    world.decide(case.case_no, "approve", "准予变更")

    shown = cases.show(case.case_no, world.clerk, world.uow)
    assert shown.status == "approved"
    assert [(s.action, s.from_status, s.to_status, s.actor.role, s.comment) for s in shown.history] == [
        ("submit", None, "submitted", "clerk", ""),
        ("accept", "submitted", "accepted", "agency", "材料齐全"),
        ("approve", "accepted", "approved", "agency", "准予变更"),
    ]
    assert [e.event_type for e in world.uow.published] == [
        "CaseSubmitted",
        "CaseStatusChanged",
        "CaseStatusChanged",
        "CaseConcluded",
    ]


def test_a_correction_then_a_resubmission_replaces_the_form_and_materials(world):
    case = world.submit()
    world.decide(case.case_no, "request_correction", "变更证明不清晰")
    new_form = key_info_form()
    resubmitted = cases.resubmit(
        commands.Resubmit(world.legal, case.case_no, new_form, world.attachments(world.legal)),
        CATALOGUE,
        world.uow,
        world.uploads,
        FORMS,
    )

    assert resubmitted.status == "resubmitted" and resubmitted.round == 2 and resubmitted.form == new_form
    assert world.decide(case.case_no, "accept").status == "accepted"


def test_a_step_the_status_does_not_allow_names_the_status(world):
    case = world.submit()
    world.decide(case.case_no, "accept")

    for step in (
        lambda: world.decide(case.case_no, "accept"),
        lambda: cases.withdraw(commands.Withdraw(world.legal, case.case_no, ""), world.uow),
        lambda: cases.resubmit(
            commands.Resubmit(world.legal, case.case_no, key_info_form(), world.attachments(world.legal)),
            CATALOGUE,
            world.uow,
            world.uploads,
            FORMS,
        ),
    ):
        with pytest.raises(errors.IllegalTransition) as refused:
            step()
        assert refused.value.status == "accepted"


def test_withdrawn_before_a_decision_and_then_nothing_more(world):
    case = world.submit(world.clerk, relation_id="R-210")
    withdrawn = cases.withdraw(commands.Withdraw(world.clerk, case.case_no, " 填错了 "), world.uow)

    assert withdrawn.status == "withdrawn" and withdrawn.history[-1].comment == "填错了"
    with pytest.raises(errors.IllegalTransition):
        world.decide(case.case_no, "accept")
    assert world.uow.published[-1].event_type == "CaseConcluded"


def test_of_two_staff_deciding_at_once_one_wins(world):
    case = world.submit()
    first = world.uow.cases.get(case.case_no)
    second = world.uow.cases.get(case.case_no)
    at = datetime.now(UTC)
    first.decide("accept", staff().actor, "", at)
    second.decide("not_accept", staff().actor, "不符合条件", at)
    world.uow.cases.save(first)

    with pytest.raises(errors.IllegalTransition) as lost:
        world.uow.cases.save(second)
    assert lost.value.status == "accepted"


def test_who_sees_a_case(world):
    case = world.submit(world.clerk, relation_id="R-110")
    visible = {
        "legal": world.legal,
        "clerk": world.clerk,
        "staff": staff(),
    }
    hidden = {
        "another enterprise": legal(world.other_uscc),
        "a clerk without the relation": clerk("C2", world.uscc),
        "another agency": staff("大庆市社会保险事业中心"),
    }
    for viewer in visible.values():
        assert cases.show(case.case_no, viewer, world.uow).case_no == case.case_no
    for viewer in hidden.values():
        with pytest.raises(errors.CaseNotFound):
            cases.show(case.case_no, viewer, world.uow)
    with pytest.raises(errors.CaseNotFound):
        world.decide(case.case_no, "accept", viewer=staff("大庆市社会保险事业中心"))


def test_the_user_center_lists_by_scope_newest_first_and_a_revocation_hides_from_the_clerk_only(world):
    numbers = [world.submit(world.clerk, relation_id=r).case_no for r in ("R-110", "R-210")]
    numbers.append(world.submit(world.legal, relation_id="R-410").case_no)

    def listed(viewer, **query):
        wanted = {"status": None, "item_code": None, "page": 1, "page_size": 20, **query}
        items, total = cases.page(commands.ListCases(viewer, **wanted), world.uow)
        return [c.case_no for c in items], total

    assert listed(world.legal) == (numbers[::-1], 3)
    assert listed(world.clerk) == (numbers[1::-1], 2)
    assert listed(staff()) == (numbers[::-1], 3)
    assert listed(world.legal, page=2, page_size=2) == ([numbers[0]], 3)
    world.decide(numbers[0], "accept")
    assert listed(world.legal, status="accepted") == ([numbers[0]], 1)

    read_models.follow_grants(commands.FollowGrants("C1", frozenset({"R-210"})), world.uow)
    assert listed(world.clerk) == ([numbers[1]], 1)
    assert listed(world.legal)[1] == 3


def test_the_status_machine_knows_only_the_contracts_statuses_and_actions():
    assert {s for s, _ in TRANSITIONS} | set(TRANSITIONS.values()) <= set(STATUSES)
    assert {a for _, a in TRANSITIONS} <= set(ACTIONS)


def test_a_new_case_is_one_event_and_each_step_is_one_more():
    relation = Relation("R", "E", "U", "110", AGENCY)
    actor = Actor("a", "a", "legal")
    case = Case.submit("YW20261128000001", ("x", "X"), "U", relation, {}, (), actor, datetime.now(UTC))
    assert [e.event_type for e in events_of(case)] == ["CaseSubmitted"]


def test_a_resubmission_may_keep_materials_someone_else_of_the_enterprise_uploaded(world):
    case = world.submit(world.clerk, relation_id="R-110")
    world.decide(case.case_no, "request_correction", "表单有误")
    kept = {m.material_code: m.attachment_id for m in case.materials}

    again = cases.resubmit(
        commands.Resubmit(world.legal, case.case_no, key_info_form(), kept), CATALOGUE, world.uow, world.uploads, FORMS
    )

    assert again.status == "resubmitted" and again.materials == case.materials


def test_the_user_center_of_an_enterprise_not_known_yet_is_empty(world):
    items, total = cases.page(commands.ListCases(legal(random_uscc()), None, None, 1, 20), world.uow)
    assert (items, total) == ([], 0)


def test_a_resubmission_answers_the_round_it_read(world, monkeypatch):
    case = world.submit()
    world.decide(case.case_no, "request_correction", "第一次补正")
    # While this resubmission checks its materials, another one lands and staff ask again.
    original = world.uploads.owned

    def meanwhile(owner, attachment_ids):
        found = original(owner, attachment_ids)
        world.uploads.owned = original
        cases.resubmit(
            commands.Resubmit(world.legal, case.case_no, key_info_form(), world.attachments(world.legal)),
            CATALOGUE,
            world.uow,
            world.uploads,
            FORMS,
        )
        world.decide(case.case_no, "request_correction", "第二次补正")
        return found

    world.uploads.owned = meanwhile
    late = commands.Resubmit(
        world.legal,
        case.case_no,
        key_info_form(),
        world.attachments(world.legal, ("change-form",))
        | {
            "licence-copy": world.uploads.upload(world.legal.account_id, "late-licence"),
            "change-proof": world.uploads.upload(world.legal.account_id, "late-proof"),
        },
    )
    with pytest.raises(errors.IllegalTransition) as stale:
        cases.resubmit(late, CATALOGUE, world.uow, world.uploads, FORMS)

    assert stale.value.status == "correction_required"
    assert cases.show(case.case_no, world.legal, world.uow).round == 2


def test_approving_key_information_makes_the_enterprise_change_first(world):
    effects = FakeEffects()
    case = world.submit(relation_id="R-410")
    world.decide(case.case_no, "accept")

    approved = decisions.decide(commands.Decide(staff(), case.case_no, "approve", "准予变更"), world.uow, effects)

    assert approved.status == "approved" and effects.applied == [case.case_no]
    assert world.uow.published[-1].event_type == "CaseConcluded"


def test_a_refused_change_sends_the_case_back_with_the_reason_and_approves_nothing(world):
    effects = FakeEffects()
    case = world.submit()
    effects.taken.add(case.form["uscc"])
    world.decide(case.case_no, "accept")

    returned = decisions.decide(commands.Decide(staff(), case.case_no, "approve", ""), world.uow, effects)

    assert returned.status == "correction_required" and effects.applied == []
    step = cases.show(case.case_no, world.legal, world.uow).history[-1]
    assert (step.action, step.from_status, step.to_status) == ("return", "accepted", "correction_required")
    assert "已被其他单位注册" in step.comment
    assert [e.event_type for e in world.uow.published[-1:]] == ["CaseStatusChanged"]


def test_an_unanswered_change_leaves_the_case_accepted_to_approve_again(world):
    effects = FakeEffects()
    case = world.submit()
    world.decide(case.case_no, "accept")
    effects.failing = ConnectionError("enterprise did not answer")

    with pytest.raises(ConnectionError):
        decisions.decide(commands.Decide(staff(), case.case_no, "approve", ""), world.uow, effects)
    assert cases.show(case.case_no, world.legal, world.uow).status == "accepted"

    effects.failing = None
    assert (
        decisions.decide(commands.Decide(staff(), case.case_no, "approve", ""), world.uow, effects).status == "approved"
    )


def test_other_items_are_approved_without_an_effect(world):
    effects = FakeEffects()
    case = world.submit()
    world.decide(case.case_no, "accept")
    world.uow.cases.rows[case.case_no].item_code = "back-payment"  # an item whose approval changes nothing else

    assert (
        decisions.decide(commands.Decide(staff(), case.case_no, "approve", ""), world.uow, effects).status == "approved"
    )
    assert effects.applied == []


def test_denying_after_an_approval_whose_answer_was_lost_approves_as_it_took_effect(world):
    effects = FakeEffects()
    case = world.submit()
    world.decide(case.case_no, "accept")
    effects.failing = TimeoutError("the enterprise's answer was lost")
    with pytest.raises(TimeoutError):
        decisions.decide(commands.Decide(staff(), case.case_no, "approve", ""), world.uow, effects)
    effects.failing = None

    decided = decisions.decide(commands.Decide(staff(), case.case_no, "deny", "材料不实"), world.uow, effects)

    assert decided.status == "approved" and effects.applied == [case.case_no]
    assert "已生效" in decided.history[-1].comment


def test_a_denied_key_information_case_never_takes_effect(world):
    effects = FakeEffects()
    case = world.submit()
    world.decide(case.case_no, "accept")

    assert (
        decisions.decide(commands.Decide(staff(), case.case_no, "deny", "材料不实"), world.uow, effects).status
        == "denied"
    )
    assert effects.closed == [case.case_no] and effects.applied == []
