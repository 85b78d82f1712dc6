"""The identity service's nameko entrypoints: load, build the command, call the service layer
through ``bootstrap``, dump."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from nameko.dependency_providers import Config
from nameko.timer import timer
from sqlalchemy.orm import Session

from hrss_contracts.errors import CatalogueError
from hrss_contracts.login import AgencyUserSchema, LoginRequestSchema, PasswordChangeSchema
from hrss_contracts.masking import mask_document_number
from hrss_contracts.qr_login import QR_TITLES, AssertionSchema, QrSessionRequestSchema, SelectionSchema
from hrss_contracts.registration import RegistrationRequestSchema
from hrss_identity.adapters.orm import metadata
from hrss_identity.bootstrap import EsscKey, Identity, LoginSettings, PasswordHashing, bootstrap, stale_cutoff
from hrss_identity.domain import commands
from hrss_identity.entrypoints.errors import catalogue_errors
from hrss_kit.database import Database
from hrss_kit.inbox import reliable_handler
from hrss_kit.logs import CallIdLogging
from hrss_kit.ops import OperationsMixin
from hrss_kit.redis import Redis
from hrss_kit.rpc import rpc
from hrss_kit.rpc_client import ServiceRpc

REGISTRATION = RegistrationRequestSchema()
LOGIN = LoginRequestSchema()
PASSWORD_CHANGE = PasswordChangeSchema()
QR_SESSION, SELECTION, ASSERTION = QrSessionRequestSchema(), SelectionSchema(), AssertionSchema()
AGENCY_USER = AgencyUserSchema()
RESOLVE_INTERVAL_SECONDS = 300
MEMBERSHIP = "membership"  # the read model of service_layer/membership.py, ordered per aggregate


class IdentityService(OperationsMixin):
    name = "identity"

    db = Database(metadata)
    redis = Redis()
    enterprise = ServiceRpc("enterprise", timeout=10)
    hasher = PasswordHashing()
    essc = EsscKey()
    config = Config()
    call_ids = CallIdLogging()

    @property
    def identity(self) -> Identity:
        settings = LoginSettings.from_config(self.config)
        return bootstrap(self.db, self.enterprise, self.redis, self.hasher, settings, self.essc)

    @rpc(idempotent=True)
    @catalogue_errors
    def register(self, application: dict[str, Any]) -> dict[str, Any]:
        """法人注册: refuse an existing account, have the enterprise verified, create the account."""
        command = commands.RegisterEnterprise(**REGISTRATION.load(application))
        enterprise = self.identity.register(command)
        return {"uscc": enterprise["uscc"], "status": "registered"}

    @rpc
    @catalogue_errors
    def log_in(self, credentials: dict[str, Any]) -> dict[str, Any]:
        """账户方式登录: ``{token, expires_in, role}``; the manual's refusals, ACCOUNT_LOCKED."""
        command = commands.LogIn(**LOGIN.load(credentials))
        login = self.identity.log_in(command)
        return {"token": login.token, "expires_in": login.expires_in, "role": login.role}

    @rpc
    def authenticate(self, token: str) -> dict[str, Any] | None:
        """The session behind ``token`` (its idle time reset), or None. The ID number is masked."""
        if not isinstance(token, str) or not token:
            return None
        session = self.identity.authenticate(token)
        if session is None:
            return None
        view = asdict(session)
        view["id_number"] = mask_document_number(session.id_number) if session.id_number else None
        return view

    @rpc
    @catalogue_errors
    def change_password(self, token: str, change: dict[str, Any]) -> dict[str, Any]:
        """修改资料 → 密码 for the session of ``token``: ``{"status": "changed", "sessions_ended": n}``;
        the account's other sessions end. VALIDATION_FAILED, CURRENT_PASSWORD_WRONG, ACCOUNT_LOCKED."""
        loaded = PASSWORD_CHANGE.load(change)
        command = commands.ChangePassword(token, loaded["current_password"], loaded["new_password"])
        return {"status": "changed", "sessions_ended": self.identity.change_password(command)}

    @rpc
    def log_out(self, token: str) -> bool:
        """End the session behind ``token``; False when there was none."""
        return isinstance(token, str) and bool(token) and self.identity.log_out(token)

    @rpc(idempotent=True)
    @catalogue_errors
    def add_agency_user(self, account: str, agency: str, password: str) -> dict[str, Any]:
        """An agency staff account (``hrssctl agency-users add``); the same again changes nothing."""
        command = commands.AddAgencyUser(
            **AGENCY_USER.load({"account": account, "agency": agency, "password": password})
        )
        return {"account_id": self.identity.add_agency_user(command), "account": command.account}

    @rpc
    @catalogue_errors
    def open_qr_session(self, request: dict[str, Any]) -> dict[str, Any]:
        """扫码登录: a QR session for ``{"role": "legal"|"clerk"}``; its ``binding`` is the browser's secret."""
        opened = self.identity.open_qr_session(QR_SESSION.load(request)["role"])
        return {
            "qr_id": opened.qr_id,
            "qr_content": opened.qr_content,
            "role": opened.role,
            "title": QR_TITLES[opened.role],
            "expires_in": opened.expires_in,
            "interval": opened.interval,
            "binding": opened.binding,
        }

    @rpc
    @catalogue_errors
    def qr_status(self, qr_id: str, binding: str, waiting: bool = False) -> dict[str, Any]:
        """The QR session as its browser sees it (the token once); QR_SESSION_NOT_FOUND without
        the right binding; SLOW_DOWN when polled without waiting faster than its interval."""
        view = self.identity.qr_status(str(qr_id), str(binding), bool(waiting))
        if "error" in view:  # a rejection: its catalogue code with the manual's text
            view["error"] = CatalogueError(view["error"]).to_body()["error"]
        return view

    @rpc
    @catalogue_errors
    def select_enterprise(self, qr_id: str, binding: str, selection: dict[str, Any]) -> dict[str, Any]:
        """选择单位: ``{"token": …}`` for the picked enterprise."""
        uscc = SELECTION.load(selection)["uscc"]
        try:
            token = self.identity.select_enterprise(str(qr_id), str(binding), uscc)
        except LookupError as exc:
            raise CatalogueError("ENTERPRISE_NOT_FOUND") from exc
        return {"token": token, "expires_in": self.config.get("SESSION_IDLE_SECONDS", 1800)}

    # Its effects (the QR session, the assertion's jti) are all in Redis: so is its answer.
    @rpc(idempotent="redis")
    @catalogue_errors
    def essc_assertion(self, body: dict[str, Any]) -> dict[str, Any]:
        """An e-SSC platform's report (scan, confirm, cancel): ``{"status": …}`` of the session after it.

        Idempotent: a redelivered request gets the first answer, not ASSERTION_REPLAYED. The
        calls that answer with a secret (a token, a binding) are not: their answer would be
        kept in the clear; a repeat of one opens a second session nobody holds, which expires."""
        return {"status": self.identity.essc_assertion(ASSERTION.load(body)["assertion"])}

    @rpc
    def ping(self) -> str:
        """ "ok" when the database and Redis answer."""
        self.redis.ping()
        return super().ping()  # type: ignore[no-any-return]

    @reliable_handler("enterprise", "EnterpriseRegistered")
    def on_enterprise_registered(self, session: Session, envelope: dict[str, Any]) -> None:
        """Every registered enterprise gets its account, with the password its registration left."""
        command = commands.CreateAccountOfRegisteredEnterprise(envelope["data"]["uscc"])
        self.identity.on_enterprise_registered(command, session)

    @reliable_handler("enterprise", "EnterpriseRegistered", read_model=MEMBERSHIP)
    def remember_legal_representative(self, session: Session, envelope: dict[str, Any]) -> None:
        """The legal representative of a registered enterprise may scan in as 法人."""
        data = envelope["data"]
        command = commands.RememberLegalRepresentative(
            envelope["aggregate_id"], data["uscc"], data["name"], data["legal_rep_id"], data["legal_rep_name"]
        )
        self.identity.remember_legal_representative(command, session)

    @reliable_handler("enterprise", "EnterpriseKeyInfoChanged", read_model=MEMBERSHIP)
    def follow_key_info_change(self, session: Session, envelope: dict[str, Any]) -> None:
        """单位关键信息维护: a replaced legal representative (or a new code) ends sessions."""
        data = envelope["data"]
        command = commands.FollowKeyInfoChange(
            envelope["aggregate_id"],
            data["uscc"],
            data["name"],
            data["legal_rep_id"],
            data["legal_rep_name"],
            data["previous_uscc"],
        )
        self.identity.follow_key_info_change(command, session)

    @reliable_handler("authorization", "ClerkAdded", read_model=MEMBERSHIP)
    def remember_added_clerk(self, session: Session, envelope: dict[str, Any]) -> None:
        """A clerk added to an enterprise may scan in as its 办事员."""
        self.identity.remember_clerk(clerk_command(envelope["data"]), session)

    @reliable_handler("authorization", "ClerkUpdated", read_model=MEMBERSHIP)
    def remember_updated_clerk(self, session: Session, envelope: dict[str, Any]) -> None:
        """A clerk modified: another ID number or name ends the clerk's sessions."""
        self.identity.remember_clerk(clerk_command(envelope["data"]), session)

    @reliable_handler("authorization", "ClerkRemoved", read_model=MEMBERSHIP)
    def forget_removed_clerk(self, session: Session, envelope: dict[str, Any]) -> None:
        """A clerk deleted: no more logins, and the clerk's sessions end."""
        self.identity.forget_clerk(commands.ForgetClerk(envelope["data"]["clerk_id"]), session)

    @timer(interval=RESOLVE_INTERVAL_SECONDS, eager=False)
    def resolve_pending_registrations(self) -> None:
        """Settle registrations left pending (unanswered, or their worker died) with the enterprise."""
        self.identity.resolve_stale(commands.ResolvePendingRegistrations(stale_cutoff(self.config)))


def clerk_command(data: dict[str, Any]) -> commands.RememberClerk:
    """``ClerkAdded`` and ``ClerkUpdated`` carry the same whole state of the clerk."""
    return commands.RememberClerk(
        data["clerk_id"], data["uscc"], data["id_number"], data["name"], data["phone"], data["id_type"]
    )
