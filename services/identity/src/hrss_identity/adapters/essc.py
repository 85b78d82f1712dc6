"""e-SSC assertions: compact JWS signed by the e-SSC platform with Ed25519 (``alg`` EdDSA).

Verified with PyJWT against the configured public key (``ESSC_PUBLIC_KEY_FILE``, PEM), ``alg``
pinned to EdDSA, so ``none`` and an HS256 token keyed with the public key are refused. Times
are checked here against the service's clock (tests move it), with ``SKEW`` seconds of
tolerance; an assertion may live at most ``MAX_LIFETIME`` seconds.

Without a configured key (development), identity uses a key pair in ``ESSC_DEV_KEY_DIR``
(default ``var/essc``, ignored by git), made at its first start; ``hrssctl essc`` signs with
its private half.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hrss_contracts.essc import ACTS, CLAIMS
from hrss_contracts.id_documents import RESIDENT_ID, canonical_document, document_number_error
from hrss_identity.domain.errors import InvalidAssertion
from hrss_identity.service_layer.qr_ports import Assertion, EsscVerifier

log = logging.getLogger(__name__)

ALGORITHM = "EdDSA"
SKEW = 30  # seconds
MAX_LIFETIME = 300  # seconds
PRIVATE_KEY_FILE, PUBLIC_KEY_FILE = "essc-dev-private.pem", "essc-dev-public.pem"


class JwtEsscVerifier(EsscVerifier):
    def __init__(self, public_key: Ed25519PublicKey) -> None:
        self.public_key = public_key

    def verify(self, assertion: str, now: float) -> Assertion:
        try:
            claims = jwt.decode(
                assertion,
                self.public_key,
                algorithms=[ALGORITHM],
                options={"require": list(CLAIMS), "verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.PyJWTError as exc:
            raise InvalidAssertion(str(exc)) from exc
        return _checked(claims, now)


def _checked(claims: dict[str, Any], now: float) -> Assertion:
    iat, exp = claims["iat"], claims["exp"]
    if not all(isinstance(t, int | float) and not isinstance(t, bool) for t in (iat, exp)):
        raise InvalidAssertion("iat and exp must be numbers")
    if iat > now + SKEW:
        raise InvalidAssertion("issued in the future")
    if exp <= now - SKEW:
        raise InvalidAssertion("expired")
    if exp - iat > MAX_LIFETIME:
        raise InvalidAssertion("lives too long")
    qr, sub, name, act, jti = (claims[k] for k in ("qr", "sub", "name", "act", "jti"))
    if not all(isinstance(v, str) for v in (qr, sub, name, act, jti)):
        raise InvalidAssertion("qr, sub, name, act and jti must be strings")
    id_type = claims.get("id_type", RESIDENT_ID)
    if not isinstance(id_type, str) or document_number_error(id_type, sub) is not None:
        raise InvalidAssertion("sub is no number of a known id_type")
    if act not in ACTS or not 0 < len(name) <= 50 or not 0 < len(jti) <= 128:
        raise InvalidAssertion("a claim has no valid value")
    if not 0 < len(qr) <= 64:
        raise InvalidAssertion("qr has no valid value")
    if any(ord(c) < 32 or ord(c) == 127 for c in qr + sub + name + jti):
        raise InvalidAssertion("a claim holds a control character")
    id_type, number = canonical_document(id_type, sub)
    return Assertion(qr, act, number, name.strip(), jti, float(exp) + SKEW, id_type)


def public_key_from_config(config: dict[str, Any]) -> Ed25519PublicKey:
    """``ESSC_PUBLIC_KEY_FILE`` (PEM) in production; else the development key pair, made if missing."""
    configured = str(config.get("ESSC_PUBLIC_KEY_FILE") or "").strip()
    if configured:
        key = serialization.load_pem_public_key(Path(configured).read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError(f"{configured} (ESSC_PUBLIC_KEY_FILE) is not an Ed25519 public key")
        return key
    folder = Path(str(config.get("ESSC_DEV_KEY_DIR") or "var/essc"))
    log.warning("no ESSC_PUBLIC_KEY_FILE configured: trusting the development e-SSC key in %s", folder)
    return dev_private_key(folder).public_key()


def dev_private_key(folder: Path) -> Ed25519PrivateKey:
    """The development key pair in ``folder``, made (once, even by racing replicas) if missing."""
    path = folder / PRIVATE_KEY_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        draft = folder / f".{PRIVATE_KEY_FILE}.{os.getpid()}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            out.write(pem)  # never readable by others, not even for a moment
        with contextlib.suppress(FileExistsError):  # another process made it first: theirs stands
            os.link(draft, path)
        draft.unlink()
        public = load_private_key(path).public_key()
        (folder / PUBLIC_KEY_FILE).write_bytes(
            public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
    return load_private_key(path)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key
