"""Rows a registration left pending are settled with the enterprise service, never simply
dropped at an age; and the fake unit of work keeps only what was committed."""

from datetime import timedelta

import pytest
from identity_builders import NOW, a_registration, an_account, random_password, random_uscc
from identity_ports import Ports, an_hour_before

from hrss_identity.domain.model import PendingRegistration


def unanswered_row(uscc, password_hash, at=NOW):
    row = PendingRegistration.begin(uscc, password_hash is not None, at)
    row.settle_unanswered(password_hash, at)
    return row


pytestmark = pytest.mark.unit


def test_an_unanswered_row_whose_enterprise_registered_becomes_its_account():
    uscc, password_hash = random_uscc(), "hashed:" + random_password()
    ports = Ports()
    ports.leave_pending(unanswered_row(uscc, password_hash))
    ports.directory.registered.add(uscc)

    assert ports.resolve_stale() == 1

    assert ports.account(uscc).password_hash == password_hash
    assert ports.pending(uscc) is None
    ports.enterprise_registered(uscc)  # its event, after an outage longer than the resolver's delay
    assert ports.account(uscc).password_hash == password_hash
    assert len(ports.published) == 1


def test_an_unanswered_row_the_enterprise_never_registered_is_removed_without_an_account():
    uscc = random_uscc()
    ports = Ports()
    ports.leave_pending(unanswered_row(uscc, "hashed:" + random_password()))

    ports.resolve_stale()

    assert (ports.pending(uscc), ports.account(uscc)) == (None, None)


def test_rows_touched_since_the_cutoff_are_left_alone():
    uscc = random_uscc()
    ports = Ports()
    ports.leave_pending(unanswered_row(uscc, "hashed:" + random_password()))

    assert ports.resolve_stale(older_than=NOW - timedelta(minutes=1)) == 0

    assert ports.pending(uscc) is not None
    assert ports.directory.lookups == []


def test_rows_stay_while_the_enterprise_cannot_answer():
    rows = [an_hour_before(unanswered_row(random_uscc(), "hashed:x")) for _ in range(3)]
    ports = Ports()
    for row in rows:
        ports.leave_pending(row)
    ports.directory.unreachable = True

    ports.resolve_stale()

    assert len(ports.directory.lookups) == 1, "went on asking a service that does not answer"
    assert all(ports.pending(row.uscc) == row for row in rows)


def test_a_row_whose_account_exists_is_removed():
    account = an_account(password_hash="hashed:" + random_password())
    ports = Ports(accounts=[account])
    ports.leave_pending(unanswered_row(account.login_name, "hashed:other"))
    ports.directory.registered.add(account.login_name)

    ports.resolve_stale()

    assert ports.pending(account.login_name) is None
    assert ports.account(account.login_name) == account


def test_a_dead_workers_row_waits_for_the_enterprises_event_before_it_goes():
    uscc = random_uscc()
    ports = Ports()
    ports.leave_pending(PendingRegistration.begin(uscc, True, NOW))  # worker died before the event
    ports.directory.registered.add(uscc)

    ports.resolve_stale()
    kept = ports.pending(uscc)
    ports.enterprise_registered(uscc)
    ports.resolve_stale()

    assert kept is not None, "dropped: the late event would have found no row"
    assert (ports.pending(uscc), ports.account(uscc)) == (None, None)


def test_a_dead_workers_row_without_a_password_becomes_an_account_without_one():
    uscc = random_uscc()
    ports = Ports()
    ports.leave_pending(PendingRegistration.begin(uscc, False, NOW))
    ports.directory.registered.add(uscc)

    ports.resolve_stale()

    assert ports.account(uscc).password_hash is None
    assert ports.pending(uscc) is None


def test_an_event_for_a_code_with_no_pending_registration_creates_no_account():
    uscc = random_uscc()
    ports = Ports()

    ports.enterprise_registered(uscc)

    assert ports.account(uscc) is None
    assert ports.published == []


# the fake unit of work itself


def test_a_write_left_without_commit_is_gone_when_the_unit_of_work_ends():
    account = an_account()
    ports = Ports()

    with ports.uow as uow:
        uow.accounts.add_if_absent(account)
        uow.pending.add(PendingRegistration.begin(account.login_name, False, NOW))

    assert ports.account(account.login_name) is None
    assert ports.pending(account.login_name) is None
    with ports.uow as uow:
        assert uow.accounts.by_login_name(account.login_name) is None


def test_a_rollback_discards_writes_and_events_made_since_the_last_commit():
    kept, discarded = an_account(), an_account()
    ports = Ports()

    with ports.uow as uow:
        uow.accounts.add_if_absent(kept)
        uow.commit()
        uow.accounts.add_if_absent(discarded)
        uow.publish(object())
        uow.rollback()
        assert uow.accounts.by_login_name(discarded.login_name) is None
        assert uow.accounts.by_login_name(kept.login_name) == kept

    assert ports.account(kept.login_name) == kept
    assert ports.account(discarded.login_name) is None
    assert ports.published == []


def test_a_retry_registration_of_a_code_with_a_fresh_unanswered_row_asks_the_enterprise_first():
    command = a_registration(password=random_password())
    ports = Ports()
    ports.leave_pending(unanswered_row(command.uscc, None))

    ports.register(command)

    assert ports.directory.lookups == [command.uscc]
    assert ports.account(command.uscc).password_hash == "hashed:" + command.password
