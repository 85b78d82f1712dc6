"""Sessions as identity and the gateways both know them.

A session is known by the SHA-256 of its token (``token_hash``): identity stores it under that
name, never the token. Identity announces every session it ends before its time (a logout, a
password change, a clerk removed, a legal representative replaced) on one Redis channel, the
ended sessions' hashes as the message; gateways that keep sessions for a moment forget them
as they hear it (``hrss_gateway.session_cache``).
"""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sessions_ended_channel(prefix: str) -> str:
    """The channel identity announces ended sessions on (their hashes, separated by spaces).
    ``prefix``: identity's Redis prefix."""
    return f"{prefix}:sessions-ended"
