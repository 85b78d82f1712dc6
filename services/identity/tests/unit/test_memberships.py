"""The membership read model (who may scan in as 法人 or 办事员 of which enterprise) and the
sessions that end with a membership, over in-memory ports. Ordering and duplicate deliveries
on the real kit are in tests/integration/test_membership_read_model.py."""

import uuid

import pytest
from identity_builders import an_account
from identity_ports import Ports

from hrss_contracts.examples import random_id_number, random_uscc
from hrss_identity.domain.commands import (
    FindMemberships,
    FollowKeyInfoChange,
    ForgetClerk,
    RememberClerk,
    RememberLegalRepresentative,
)
from hrss_identity.domain.model import Membership, Session

pytestmark = pytest.mark.unit


def registered(ports, uscc=None, legal_rep_id=None, legal_rep_name="王建国", with_account=True):
    """An enterprise whose ``EnterpriseRegistered`` identity handled (its aggregate id: the code)."""
    uscc = uscc or random_uscc()
    if with_account:
        ports.database.accounts[uscc] = an_account(uscc)
    command = RememberLegalRepresentative(
        uscc, uscc, f"测试企业{uscc[-6:]}有限公司", legal_rep_id or random_id_number(), legal_rep_name
    )
    ports.identity.remember_legal_representative(command, session=None)
    return command


def key_info(enterprise, **changes):
    fields = {
        "enterprise_id": enterprise.enterprise_id,
        "uscc": enterprise.uscc,
        "enterprise_name": enterprise.enterprise_name,
        "legal_rep_id": enterprise.legal_rep_id,
        "legal_rep_name": enterprise.legal_rep_name,
        **changes,
    }
    return FollowKeyInfoChange(**fields)


def a_clerk(ports, uscc, id_number=None, name="李小红", clerk_id=None, phone="13904510002"):
    command = RememberClerk(clerk_id or str(uuid.uuid4()), uscc, id_number or random_id_number(), name, phone)
    ports.identity.remember_clerk(command, session=None)
    return command


def legal(ports, id_number, name):
    return ports.identity.memberships(FindMemberships("legal", id_number, name))


def clerk_of(ports, id_number, name):
    return ports.identity.memberships(FindMemberships("clerk", id_number, name))


def logged_in(ports, membership: Membership) -> str:
    return ports.sessions.open(
        Session(membership.account_id, membership.uscc, membership.role, membership.uscc), ports.now
    )


def alive(ports, token) -> bool:
    return ports.sessions.get(token, ports.now) is not None


def test_a_registered_enterprises_legal_representative_finds_it_under_its_account():
    ports = Ports()
    enterprise = registered(ports)

    found = legal(ports, enterprise.legal_rep_id, "王建国")

    account = ports.account(enterprise.uscc)
    assert found == [Membership(enterprise.uscc, enterprise.enterprise_name, account.account_id, "legal")]
    assert clerk_of(ports, enterprise.legal_rep_id, "王建国") == []  # a 法人 is not a clerk of it


def test_before_its_account_exists_the_legal_membership_names_the_enterprise_and_then_the_account():
    ports = Ports()
    enterprise = registered(ports, with_account=False)
    [before] = legal(ports, enterprise.legal_rep_id, "王建国")
    ports.database.accounts[enterprise.uscc] = an_account(enterprise.uscc)

    [after] = legal(ports, enterprise.legal_rep_id, "王建国")

    assert before.account_id == f"enterprise:{enterprise.uscc}"
    assert after.account_id == ports.account(enterprise.uscc).account_id


def test_the_right_id_number_with_a_wrong_name_finds_nothing():
    ports = Ports()
    enterprise = registered(ports)
    clerk = a_clerk(ports, enterprise.uscc)

    assert legal(ports, enterprise.legal_rep_id, "王建") == []
    assert clerk_of(ports, clerk.id_number, "李小红红") == []
    assert legal(ports, random_id_number(), "王建国") == []


def test_names_compare_in_their_one_spelling_and_a_lower_case_x_counts_as_upper_case():
    ports = Ports()
    id_number = next(n for n in iter(random_id_number, None) if n.endswith("X"))
    enterprise = registered(ports, legal_rep_id=id_number, legal_rep_name="阿依古丽·买买提")
    clerk = a_clerk(ports, enterprise.uscc, id_number=id_number.lower(), name="李　小红")

    assert [m.uscc for m in legal(ports, id_number.lower(), " 阿依古丽\u30fb买买提\u200b")] == [enterprise.uscc]
    assert [m.account_id for m in clerk_of(ports, id_number, "李 小红")] == [f"clerk:{clerk.clerk_id}"]


def test_a_person_holding_several_enterprises_gets_each_once_in_code_order():
    ports = Ports()
    person = random_id_number()
    codes = sorted(random_uscc() for _ in range(3))
    for uscc in reversed(codes):
        registered(ports, uscc, legal_rep_id=person)
        a_clerk(ports, uscc, id_number=person, name="王建国")  # the same person, a clerk there too

    assert [m.uscc for m in legal(ports, person, "王建国")] == codes
    assert [(m.uscc, m.role) for m in clerk_of(ports, person, "王建国")] == [(c, "clerk") for c in codes]


def test_a_clerk_of_an_enterprise_identity_has_not_heard_of_yet_is_listed_once_it_has():
    ports = Ports()
    uscc = random_uscc()
    clerk = a_clerk(ports, uscc)
    assert clerk_of(ports, clerk.id_number, clerk.name) == []

    enterprise = registered(ports, uscc)

    [membership] = clerk_of(ports, clerk.id_number, clerk.name)
    assert (membership.uscc, membership.enterprise_name) == (uscc, enterprise.enterprise_name)


def test_an_update_that_overtook_its_add_records_the_clerk_as_updated():
    ports = Ports()
    enterprise = registered(ports)
    clerk_id, person = str(uuid.uuid4()), random_id_number()

    a_clerk(ports, enterprise.uscc, id_number=person, name="李小红", clerk_id=clerk_id, phone="13904510003")

    assert ports.database.clerks[clerk_id].phone == "13904510003"
    assert [m.uscc for m in clerk_of(ports, person, "李小红")] == [enterprise.uscc]


def test_a_removed_clerk_cannot_log_in_and_their_sessions_end_but_no_one_elses():
    ports = Ports()
    enterprise = registered(ports)
    clerk, colleague = a_clerk(ports, enterprise.uscc), a_clerk(ports, enterprise.uscc, name="赵六")
    [membership] = clerk_of(ports, clerk.id_number, clerk.name)
    tokens = [logged_in(ports, membership), logged_in(ports, membership)]
    others = [
        logged_in(ports, clerk_of(ports, colleague.id_number, colleague.name)[0]),
        logged_in(ports, legal(ports, enterprise.legal_rep_id, "王建国")[0]),
    ]

    ports.identity.forget_clerk(ForgetClerk(clerk.clerk_id), session=None)

    assert clerk_of(ports, clerk.id_number, clerk.name) == []
    assert [alive(ports, t) for t in tokens] == [False, False]
    assert [alive(ports, t) for t in others] == [True, True]


def test_removing_a_clerk_twice_changes_nothing_more():
    ports = Ports()
    enterprise = registered(ports)
    clerk = a_clerk(ports, enterprise.uscc)
    ports.identity.forget_clerk(ForgetClerk(clerk.clerk_id), session=None)

    ports.identity.forget_clerk(ForgetClerk(clerk.clerk_id), session=None)

    assert ports.database.clerks == {}


@pytest.mark.parametrize(
    ("change", "ends_sessions"),
    [
        ({"name": "李晓红"}, True),
        ({"id_number": None}, True),
        ({"uscc": None}, True),
        ({"phone": "13904519999"}, False),
    ],
)
def test_a_clerk_changed_to_another_person_or_enterprise_is_logged_out_but_a_new_phone_is_not(change, ends_sessions):
    ports = Ports()
    enterprise, elsewhere = registered(ports), registered(ports)
    clerk = a_clerk(ports, enterprise.uscc)
    token = logged_in(ports, clerk_of(ports, clerk.id_number, clerk.name)[0])
    values = {"id_number": random_id_number(), "uscc": elsewhere.uscc}
    changed = {k: values[k] if v is None else v for k, v in change.items()}

    a_clerk(
        ports,
        changed.get("uscc", clerk.uscc),
        changed.get("id_number", clerk.id_number),
        changed.get("name", clerk.name),
        clerk.clerk_id,
        changed.get("phone", clerk.phone),
    )

    assert alive(ports, token) is not ends_sessions
    now = changed.get("id_number", clerk.id_number), changed.get("name", clerk.name)
    assert [m.uscc for m in clerk_of(ports, *now)] == [changed.get("uscc", clerk.uscc)]


def test_the_same_clerk_state_delivered_again_does_not_log_the_clerk_out_again():
    ports = Ports()
    enterprise = registered(ports)
    clerk = a_clerk(ports, enterprise.uscc)
    renamed = a_clerk(ports, enterprise.uscc, clerk.id_number, "李晓红", clerk.clerk_id)
    token = logged_in(ports, clerk_of(ports, clerk.id_number, "李晓红")[0])  # logged in again

    ports.identity.remember_clerk(renamed, session=None)  # a duplicate delivery

    assert alive(ports, token)


def test_a_new_legal_representative_takes_the_enterprise_over_and_the_former_ones_sessions_end():
    ports = Ports()
    enterprise = registered(ports)
    other = registered(ports, legal_rep_id=enterprise.legal_rep_id)  # same person, another enterprise
    account_id = ports.account(enterprise.uscc).account_id
    stand_in = Session(f"enterprise:{enterprise.uscc}", enterprise.uscc, "legal", enterprise.uscc)
    tokens = [
        ports.sessions.open(Session(account_id, enterprise.uscc, "legal", enterprise.uscc), ports.now),  # password
        ports.sessions.open(stand_in, ports.now),  # opened before the account existed
    ]
    [theirs] = [m for m in legal(ports, other.legal_rep_id, "王建国") if m.uscc == other.uscc]
    kept = logged_in(ports, theirs)
    successor = random_id_number()

    ports.identity.follow_key_info_change(
        key_info(enterprise, legal_rep_id=successor, legal_rep_name="张三"), session=None
    )

    assert [m.uscc for m in legal(ports, enterprise.legal_rep_id, "王建国")] == [other.uscc]
    assert legal(ports, successor, "张三") == [
        Membership(enterprise.uscc, enterprise.enterprise_name, account_id, "legal")
    ]
    assert [alive(ports, t) for t in tokens] == [False, False]
    assert alive(ports, kept)


def test_key_information_with_the_same_legal_representative_ends_no_session():
    ports = Ports()
    enterprise = registered(ports)
    clerk = a_clerk(ports, enterprise.uscc)
    tokens = [
        logged_in(ports, legal(ports, enterprise.legal_rep_id, "王建国")[0]),
        logged_in(ports, clerk_of(ports, clerk.id_number, clerk.name)[0]),
    ]

    ports.identity.follow_key_info_change(
        key_info(enterprise, enterprise_name="新名称有限公司", legal_rep_name=" 王建国\u200b"), session=None
    )

    assert [alive(ports, t) for t in tokens] == [True, True]
    assert [m.enterprise_name for m in clerk_of(ports, clerk.id_number, clerk.name)] == ["新名称有限公司"]


def test_a_new_code_ends_every_session_for_the_enterprise_and_its_clerks_follow_it():
    ports = Ports()
    enterprise = registered(ports)
    clerk = a_clerk(ports, enterprise.uscc)
    tokens = [
        logged_in(ports, legal(ports, enterprise.legal_rep_id, "王建国")[0]),
        logged_in(ports, clerk_of(ports, clerk.id_number, clerk.name)[0]),
    ]
    new_code = random_uscc()

    ports.identity.follow_key_info_change(key_info(enterprise, uscc=new_code, previous_uscc=enterprise.uscc), None)

    assert [alive(ports, t) for t in tokens] == [False, False]
    assert [m.uscc for m in legal(ports, enterprise.legal_rep_id, "王建国")] == [new_code]
    assert [m.uscc for m in clerk_of(ports, clerk.id_number, clerk.name)] == [new_code]


def test_a_clerk_recorded_under_any_former_code_finds_the_enterprise_under_its_code_today():
    ports = Ports()
    enterprise = registered(ports)
    second, third = random_uscc(), random_uscc()
    ports.identity.follow_key_info_change(key_info(enterprise, uscc=second, previous_uscc=enterprise.uscc), None)
    ports.identity.follow_key_info_change(key_info(enterprise, uscc=third, previous_uscc=second), None)
    late = a_clerk(ports, second)  # authorization had not heard of the newest code yet

    assert [m.uscc for m in clerk_of(ports, late.id_number, late.name)] == [third]


def test_key_information_of_an_enterprise_whose_registration_identity_never_saw_ends_its_legal_sessions():
    ports = Ports()
    uscc = random_uscc()
    ports.database.accounts[uscc] = account = an_account(uscc)
    token = ports.sessions.open(Session(account.account_id, uscc, "legal", uscc), ports.now)
    change = FollowKeyInfoChange(uscc, uscc, "某某有限公司", random_id_number(), "张三")

    ports.identity.follow_key_info_change(change, session=None)

    assert not alive(ports, token)
    assert [m.account_id for m in legal(ports, change.legal_rep_id, "张三")] == [account.account_id]


def test_a_role_other_than_legal_or_clerk_has_no_enterprises():
    ports = Ports()
    enterprise = registered(ports)

    assert ports.identity.memberships(FindMemberships("agency", enterprise.legal_rep_id, "王建国")) == []


def test_a_command_shows_no_id_number_in_logs():
    enterprise = RememberLegalRepresentative("e", "u", "n", "230104198001011234", "王建国")
    assert "230104198001011234" not in repr(enterprise)
    assert "230104198001011234" not in repr(RememberClerk("c", "u", "230104198001011234", "n", "p"))


def test_the_enterprise_account_follows_a_new_code_keeping_the_password_of_the_same_legal_representative():
    ports = Ports()
    enterprise = registered(ports)
    ports.database.accounts[enterprise.uscc].password_hash = "argon2-hash-of-the-legal-rep"
    new_code = random_uscc()

    ports.identity.follow_key_info_change(key_info(enterprise, uscc=new_code, previous_uscc=enterprise.uscc), None)

    account = ports.account(enterprise.uscc)  # its login name stays the code it registered with
    assert (account.uscc, account.password_hash) == (new_code, "argon2-hash-of-the-legal-rep")


def test_a_new_legal_representative_finds_the_account_without_the_former_ones_password():
    ports = Ports()
    enterprise = registered(ports)
    ports.database.accounts[enterprise.uscc].password_hash = "argon2-hash-of-the-former-legal-rep"
    new_code = random_uscc()
    change = key_info(enterprise, uscc=new_code, previous_uscc=enterprise.uscc, legal_rep_id=random_id_number())

    ports.identity.follow_key_info_change(change, None)
    ports.identity.follow_key_info_change(change, None)  # a replay finds the account under its new code

    account = ports.account(enterprise.uscc)
    assert (account.uscc, account.password_hash) == (new_code, None)
