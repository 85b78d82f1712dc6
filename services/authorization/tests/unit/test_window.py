"""Use case 公共服务单位用户授权 (manual 3.1.2) at the agency's window, over in-memory ports."""

from datetime import UTC, datetime

import pytest
from authorization_fakes import FakeSources, FakeUnitOfWork, an_enterprise

from hrss_authorization.domain import commands, events
from hrss_authorization.domain.errors import (
    AttachmentNotFound,
    EnterpriseNotFound,
    NotAClerk,
    NotYetKnown,
    RegistrationMissing,
)
from hrss_authorization.domain.model import AGENCY_WINDOW, Actor, Person
from hrss_authorization.entrypoints.errors import catalogue_errors
from hrss_authorization.service_layer import clerks, window
from hrss_contracts.errors import CatalogueError
from hrss_contracts.examples import random_id_number, random_uscc
from hrss_contracts.id_documents import RESIDENT_ID

pytestmark = pytest.mark.unit

STAFF = Actor("window01", "agency", "哈尔滨市社会保险事业中心")
STAFF_ACCOUNT = "account-of-window01"


def uploaded(uow, owner=STAFF_ACCOUNT, attachment_id="att-1"):
    command = commands.RecordAttachment(attachment_id, owner, "0" * 64, 2048, "application/pdf", "营业执照.pdf")
    return window.record_attachment(command, uow).attachment_id


def submission(enterprise, attachments, people=(), grants=()):
    return commands.SubmitWindowAuthorization(
        enterprise.uscc, tuple(attachments), tuple(people), tuple(grants), STAFF, STAFF_ACCOUNT
    )


def a_person(name="李四"):
    return Person(random_id_number(), name, "13900139000")


def test_staff_add_a_clerk_and_grant_relations_on_the_evidence_of_their_uploads():
    enterprise = an_enterprise(relations=3)
    first, second, _ = sorted(enterprise.relations)
    uow = FakeUnitOfWork([enterprise])
    attachment, person = uploaded(uow), a_person()

    result = window.submit(
        submission(enterprise, [attachment], [person], [(person.document, (first, second))]), uow, FakeSources()
    )

    (clerk,) = result.clerks
    assert clerk.person == person and clerk.relation_ids == {first, second}
    added, granted = uow.committed
    assert isinstance(added, events.ClerkAdded) and isinstance(granted, events.ClerkAuthorized)
    assert granted.channel == AGENCY_WINDOW and granted.attachments == (attachment,) and granted.actor == STAFF
    entries, _ = uow.audit.page(enterprise.enterprise_id, None, 1, 10)
    assert {(e.channel, e.attachments, e.actor_agency) for e in entries} == {
        (AGENCY_WINDOW, (attachment,), STAFF.agency)
    }
    assert uow.windows.submissions == [(enterprise.enterprise_id, STAFF, (attachment,), [clerk.clerk_id])]


def test_a_clerk_the_enterprise_has_is_corrected_and_keeps_what_was_granted_before():
    enterprise = an_enterprise(relations=3)
    first, second, _ = sorted(enterprise.relations)
    uow = FakeUnitOfWork([enterprise])
    person = a_person()
    known = clerks.add(commands.AddClerk(enterprise.uscc, person), uow)
    clerks.set_grants(commands.SetGrants(enterprise.uscc, known.clerk_id, (first,), Actor("x", "legal")), uow)
    corrected = Person(person.id_number, "李四四", "13700137000")

    result = window.submit(
        submission(enterprise, [uploaded(uow)], [corrected], [(person.document, (second,))]), uow, FakeSources()
    )

    assert [(c.clerk_id, c.person, c.relation_ids) for c in result.clerks] == [
        (known.clerk_id, corrected, frozenset({first, second}))
    ]


def test_another_accounts_attachment_cannot_be_used_and_nothing_changes():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork([enterprise])
    theirs, person = uploaded(uow, owner="someone-else", attachment_id="att-x"), a_person()

    with pytest.raises(AttachmentNotFound) as refused:
        window.submit(submission(enterprise, [theirs, "never-uploaded"], [person]), uow, FakeSources())

    assert refused.value.attachment_ids == [theirs, "never-uploaded"]
    assert clerks.clerks(enterprise.uscc, uow) == [] and uow.committed == [] and uow.windows.submissions == []


def test_a_grant_for_someone_who_is_not_a_clerk_refuses_the_whole_submission():
    enterprise = an_enterprise()
    uow = FakeUnitOfWork([enterprise])
    relation, person = next(iter(enterprise.relations)), a_person()

    with pytest.raises(NotAClerk):
        window.submit(
            submission(enterprise, [uploaded(uow)], [person], [((RESIDENT_ID, random_id_number()), (relation,))]),
            uow,
            FakeSources(),
        )

    assert clerks.clerks(enterprise.uscc, uow) == [] and uow.committed == []


def test_an_enterprise_only_the_sources_know_gets_the_manuals_registration_missing():
    uow, uscc, legal_rep_id = FakeUnitOfWork(), random_uscc(), random_id_number()
    sources = FakeSources({uscc: legal_rep_id}, {"U-1": uscc})

    for query in (commands.FindEnterprise(uscc=uscc), commands.FindEnterprise(unit_no="U-1")):
        with pytest.raises(RegistrationMissing) as missing:
            window.find(query, uow, sources)
        assert (missing.value.uscc, missing.value.legal_rep_id) == (uscc, legal_rep_id)
    with pytest.raises(EnterpriseNotFound):
        window.find(commands.FindEnterprise(uscc=random_uscc()), uow, sources)
    stranger = an_enterprise()
    stranger.uscc = uscc
    with pytest.raises(RegistrationMissing):
        window.submit(submission(stranger, [uploaded(uow)]), uow, sources)


def test_the_registration_missing_text_masks_both_numbers_as_the_manual_does():
    @catalogue_errors
    def refuse():
        raise RegistrationMissing("112310000012345678", "231004196410101234")

    with pytest.raises(CatalogueError) as refused:
        refuse()

    assert refused.value.message == (
        "系统没有识别到统一社会信用代码:1123100000******** 以及法人信息证件号码:23100419641********"
        "的有效公共服务注册信息,请在公共服务端办理注册后再由经办机构进行授权操作。"
    )


def test_the_relations_list_marks_those_the_selected_clerk_holds():
    enterprise = an_enterprise(relations=3)
    first, *_ = sorted(enterprise.relations)
    uow = FakeUnitOfWork([enterprise])
    person = a_person()
    clerk = clerks.add(commands.AddClerk(enterprise.uscc, person), uow)
    clerks.set_grants(commands.SetGrants(enterprise.uscc, clerk.clerk_id, (first,), Actor("x", "legal")), uow)

    marked = window.relations_for(enterprise.uscc, person.document, uow)
    nobody = window.relations_for(enterprise.uscc, (RESIDENT_ID, random_id_number()), uow)

    assert {r.relation_id for r, granted in marked if granted} == {first} and len(marked) == 3
    assert not any(granted for _, granted in nobody)


def test_an_attachment_recorded_twice_keeps_its_first_owner():
    uow = FakeUnitOfWork()
    uploaded(uow, owner="first")

    again = window.record_attachment(
        commands.RecordAttachment("att-1", "second", "1" * 64, 1, "image/png", "x.png"), uow
    )

    assert again.owner == "first" and again.uploaded_at <= datetime.now(UTC)


def test_a_registered_enterprise_not_yet_in_the_read_model_is_not_called_unregistered():
    uow, uscc = FakeUnitOfWork(), random_uscc()
    sources = FakeSources({uscc: random_id_number()}, registered=(uscc,))

    with pytest.raises(NotYetKnown):
        window.find(commands.FindEnterprise(uscc=uscc), uow, sources)
