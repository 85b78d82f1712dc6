"""Use case 法人注册 (manual 5.1, DESIGN flow 1) in the identity service, over in-memory ports."""

import pytest
from identity_builders import an_account, an_application, random_password, random_uscc
from identity_fakes import (
    FakeEnterpriseDirectory,
    FakePasswordHasher,
    FakePendingPasswords,
    FakeRegistrationLocks,
    FakeUnitOfWork,
)

from hrss_contracts.errors import CatalogueError
from hrss_identity.domain.errors import AccountExists, EnterpriseUnanswered, RegistrationInProgress
from hrss_identity.domain.events import AccountCreated
from hrss_identity.domain.model import ENTERPRISE
from hrss_identity.service_layer import registration

pytestmark = pytest.mark.unit


class Ports:
    """The fakes one identity replica registers against."""

    def __init__(self, accounts=(), held=(), directory=None):
        self.uow = FakeUnitOfWork(list(accounts))
        self.directory = directory or FakeEnterpriseDirectory()
        self.hasher = FakePasswordHasher()
        self.locks = FakeRegistrationLocks(set(held))
        self.pending = FakePendingPasswords()

    def register(self, application):
        return registration.register(application, self.uow, self.directory, self.hasher, self.locks, self.pending)

    def account(self, uscc):
        return self.uow.accounts.by_login_name(uscc)


def handler_racing(ports, pending=None):
    """A directory whose ``EnterpriseRegistered`` handler creates the account before the reply."""

    def handle(application):
        registration.ensure_account(ports.uow, application["uscc"], pending or ports.pending)

    return FakeEnterpriseDirectory(before_return=handle)


# refusals before the enterprise service is asked


def test_code_with_an_account_is_refused_without_asking_the_enterprise_service():
    existing = an_account()
    ports = Ports(accounts=[existing])

    with pytest.raises(AccountExists):
        ports.register(an_application(existing.login_name, random_password()))

    assert ports.directory.applications == []
    assert (ports.hasher.hashed, ports.pending.put_ever, ports.uow.published) == ([], [], [])


def test_code_another_registration_is_deciding_is_refused_as_in_progress():
    application = an_application(password=random_password())
    ports = Ports(held={application["uscc"]})

    with pytest.raises(RegistrationInProgress):
        ports.register(application)

    assert ports.directory.applications == []
    assert ports.account(application["uscc"]) is None
    assert ports.locks.held == {application["uscc"]}, "the other registration's lock was released"


# a successful registration


def test_registration_creates_an_enterprise_account_whose_login_name_is_the_uscc():
    application = an_application()
    ports = Ports()

    ports.register(application)

    account = ports.account(application["uscc"])
    assert (account.login_name, account.kind, account.uscc) == (application["uscc"], ENTERPRISE, application["uscc"])


def test_registration_with_a_password_stores_its_hash():
    password = random_password()
    application = an_application(password=password)
    ports = Ports()

    ports.register(application)

    assert ports.account(application["uscc"]).password_hash == "hashed:" + password
    assert ports.hasher.hashed == [password]


def test_registration_without_a_password_creates_an_account_without_one():
    application = an_application(password=None)
    ports = Ports()

    ports.register(application)

    account = ports.account(application["uscc"])
    assert (account.password_hash, account.has_password) == (None, False)
    assert (ports.hasher.hashed, ports.pending.put_ever) == ([], [])


def test_registration_publishes_account_created_for_the_new_account():
    application = an_application(password=random_password())
    ports = Ports()

    ports.register(application)

    assert ports.uow.published == [AccountCreated(ports.account(application["uscc"]))]


def test_enterprise_service_receives_the_application_without_the_password():
    application = an_application(password=random_password())
    ports = Ports()

    ports.register(application)

    without_password = {k: v for k, v in application.items() if k != "password"}
    assert ports.directory.applications == [without_password]


def test_registration_returns_the_enterprise_the_enterprise_service_registered():
    application = an_application()
    enterprise = {"uscc": application["uscc"], "name": application["name"], "units": []}
    ports = Ports(directory=FakeEnterpriseDirectory(enterprise=enterprise))

    assert ports.register(application) == enterprise


def test_registration_leaves_neither_its_lock_nor_its_pending_password_behind():
    application = an_application(password=random_password())
    ports = Ports()

    ports.register(application)

    assert ports.pending.put_ever == [(application["uscc"], "hashed:" + application["password"])]
    assert (ports.locks.held, ports.pending.hashes) == (set(), {})


# the enterprise service refuses


def test_refused_registration_creates_no_account_and_publishes_nothing():
    refusal = CatalogueError("ENTERPRISE_NOT_VERIFIED")
    application = an_application(password=random_password())
    ports = Ports(directory=FakeEnterpriseDirectory(error=refusal))

    with pytest.raises(CatalogueError) as raised:
        ports.register(application)

    assert raised.value is refusal
    assert ports.account(application["uscc"]) is None
    assert (ports.uow.events, ports.uow.published) == ([], [])


def test_refused_registration_clears_its_pending_password_and_releases_its_lock():
    application = an_application(password=random_password())
    ports = Ports(directory=FakeEnterpriseDirectory(error=CatalogueError("REGISTRATION_MISMATCH")))

    with pytest.raises(CatalogueError):
        ports.register(application)

    assert len(ports.pending.put_ever) == 1
    assert (ports.pending.hashes, ports.locks.held) == ({}, set())


def test_an_unanswered_enterprise_keeps_the_pending_password_for_a_late_decision():
    application = an_application(password=random_password())
    ports = Ports(directory=FakeEnterpriseDirectory(error=EnterpriseUnanswered()))

    with pytest.raises(EnterpriseUnanswered):
        ports.register(application)

    assert ports.pending.get(application["uscc"]) == ports.hasher.hash(application["password"])
    assert ports.locks.held == set()
    assert ports.account(application["uscc"]) is None
    # The enterprise decided after all: its event's handler creates the account with it.
    registration.ensure_account(ports.uow, application["uscc"], ports.pending)
    assert ports.account(application["uscc"]).password_hash == ports.hasher.hash(application["password"])


# the EnterpriseRegistered handler gets there first


def test_account_the_handler_created_first_is_not_created_again_and_keeps_the_password():
    application = an_application(password=random_password())
    ports = Ports()
    ports.directory = handler_racing(ports)

    ports.register(application)

    account = ports.account(application["uscc"])
    assert len(ports.uow.accounts.accounts) == 1
    assert account.password_hash == "hashed:" + application["password"]
    assert [e.account.account_id for e in ports.uow.published] == [account.account_id]


def test_handler_that_saw_no_pending_password_has_it_set_by_the_registration():
    application = an_application(password=random_password())
    ports = Ports()
    ports.directory = handler_racing(ports, pending=FakePendingPasswords())

    ports.register(application)

    account = ports.account(application["uscc"])
    assert account.password_hash == "hashed:" + application["password"]
    assert [e.account.account_id for e in ports.uow.published] == [account.account_id]


def test_registration_never_replaces_a_different_password_the_account_already_has():
    application = an_application(password=random_password())
    ports = Ports()
    other = an_account(application["uscc"], "hashed:" + random_password())
    ports.directory = FakeEnterpriseDirectory(before_return=lambda _: ports.uow.accounts.add_if_absent(other))

    with pytest.raises(AccountExists):
        ports.register(application)

    assert ports.account(application["uscc"]).password_hash == other.password_hash
    assert ports.uow.published == []


# ensure_account, the handler's path


def test_ensure_account_creates_the_missing_account_with_the_pending_password():
    uscc, password_hash = random_uscc(), "hashed:" + random_password()
    uow = FakeUnitOfWork()

    registration.ensure_account(uow, uscc, FakePendingPasswords({uscc: password_hash}))

    account = uow.accounts.by_login_name(uscc)
    assert (account.kind, account.password_hash) == (ENTERPRISE, password_hash)
    assert uow.published == [AccountCreated(account)]


def test_ensure_account_without_a_pending_password_creates_an_account_without_one():
    uscc = random_uscc()
    uow = FakeUnitOfWork()

    registration.ensure_account(uow, uscc, FakePendingPasswords())

    assert uow.accounts.by_login_name(uscc).password_hash is None
    assert len(uow.published) == 1


def test_ensure_account_on_an_existing_account_publishes_nothing_and_changes_nothing():
    existing = an_account(password_hash="hashed:" + random_password())
    uow = FakeUnitOfWork(accounts=[existing])

    registration.ensure_account(uow, existing.login_name, FakePendingPasswords({existing.login_name: "hashed:new"}))

    assert uow.accounts.by_login_name(existing.login_name) == existing
    assert (uow.events, uow.published) == ([], [])
