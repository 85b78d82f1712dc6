"""Use case 注册 (manual 5.1, DESIGN flow 1) over in-memory ports."""

import pytest
from enterprise_builders import NOW, a_record, a_unit, application_for, random_id_number
from enterprise_fakes import FakeUnitOfWork

from hrss_enterprise.domain import registration
from hrss_enterprise.domain.errors import AlreadyRegistered, NotVerified, RegistrationMismatch
from hrss_enterprise.domain.events import EnterpriseRegistered, RegistrationRejected
from hrss_enterprise.domain.model import ENTERPRISE_PENSION, MARKET
from hrss_enterprise.service_layer.registration import register

pytestmark = pytest.mark.unit


def registered(application, uow):
    """Register and forget what that committed and published, as if it were long ago."""
    enterprise = register(application, uow)
    uow.published.clear()
    uow.committed = False
    return enterprise


def test_successful_registration_is_committed_and_publishes_enterprise_registered():
    record = a_record(ENTERPRISE_PENSION, units=(a_unit(i110="甲局"),))
    uow = FakeUnitOfWork(records=[record])

    enterprise = register(application_for(record), uow)

    assert uow.committed
    assert uow.published == [EnterpriseRegistered(enterprise)]
    assert uow.enterprises.get(record.uscc) == enterprise


def test_successful_registration_records_a_registered_decision():
    record = a_record(MARKET)
    uow = FakeUnitOfWork(records=[record])

    enterprise = register(application_for(record), uow)

    assert uow.decisions.decisions == [(record.uscc, "registered", [], enterprise.registered_at)]


def test_code_no_source_knows_is_refused_and_the_refusal_is_still_committed_and_published():
    application = application_for(a_record(MARKET))
    uow = FakeUnitOfWork()

    with pytest.raises(NotVerified):
        register(application, uow)

    assert uow.committed
    [rejected] = uow.published
    assert rejected == RegistrationRejected(application.uscc, "not_verified", (), rejected.decided_at)
    assert uow.decisions.decisions == [(application.uscc, "not_verified", [], rejected.decided_at)]


def test_mismatch_is_refused_and_publishes_a_rejection_naming_the_differing_fields():
    record = a_record(ENTERPRISE_PENSION)
    uow = FakeUnitOfWork(records=[record])

    with pytest.raises(RegistrationMismatch):
        register(application_for(record, legal_rep_id=random_id_number()), uow)

    assert uow.committed
    [rejected] = uow.published
    assert (rejected.uscc, rejected.reason, rejected.mismatched_fields) == (record.uscc, "mismatch", ("legal_rep_id",))
    assert uow.decisions.decisions == [(record.uscc, "mismatch", ["legal_rep_id"], rejected.decided_at)]


def test_refused_registration_creates_no_enterprise():
    record = a_record(ENTERPRISE_PENSION)
    uow = FakeUnitOfWork(records=[record])

    with pytest.raises(RegistrationMismatch):
        register(application_for(record, name="别的名称"), uow)

    assert uow.enterprises.get(record.uscc) is None


def test_different_registration_of_a_registered_code_is_already_registered_and_publishes_nothing():
    record = a_record(ENTERPRISE_PENSION)
    uow = FakeUnitOfWork(records=[record])
    registered(application_for(record), uow)

    with pytest.raises(AlreadyRegistered):
        register(application_for(record), uow)  # same person, another phone

    assert (uow.published, uow.committed, len(uow.decisions.decisions)) == ([], False, 1)


def test_repeating_the_very_registration_returns_the_existing_enterprise_and_publishes_nothing_new():
    record = a_record(ENTERPRISE_PENSION)
    uow = FakeUnitOfWork(records=[record])
    application = application_for(record)
    first = registered(application, uow)

    again = register(application, uow)

    assert again == first
    assert (uow.published, len(uow.decisions.decisions)) == ([], 1)


def test_unit_another_registered_enterprise_holds_is_left_out():
    taken, own = a_unit(i110="甲局"), a_unit(i210="乙局")
    holder = a_record(ENTERPRISE_PENSION, units=(taken,))
    record = a_record(ENTERPRISE_PENSION, units=(taken, own))
    other = registration.decide(application_for(holder), {ENTERPRISE_PENSION: holder}, NOW)
    uow = FakeUnitOfWork(records=[record], enterprises=[other])

    enterprise = register(application_for(record), uow)

    assert enterprise.units == [own]
    assert uow.published == [EnterpriseRegistered(enterprise)]
    assert uow.enterprises.get(other.uscc).units == [taken]
