"""What an e-SSC assertion says (DESIGN flow 3): the claims the e-SSC platform signs when a
person scans, confirms or cancels a QR login, and how a QR code's content names its session.

Identity verifies them (``hrss_identity.adapters.essc``); the development e-SSC (``hrssctl
essc`` and the gateway's simulator page in development mode) makes them.
"""

from __future__ import annotations

import urllib.parse
import uuid
from typing import Any

from hrss_contracts.id_documents import RESIDENT_ID

ACTS = ("scan", "confirm", "cancel")
CLAIMS = ("qr", "sub", "name", "act", "iat", "exp", "jti")  # required; "id_type" (证件类型 of sub) is
# optional: without it, sub is a 居民身份证 number
LIFETIME = 60  # seconds an assertion of the development e-SSC is valid


def qr_id_of(content: str) -> str:
    """The session id in a QR code's content (``…?qr=<id>``), or the content itself."""
    query = urllib.parse.urlparse(content).query
    return urllib.parse.parse_qs(query).get("qr", [content])[0]


def assertion_claims(
    act: str, qr_content: str, id_number: str, name: str, now: int, id_type: str = RESIDENT_ID
) -> dict[str, Any]:
    """The claims of one act of one person (known by the document ``id_type``, ``id_number``) on
    the QR session whose code holds ``qr_content``."""
    return {
        "qr": qr_id_of(qr_content),
        "sub": id_number,
        "id_type": id_type,
        "name": name,
        "act": act,
        "iat": now,
        "exp": now + LIFETIME,
        "jti": str(uuid.uuid4()),
    }
