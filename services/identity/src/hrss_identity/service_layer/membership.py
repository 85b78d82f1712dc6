"""The membership read model: who may scan in as 法人 or 办事员 of which enterprise, kept from
the enterprise's and authorization's events, and the sessions that end when a membership does.

Each function runs inside the event handler's transaction (``uow`` joins it); the kit applies
an event only if it is newer than what the read model holds for its aggregate, and every event
carries its aggregate's whole state, so each function replaces what it finds.

Sessions end inside the handler, before its transaction commits: the kit offers no hook after
the commit. Should the commit fail, the event is handled again and the sessions are ended
again, which is harmless. The price is a window of a few milliseconds between ending the
sessions and the commit, in which a QR login still reading the old membership can open a
session that survives; the membership itself is gone once the commit lands.
"""

from __future__ import annotations

from hrss_contracts.id_documents import LEGAL_REP_TYPES
from hrss_contracts.names import normalise_name
from hrss_identity.domain.commands import (
    FindMemberships,
    FollowKeyInfoChange,
    ForgetClerk,
    RememberClerk,
    RememberLegalRepresentative,
)
from hrss_identity.domain.model import (
    CLERK,
    ENTERPRISE,
    LEGAL,
    Account,
    ClerkMembership,
    LegalRepresentative,
    Membership,
    clerk_account_id,
    legal_account_id,
)
from hrss_identity.service_layer.ports import Sessions, UnitOfWork


def remember_legal_representative(command: RememberLegalRepresentative, uow: UnitOfWork) -> None:
    """A registered enterprise's legal representative; a registration ends no session."""
    with uow:
        uow.memberships.save_legal_representative(
            _representative(
                command.enterprise_id,
                command.uscc,
                command.enterprise_name,
                command.legal_rep_id,
                command.legal_rep_name,
            ),
            None,
        )
        uow.commit()


def follow_key_info_change(command: FollowKeyInfoChange, uow: UnitOfWork, sessions: Sessions) -> None:
    """The enterprise's key information now. A new legal representative ends the sessions of
    the one replaced; a new code ends every session for the enterprise, since each names it by
    its code. Not knowing what was there before (the registration never reached identity),
    the legal representative's sessions end anyway: a needless logout is the safer mistake.

    The enterprise account follows: its sessions name the new code (it is found by any code the
    enterprise has had), and a new legal representative finds it without a password: the one
    set before is the former legal representative's, so the person replaced can no longer log
    in by password either; the new one logs in by scanning (USE_QR_LOGIN, manual 5.2.1.5) until
    a way to set a password exists (修改资料, not built yet)."""
    now = _representative(
        command.enterprise_id, command.uscc, command.enterprise_name, command.legal_rep_id, command.legal_rep_name
    )
    with uow:
        before = uow.memberships.legal_representative(command.enterprise_id)
        known_as = (before.uscc if before else None, command.previous_uscc, command.enterprise_id, command.uscc)
        account = _enterprise_account(uow, known_as)
        uow.memberships.save_legal_representative(now, command.previous_uscc)
        new_code = before is not None and before.uscc != now.uscc
        new_person = before is not None and not before.same_person_as(now)
        if before is None or new_code or new_person:
            _end_legal_sessions(uow, sessions, command.enterprise_id, account)
        if account is not None and (account.uscc != now.uscc or new_person):
            uow.accounts.follow_enterprise(account.account_id, now.uscc, clear_password=new_person)
        if new_code:
            for clerk in uow.memberships.clerks_of(command.enterprise_id):
                sessions.close_all(clerk.account_id)
        uow.commit()


def remember_clerk(command: RememberClerk, uow: UnitOfWork, sessions: Sessions) -> None:
    """A clerk added or modified. Sessions of a clerk whose document, name or enterprise
    changed end: they stood for the person as they were (a phone change ends none)."""
    clerk = ClerkMembership(
        command.clerk_id,
        command.uscc,
        command.id_number.upper(),
        normalise_name(command.name),
        command.phone,
        command.id_type,
    )
    with uow:
        before = uow.memberships.clerk(command.clerk_id)
        uow.memberships.save_clerk(clerk)
        if before is not None and not before.logs_in_as(clerk):
            sessions.close_all(clerk.account_id)
        uow.commit()


def forget_clerk(command: ForgetClerk, uow: UnitOfWork, sessions: Sessions) -> None:
    """A clerk deleted: the membership goes, and with it every session of the clerk."""
    with uow:
        uow.memberships.remove_clerk(command.clerk_id)
        sessions.close_all(clerk_account_id(command.clerk_id))
        uow.commit()


def find(query: FindMemberships, uow: UnitOfWork) -> list[Membership]:
    """The enterprises the person may act for in the role; an unknown role has none."""
    with uow:
        if query.role == LEGAL:  # a legal representative registers with an 18-character number
            known = query.id_type in LEGAL_REP_TYPES
            return uow.memberships.legal_enterprises(query.id_number, query.name) if known else []
        if query.role == CLERK:
            return uow.memberships.clerk_enterprises(query.id_number, query.name, query.id_type)
        return []


def _representative(enterprise_id: str, uscc: str, name: str, id_number: str, person: str) -> LegalRepresentative:
    """In the spelling the read model compares: names normalised, ID numbers upper-case."""
    return LegalRepresentative(enterprise_id, uscc, normalise_name(name), id_number.upper(), normalise_name(person))


def _enterprise_account(uow: UnitOfWork, known_as: tuple[str | None, ...]) -> Account | None:
    """The enterprise's account, by whichever of its codes is its login name now."""
    for login_name in dict.fromkeys(code for code in known_as if code):
        account = uow.accounts.by_login_name(login_name)
        if account is not None and account.kind == ENTERPRISE:
            return account
    return None


def _end_legal_sessions(
    uow: UnitOfWork, sessions: Sessions, enterprise_id: str, account: Account | None = None
) -> None:
    """Under the enterprise account, and under the stand-in used before the account existed."""
    account = account or uow.accounts.by_login_name(enterprise_id)
    account_id = account.account_id if account is not None and account.kind == ENTERPRISE else None
    for session_account in {legal_account_id(enterprise_id, account_id), legal_account_id(enterprise_id, None)}:
        sessions.close_all(session_account)
