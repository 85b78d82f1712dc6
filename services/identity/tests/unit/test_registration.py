"""Use case 法人注册 (manual 5.1, DESIGN flow 1) in the identity service, over in-memory ports:
the enterprise answers in time."""

import pytest
from identity_builders import a_registration, an_account, random_password
from identity_fakes import FakeEnterpriseDirectory, FakePendingRegistrations
from identity_ports import Ports

from hrss_contracts.errors import CatalogueError
from hrss_identity.domain.errors import AccountExists, RegistrationInProgress
from hrss_identity.domain.events import AccountCreated
from hrss_identity.domain.model import ENTERPRISE

pytestmark = pytest.mark.unit


# refusals before the enterprise service is asked


def test_code_with_an_account_is_refused_without_asking_the_enterprise_service():
    existing = an_account()
    ports = Ports(accounts=[existing])

    with pytest.raises(AccountExists):
        ports.register(a_registration(existing.login_name, random_password()))

    assert ports.directory.applications == []
    assert (ports.hasher.hashed, ports.published) == ([], [])
    assert ports.pending(existing.login_name) is None


def test_code_another_registration_is_deciding_is_refused_as_in_progress():
    command = a_registration(password=random_password())
    ports = Ports(held={command.uscc})

    with pytest.raises(RegistrationInProgress):
        ports.register(command)

    assert ports.directory.applications == []
    assert (ports.account(command.uscc), ports.pending(command.uscc)) == (None, None)
    assert ports.locks.held == {command.uscc}, "the other registration's lock was released"


def test_an_earlier_attempt_that_ends_between_our_insert_and_our_lock_does_not_refuse_us(monkeypatch):
    """Its row stopped our insert, and was gone when we locked: a refused attempt's row, say."""
    command = a_registration()
    ports = Ports()
    conflicts = iter([True])  # the first insert meets the earlier row; later ones do not
    add = FakePendingRegistrations.add

    def add_after_a_conflict(self, row):
        return not next(conflicts, False) and add(self, row)

    monkeypatch.setattr(FakePendingRegistrations, "add", add_after_a_conflict)

    ports.register(command)

    assert ports.account(command.uscc) is not None
    assert ports.pending(command.uscc) is None


# a successful registration


def test_registration_creates_an_enterprise_account_whose_login_name_is_the_uscc():
    command = a_registration()
    ports = Ports()

    ports.register(command)

    account = ports.account(command.uscc)
    assert (account.login_name, account.kind, account.uscc) == (command.uscc, ENTERPRISE, command.uscc)


def test_registration_with_a_password_stores_its_hash_computed_once():
    command = a_registration(password=random_password())
    ports = Ports()

    ports.register(command)

    assert ports.account(command.uscc).password_hash == "hashed:" + command.password
    assert ports.hasher.hashed == [command.password]


def test_registration_without_a_password_creates_an_account_without_one_and_hashes_nothing():
    command = a_registration(password=None)
    ports = Ports()

    ports.register(command)

    account = ports.account(command.uscc)
    assert (account.password_hash, account.has_password) == (None, False)
    assert ports.hasher.hashed == []


def test_registration_publishes_account_created_for_the_new_account():
    command = a_registration(password=random_password())
    ports = Ports()

    ports.register(command)

    assert ports.published == [AccountCreated(ports.account(command.uscc))]


def test_enterprise_service_receives_the_application_without_the_password():
    command = a_registration(password=random_password())
    ports = Ports()

    ports.register(command)

    [sent] = ports.directory.applications
    assert "password" not in sent
    assert command.password not in sent.values()
    assert sent["uscc"] == command.uscc


def test_the_command_does_not_show_its_password_when_printed():
    command = a_registration(password=random_password())

    assert command.password not in repr(command)


def test_registration_returns_the_enterprise_the_enterprise_service_registered():
    command = a_registration()
    enterprise = {"uscc": command.uscc, "name": command.name, "units": []}
    ports = Ports(directory=FakeEnterpriseDirectory(enterprise=enterprise))

    assert ports.register(command) == enterprise


def test_registration_leaves_neither_its_lock_nor_a_pending_row_behind():
    command = a_registration(password=random_password())
    ports = Ports()

    ports.register(command)

    assert (ports.locks.held, ports.database.pending) == (set(), {})


def test_while_the_enterprise_decides_a_pending_row_without_any_secret_exists():
    command = a_registration(password=random_password())
    seen = []
    ports = Ports()
    ports.directory = FakeEnterpriseDirectory(before_return=lambda c: seen.append(ports.pending(c.uscc)))

    ports.register(command)

    [row] = seen
    assert (row.deciding, row.with_password, row.password_hash, row.accepted) == (True, True, None, False)
    assert ports.hasher.hashed == [command.password], "hashed before the enterprise accepted"


# the EnterpriseRegistered handler runs before the reply (the usual order: the hash is slow)


def test_handler_that_runs_first_leaves_the_account_to_the_registration_which_sets_the_password():
    command = a_registration(password=random_password())
    ports = Ports()
    ports.directory = FakeEnterpriseDirectory(before_return=lambda c: ports.enterprise_registered(c.uscc))

    ports.register(command)

    account = ports.account(command.uscc)
    assert account.password_hash == "hashed:" + command.password
    assert ports.published == [AccountCreated(account)], "one AccountCreated, with the password"
    assert ports.published[0].account.has_password
    assert ports.database.pending == {}


def test_handler_that_runs_first_creates_a_passwordless_registration_account_at_once():
    command = a_registration(password=None)
    created_by_handler = []
    ports = Ports()

    def handler_first(c):
        ports.enterprise_registered(c.uscc)
        created_by_handler.append(ports.account(c.uscc))

    ports.directory = FakeEnterpriseDirectory(before_return=handler_first)

    ports.register(command)

    [account] = created_by_handler
    assert ports.account(command.uscc) == account
    assert ports.published == [AccountCreated(account)]
    assert ports.database.pending == {}


def test_a_later_delivery_of_the_event_changes_nothing():
    command = a_registration(password=random_password())
    ports = Ports()
    ports.register(command)
    before = ports.account(command.uscc)

    ports.enterprise_registered(command.uscc)

    assert ports.account(command.uscc) == before
    assert len(ports.published) == 1


# the enterprise service refuses


@pytest.mark.parametrize("code", ["ENTERPRISE_NOT_VERIFIED", "REGISTRATION_MISMATCH", "LEGAL_ACCOUNT_EXISTS"])
def test_refused_registration_never_hashes_the_password(code):
    command = a_registration(password=random_password())
    ports = Ports(directory=FakeEnterpriseDirectory(error=CatalogueError(code)))

    with pytest.raises(CatalogueError):
        ports.register(command)

    assert ports.hasher.hashed == []


def test_refused_registration_creates_no_account_publishes_nothing_and_leaves_no_row():
    refusal = CatalogueError("ENTERPRISE_NOT_VERIFIED")
    command = a_registration(password=random_password())
    ports = Ports(directory=FakeEnterpriseDirectory(error=refusal))

    with pytest.raises(CatalogueError) as raised:
        ports.register(command)

    assert raised.value is refusal
    assert (ports.account(command.uscc), ports.pending(command.uscc)) == (None, None)
    assert (ports.published, ports.locks.held) == ([], set())


def test_registration_never_replaces_a_different_password_the_account_already_has():
    command = a_registration(password=random_password())
    other = an_account(command.uscc, "hashed:" + random_password())
    ports = Ports()

    def account_appears(_):
        with ports.uow as uow:
            uow.accounts.add_if_absent(other)
            uow.commit()

    ports.directory = FakeEnterpriseDirectory(before_return=account_appears)

    with pytest.raises(AccountExists):
        ports.register(command)

    assert ports.account(command.uscc).password_hash == other.password_hash
    assert ports.published == []
    assert ports.pending(command.uscc) is None
