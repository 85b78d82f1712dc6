"""Use case 账户方式登录 (manual 5.2.1), sessions and agency staff, over in-memory ports with a
clock the tests move."""

import pytest
from identity_builders import an_account
from identity_ports import Ports

from hrss_identity.domain.commands import AddAgencyUser, ChangePassword, LogIn
from hrss_identity.domain.errors import (
    AccountLocked,
    AgencyUserExists,
    CurrentPasswordMissing,
    CurrentPasswordWrong,
    FreshLoginRequired,
    LoginBusy,
    LoginRefused,
    SessionEnded,
)
from hrss_identity.domain.events import LoggedOut, LoginFailed, LoginSucceeded, PasswordChanged
from hrss_identity.domain.model import Session

pytestmark = pytest.mark.unit

PASSWORD = "right-password-1"


def with_account(password_hash="hashed:" + PASSWORD):
    account = an_account()
    account.password_hash = password_hash
    return Ports(accounts=[account]), account


def refusal(ports, account, password):
    with pytest.raises((LoginRefused, AccountLocked)) as caught:
        ports.identity.log_in(LogIn(account, password))
    return caught.value


def test_the_right_password_opens_a_legal_representatives_session_for_the_enterprise():
    ports, account = with_account()
    login = ports.identity.log_in(LogIn(account.login_name, PASSWORD))
    session = ports.identity.authenticate(login.token)
    assert (login.role, login.expires_in) == ("legal", 1800)
    assert (session.account_id, session.role, session.uscc) == (account.account_id, "legal", account.uscc)
    assert isinstance(ports.published[-1], LoginSucceeded)


@pytest.mark.parametrize(
    ("login_name", "password_hash", "reason"),
    [
        ("91110000600037341L", None, "account_not_found"),
        (None, None, "use_qr_login"),
        (None, "hashed:" + PASSWORD, "bad_credentials"),
    ],
)
def test_each_refusal_of_the_manual_is_told_apart_and_published(login_name, password_hash, reason):
    ports, account = with_account(password_hash)
    error = refusal(ports, login_name or account.login_name, "wrong-password-1" if password_hash else PASSWORD)
    assert isinstance(error, LoginRefused) and error.reason == reason
    assert [(type(e), e.reason) for e in ports.published] == [(LoginFailed, reason)]


def test_five_failures_lock_the_account_and_the_fifth_says_so():
    ports, account = with_account()
    for _ in range(4):
        assert isinstance(refusal(ports, account.login_name, "wrong-password-1"), LoginRefused)
        ports.now += 60
    error = refusal(ports, account.login_name, "wrong-password-1")
    assert isinstance(error, AccountLocked) and error.seconds == 900


def test_a_locked_account_refuses_the_right_password_without_hashing_until_the_lock_ends():
    ports, account = with_account()
    for _ in range(5):
        refusal(ports, account.login_name, "wrong-password-1")
    ports.hasher.hashed.clear()
    ports.hasher.verified.clear()
    ports.now += 899
    error = refusal(ports, account.login_name, PASSWORD)
    assert isinstance(error, AccountLocked) and error.seconds == 1
    assert ports.hasher.hashed == [] and ports.hasher.verified == []
    ports.now += 1
    assert ports.identity.log_in(LogIn(account.login_name, PASSWORD)).role == "legal"


def test_failures_older_than_the_window_do_not_count():
    ports, account = with_account()
    for _ in range(4):
        refusal(ports, account.login_name, "wrong-password-1")
    ports.now += 901
    assert isinstance(refusal(ports, account.login_name, "wrong-password-1"), LoginRefused)


def test_a_success_forgets_the_failures_before_it():
    ports, account = with_account()
    for _ in range(4):
        refusal(ports, account.login_name, "wrong-password-1")
    ports.identity.log_in(LogIn(account.login_name, PASSWORD))
    assert isinstance(refusal(ports, account.login_name, "wrong-password-1"), LoginRefused)


def test_a_hash_with_older_parameters_is_replaced_at_login():
    ports, account = with_account("old:" + PASSWORD)
    ports.identity.log_in(LogIn(account.login_name, PASSWORD))
    assert ports.account(account.login_name).password_hash == "hashed:" + PASSWORD


def test_a_session_ends_after_30_idle_minutes_and_after_12_hours_in_use():
    ports, account = with_account()
    idle = ports.identity.log_in(LogIn(account.login_name, PASSWORD)).token
    busy = ports.identity.log_in(LogIn(account.login_name, PASSWORD)).token
    opened = ports.now
    ports.now += 1799
    assert ports.identity.authenticate(busy) is not None
    ports.now += 1
    assert ports.identity.authenticate(idle) is None
    while ports.now + 1700 < opened + 12 * 3600:
        ports.now += 1700
        assert ports.identity.authenticate(busy) is not None
    ports.now = opened + 12 * 3600  # 12 hours since it opened, used all along
    assert ports.identity.authenticate(busy) is None


def test_logout_ends_the_session_once():
    ports, account = with_account()
    token = ports.identity.log_in(LogIn(account.login_name, PASSWORD)).token
    assert ports.identity.log_out(token) is True
    assert ports.identity.authenticate(token) is None
    assert ports.identity.log_out(token) is False
    assert isinstance(ports.published[-1], LoggedOut)


def test_agency_staff_log_in_with_their_agency_in_the_session():
    ports = Ports()
    ports.identity.add_agency_user(AddAgencyUser("window01", "哈尔滨市社保局", PASSWORD))
    login = ports.identity.log_in(LogIn("window01", PASSWORD))
    session = ports.identity.authenticate(login.token)
    assert (login.role, session.role, session.agency, session.uscc) == ("agency", "agency", "哈尔滨市社保局", None)


def test_adding_the_same_agency_user_again_changes_nothing_and_another_agency_is_refused():
    ports = Ports()
    first = ports.identity.add_agency_user(AddAgencyUser("window01", "哈尔滨市社保局", PASSWORD))
    assert ports.identity.add_agency_user(AddAgencyUser("window01", "哈尔滨市社保局", "another-pass-1")) == first
    with pytest.raises(AgencyUserExists):
        ports.identity.add_agency_user(AddAgencyUser("window01", "大庆市社保局", PASSWORD))


def test_a_second_attempt_while_one_is_checked_is_refused_so_parallel_guesses_cannot_pass_the_lock():
    ports, account = with_account()
    ports.attempts.checking.add(account.login_name)  # another replica is checking a password
    with pytest.raises(LoginBusy):
        ports.identity.log_in(LogIn(account.login_name, PASSWORD))
    assert ports.hasher.verified == []


def test_a_failed_login_for_an_account_that_does_not_exist_keeps_nothing_of_what_was_typed():
    ports = Ports()
    refusal(ports, "my-secret-password", PASSWORD)
    assert ports.published[-1].login_name is None


# 修改资料 → 密码


def logged_in(ports, account, password=PASSWORD):
    return ports.identity.log_in(LogIn(account.login_name, password)).token


def test_changing_the_password_needs_the_current_one_and_ends_the_accounts_other_sessions():
    ports, account = with_account()
    mine, elsewhere, again = (logged_in(ports, account) for _ in range(3))

    ended = ports.identity.change_password(ChangePassword(mine, PASSWORD, "new-password-2"))

    assert ended == 2
    assert ports.identity.authenticate(mine) is not None
    assert ports.identity.authenticate(elsewhere) is None and ports.identity.authenticate(again) is None
    assert ports.identity.log_in(LogIn(account.login_name, "new-password-2")).role == "legal"
    assert isinstance(refusal(ports, account.login_name, PASSWORD), LoginRefused)  # the old one no longer


@pytest.mark.parametrize(
    ("current", "error"), [(None, CurrentPasswordMissing), ("wrong-password-1", CurrentPasswordWrong)]
)
def test_a_change_without_the_right_current_password_changes_nothing(current, error):
    ports, account = with_account()
    mine, elsewhere = logged_in(ports, account), logged_in(ports, account)
    with pytest.raises(error):
        ports.identity.change_password(ChangePassword(mine, current, "new-password-2"))
    assert ports.identity.authenticate(elsewhere) is not None
    assert ports.identity.log_in(LogIn(account.login_name, PASSWORD)).role == "legal"


def test_wrong_current_passwords_count_against_the_login_lock():
    ports, account = with_account()
    mine = logged_in(ports, account)
    for _ in range(4):
        with pytest.raises(CurrentPasswordWrong):
            ports.identity.change_password(ChangePassword(mine, "wrong-password-1", "new-password-2"))
    with pytest.raises(AccountLocked):
        ports.identity.change_password(ChangePassword(mine, "wrong-password-1", "new-password-2"))
    with pytest.raises(AccountLocked):  # locked: even the right one waits, unhashed
        ports.identity.change_password(ChangePassword(mine, PASSWORD, "new-password-2"))


def test_an_account_without_a_password_sets_one_without_a_current_one():
    ports, account = with_account(password_hash=None)
    token = ports.sessions.open(Session(account.account_id, account.login_name, "legal", uscc=account.uscc), ports.now)
    assert ports.identity.change_password(ChangePassword(token, None, "first-password-1")) == 0
    assert ports.identity.log_in(LogIn(account.login_name, "first-password-1")).role == "legal"


def test_a_session_that_ended_changes_no_password():
    ports, account = with_account()
    token = logged_in(ports, account)
    ports.identity.log_out(token)
    with pytest.raises(SessionEnded):
        ports.identity.change_password(ChangePassword(token, PASSWORD, "new-password-2"))


def test_a_first_password_needs_a_session_opened_just_now_not_a_token_taken_later():
    ports, account = with_account(password_hash=None)
    token = ports.sessions.open(Session(account.account_id, account.login_name, "legal", uscc=account.uscc), ports.now)
    ports.now += 301
    with pytest.raises(FreshLoginRequired):
        ports.identity.change_password(ChangePassword(token, None, "first-password-1"))
    assert isinstance(refusal(ports, account.login_name, "first-password-1"), LoginRefused)


def test_a_change_is_published_and_so_is_a_wrong_current_password():
    ports, account = with_account()
    mine, _ = logged_in(ports, account), logged_in(ports, account)
    with pytest.raises(CurrentPasswordWrong):
        ports.identity.change_password(ChangePassword(mine, "wrong-password-1", "new-password-2"))
    ports.identity.change_password(ChangePassword(mine, PASSWORD, "new-password-2"))
    failed = [e for e in ports.published if isinstance(e, LoginFailed)]
    changed = [e for e in ports.published if isinstance(e, PasswordChanged)]
    assert [(e.reason, e.method) for e in failed] == [("bad_credentials", "password_change")]
    assert [(e.account_id, e.first, e.sessions_ended) for e in changed] == [(account.account_id, False, 1)]
