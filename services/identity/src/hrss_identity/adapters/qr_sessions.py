"""QR login sessions in Redis, shared by every identity replica and watched by every gateway.

A session is a hash at ``<prefix>:qr:<qr_id>``. A change is written only if the session's
``version`` is still the one read (one Lua script: compare, write, bump, announce), so of two
racing reports exactly one wins; the script also publishes the session's id on
``qr_changed_channel(prefix)``, where gateways holding a ``wait`` for it are listening. The
hash outlives the session by ``GRACE`` seconds, so a browser still learns how it ended.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import redis

from hrss_contracts.id_documents import RESIDENT_ID
from hrss_contracts.qr_login import qr_changed_channel
from hrss_identity.domain.errors import AssertionReplayed, AssertionsExceeded
from hrss_identity.domain.qr import LIFETIME, Choice, Person, QrSession
from hrss_identity.service_layer.qr_ports import AssertionGuard, QrSessions

GRACE = 60  # seconds a session stays readable after it expired

# KEYS: session; ARGV: expected version, channel, qr_id, field, value, …
_REPLACE = """
local version = redis.call('HGET', KEYS[1], 'version')
if not version or version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
"""


# KEYS: session; ARGV: now, interval. 1 and the poll recorded, or 0 when too soon.
_POLLED = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 1 end
local last = tonumber(redis.call('HGET', KEYS[1], 'last_poll') or '-1')
local now = tonumber(ARGV[1])
if last >= 0 and now - last < tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'last_poll', ARGV[1])
return 1
"""


class RedisQrSessions(QrSessions):
    def __init__(self, client: redis.Redis, prefix: str, lifetime: int = LIFETIME) -> None:
        self.client, self.prefix, self.lifetime = client, prefix, lifetime
        self.channel = qr_changed_channel(prefix)
        self._replace = client.register_script(_REPLACE)
        self._polled = client.register_script(_POLLED)

    def _key(self, qr_id: str) -> str:
        return f"{self.prefix}:qr:{qr_id}"

    def create(self, session: QrSession) -> None:
        key = self._key(session.qr_id)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=_fields(session) | {"version": session.version})
            pipe.expire(key, self.lifetime + GRACE)  # Redis's clock: the session's own times are the caller's
            pipe.execute()

    def get(self, qr_id: str) -> QrSession | None:
        values = self.client.hgetall(self._key(qr_id))
        if not values:
            return None
        person = (
            Person(values["person_id"], values["person_name"], values.get("person_id_type") or RESIDENT_ID)
            if values.get("person_id")
            else None
        )
        choices = tuple(Choice(**c) for c in json.loads(values.get("choices") or "[]"))
        return QrSession(
            qr_id,
            values["role"],
            values["binding_hash"],
            float(values["expires_at"]),
            int(values["version"]),
            values["status"],
            person,
            choices,
            values.get("error") or None,
        )

    def replace(self, old: QrSession, new: QrSession, handed_out: bool = False) -> bool:
        changes = _fields(new) | ({"handed_out": 1} if handed_out else {})
        args: list[Any] = [old.version, self.channel, old.qr_id]
        for name, value in changes.items():
            args += [name, value]
        return bool(self._replace(keys=[self._key(old.qr_id)], args=args))

    def claim_handout(self, qr_id: str) -> bool:
        return bool(self.client.hsetnx(self._key(qr_id), "handed_out", 1))

    def polled(self, qr_id: str, now: float, interval: float) -> bool:
        return bool(self._polled(keys=[self._key(qr_id)], args=[now, interval]))


def _fields(session: QrSession) -> dict[str, Any]:
    return {
        "role": session.role,
        "binding_hash": session.binding_hash,
        "expires_at": session.expires_at,
        "status": session.status,
        "person_id": session.person.id_number if session.person else "",
        "person_name": session.person.name if session.person else "",
        "person_id_type": session.person.id_type if session.person else "",
        "choices": json.dumps([c.__dict__ for c in session.choices], ensure_ascii=False),
        "error": session.error or "",
    }


# KEYS: the session's count, the person's count, the jti; ARGV: the session's allowance, the
# person's, seconds the jti is remembered. "exceeded", "replayed" or "ok", in one step.
_ADMIT = """
local in_session = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], 300, 'NX')
local by_person = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], 60, 'NX')
if in_session > tonumber(ARGV[1]) or by_person > tonumber(ARGV[2]) then return 'exceeded' end
if not redis.call('SET', KEYS[3], 1, 'NX', 'EX', ARGV[3]) then return 'replayed' end
return 'ok'
"""


class RedisAssertionGuard(AssertionGuard):
    """Used ``jti``s until they expire; at most ``per_session`` assertions per QR session and
    ``per_person`` a minute per person (the e-SSC platform posts for every citizen from a few
    servers, so never per address). One script: one round trip per assertion."""

    def __init__(self, client: redis.Redis, prefix: str, per_session: int = 10, per_person: int = 30) -> None:
        self.client, self.prefix, self.per_session, self.per_person = client, prefix, per_session, per_person
        self._admit = client.register_script(_ADMIT)

    def admit(self, qr_id: str, person: str, jti: str, until: float, now: float) -> None:
        """``person``: the document's type and number; only its hash goes into a key, as only the
        ``jti``'s does."""
        keys = [
            f"{self.prefix}:essc-per-qr:{qr_id}",
            f"{self.prefix}:essc-per-person:{hashlib.sha256(person.encode()).hexdigest()}",
            f"{self.prefix}:essc-jti:{hashlib.sha256(jti.encode()).hexdigest()}",
        ]
        answer = self._admit(keys=keys, args=[self.per_session, self.per_person, max(1, int(until - now) + 1)])
        if answer == "exceeded":
            raise AssertionsExceeded()
        if answer == "replayed":
            raise AssertionReplayed()
