"""法人注册 when the enterprise service does not answer in time: the password the legal
representative gave is the account's, however late the enterprise's decision arrives."""

import pytest
from identity_builders import a_registration, random_password
from identity_fakes import FakeEnterpriseDirectory
from identity_ports import Ports

from hrss_identity.domain.errors import AccountExists, EnterpriseUnanswered
from hrss_identity.domain.events import AccountCreated
from hrss_identity.domain.model import UNANSWERED

pytestmark = pytest.mark.unit


def unanswering(register_despite_error=True, before_return=None):
    """The enterprise is down past every timeout; ``register_despite_error``: it decided all the
    same (its answer was lost, or it was busy past the timeout)."""
    return FakeEnterpriseDirectory(
        error=EnterpriseUnanswered(), register_despite_error=register_despite_error, before_return=before_return
    )


def test_an_unanswered_registration_keeps_only_the_password_hash_for_a_late_decision():
    command = a_registration(password=random_password())
    ports = Ports(directory=unanswering())

    with pytest.raises(EnterpriseUnanswered):
        ports.register(command)

    row = ports.pending(command.uscc)
    assert (row.state, row.password_hash) == (UNANSWERED, "hashed:" + command.password)
    assert (ports.account(command.uscc), ports.locks.held) == (None, set())


def test_the_enterprises_late_event_creates_the_account_with_exactly_the_password_given():
    command = a_registration(password=random_password())
    ports = Ports(directory=unanswering())
    with pytest.raises(EnterpriseUnanswered):
        ports.register(command)

    ports.enterprise_registered(command.uscc)  # the enterprise came back; its event arrives late

    account = ports.account(command.uscc)
    assert ports.hasher.verify(account.password_hash, command.password)
    assert account.password_hash == "hashed:" + command.password
    assert ports.published == [AccountCreated(account)]
    assert ports.pending(command.uscc) is None


def test_an_event_that_arrives_while_the_registration_still_waits_lets_it_create_the_account():
    command = a_registration(password=random_password())
    ports = Ports()
    ports.directory = unanswering(before_return=lambda c: ports.enterprise_registered(c.uscc))

    with pytest.raises(EnterpriseUnanswered):
        ports.register(command)

    account = ports.account(command.uscc)
    assert account.password_hash == "hashed:" + command.password
    assert ports.published == [AccountCreated(account)]
    assert ports.pending(command.uscc) is None


def test_an_unanswered_registration_without_a_password_gets_an_account_without_one_from_the_event():
    command = a_registration(password=None)
    ports = Ports(directory=unanswering())
    with pytest.raises(EnterpriseUnanswered):
        ports.register(command)

    ports.enterprise_registered(command.uscc)

    assert ports.account(command.uscc).password_hash is None
    assert ports.hasher.hashed == []


# the legal representative tries again after the 503


def test_a_retry_after_the_enterprise_registered_the_first_attempt_gets_the_first_password():
    first, second = random_password(), random_password()
    command = a_registration(password=first)
    ports = Ports(directory=unanswering())
    with pytest.raises(EnterpriseUnanswered):
        ports.register(command)
    ports.directory.error = None  # the enterprise is back; its event is still queued

    with pytest.raises(AccountExists):
        ports.register(a_registration(command.uscc, password=second))

    assert ports.account(command.uscc).password_hash == "hashed:" + first
    assert ports.hasher.hashed == [first], "the refused retry's password was hashed"
    assert ports.pending(command.uscc) is None
    ports.enterprise_registered(command.uscc)  # the queued event, at last
    assert ports.account(command.uscc).password_hash == "hashed:" + first
    assert len(ports.published) == 1


def test_a_retry_after_the_enterprise_never_saw_the_first_attempt_registers_with_the_new_password():
    command = a_registration(password=random_password())
    ports = Ports(directory=unanswering(register_despite_error=False))
    with pytest.raises(EnterpriseUnanswered):
        ports.register(command)
    ports.directory.error = None
    retry = a_registration(command.uscc, password=random_password())

    ports.register(retry)

    assert ports.account(retry.uscc).password_hash == "hashed:" + retry.password
    assert ports.pending(retry.uscc) is None


def test_a_retry_while_the_enterprise_still_cannot_answer_changes_nothing_and_hashes_nothing():
    command = a_registration(password=random_password())
    ports = Ports(directory=unanswering())
    with pytest.raises(EnterpriseUnanswered):
        ports.register(command)
    left = ports.pending(command.uscc)
    ports.directory.unreachable = True

    with pytest.raises(EnterpriseUnanswered):
        ports.register(a_registration(command.uscc, password=random_password()))

    assert ports.pending(command.uscc) == left
    assert ports.hasher.hashed == [command.password]


# a worker that dies holding the password


def test_an_account_is_never_created_without_the_password_of_a_worker_that_died():
    command = a_registration(password=random_password())
    ports = Ports()

    def worker_dies(c):
        ports.enterprise_registered(c.uscc)  # the event arrives while the worker holds the password
        raise SystemExit("worker killed")

    ports.directory = FakeEnterpriseDirectory(before_return=worker_dies)
    with pytest.raises(SystemExit):
        ports.register(command)
    assert ports.pending(command.uscc).accepted

    ports.enterprise_registered(command.uscc)  # a redelivery
    ports.resolve_stale()  # much later
    ports.enterprise_registered(command.uscc)  # and again, after the row is gone

    assert ports.account(command.uscc) is None, "created without the password the worker held"
    assert ports.hasher.hashed == []


def test_the_next_registration_after_a_dead_worker_creates_the_account_with_its_password():
    command = a_registration(password=random_password())
    ports = Ports()

    def die_after_acceptance(c):
        ports.enterprise_registered(c.uscc)
        raise SystemExit("worker killed")

    ports.directory = FakeEnterpriseDirectory(before_return=die_after_acceptance)
    with pytest.raises(SystemExit):
        ports.register(command)
    assert ports.pending(command.uscc).accepted  # left by the dead worker
    ports.directory.before_return = None
    retry = a_registration(command.uscc, password=random_password())

    ports.register(retry)  # the enterprise answers the same registration again

    assert ports.account(command.uscc).password_hash == "hashed:" + retry.password
    assert ports.pending(command.uscc) is None
