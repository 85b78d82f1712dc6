"""Sessions and failed-login counts in Redis, shared by every identity replica.

Times come from the caller's clock (seconds), so tests control them; Redis's own expiry only
collects what is dead anyway.

- A session is a hash at ``<prefix>:session:<sha256(token)>``: the token itself is never
  stored, so a copy of Redis opens no session. It ends after ``idle`` seconds without use
  (sliding) and ``absolute`` seconds after it opened, whichever comes first. Each account's
  token hashes are in ``<prefix>:account-sessions:<account id>`` (a sorted set scored by when
  each ends at the latest, trimmed at every login), for ending them all.
- Failed logins are a sorted set of failure times per account; ``max_failures`` within
  ``window`` seconds set ``<prefix>:locked:<account>`` to the time the lock ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import asdict, fields

import redis

from hrss_contracts.sessions import sessions_ended_channel, token_hash
from hrss_identity.domain.model import Session
from hrss_identity.service_layer.ports import LoginAttempts, Sessions

# KEYS: session; ARGV: now, idle seconds. The session's fields, its last use moved to now,
# or nothing when it is unknown or past either limit (then it is deleted).
_TOUCH = """
local last, absolute = unpack(redis.call('HMGET', KEYS[1], 'last_used', 'absolute_until'))
if not last then return nil end
local now, idle = tonumber(ARGV[1]), tonumber(ARGV[2])
if now >= tonumber(absolute) or now >= tonumber(last) + idle then
  redis.call('DEL', KEYS[1])
  return nil
end
redis.call('HSET', KEYS[1], 'last_used', ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil(math.min(idle, tonumber(absolute) - now) * 1000))
return redis.call('HGETALL', KEYS[1])
"""

# KEYS: failures, lock; ARGV: now, window, max failures, lock seconds, a unique member.
_FAIL = """
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('EXPIRE', KEYS[1], math.ceil(window))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local lock = tonumber(ARGV[4])
  redis.call('SET', KEYS[2], now + lock, 'EX', math.ceil(lock))
  redis.call('DEL', KEYS[1])
  return lock
end
return 0
"""

# KEYS: a key; ARGV: the token that took it. Delete only if still ours (it may have expired).
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
CHECKING_MS = 10_000

# KEYS: the account's index; ARGV: the session key prefix, the hash of a session to keep ("":
# none), the channel of ended sessions. Ends every other session in the index, and announces them.
_CLOSE_ALL = """
local hashes = redis.call('ZRANGE', KEYS[1], 0, -1)
local ended, gone = 0, {}
for _, h in ipairs(hashes) do
  if h ~= ARGV[2] then
    ended = ended + redis.call('DEL', ARGV[1] .. h)
    redis.call('ZREM', KEYS[1], h)
    gone[#gone + 1] = h
  end
end
if #gone > 0 then redis.call('PUBLISH', ARGV[3], table.concat(gone, ' ')) end
return ended
"""

_SESSION_FIELDS = [f.name for f in fields(Session)]


class RedisSessions(Sessions):
    def __init__(self, client: redis.Redis, prefix: str, idle: int, absolute: int) -> None:
        self.client, self.prefix, self.idle, self.absolute = client, prefix, idle, absolute
        self.ended_channel = sessions_ended_channel(prefix)
        self._touch = client.register_script(_TOUCH)
        self._close_all = client.register_script(_CLOSE_ALL)

    def _key(self, token: str) -> str:
        return f"{self.prefix}:session:{token_hash(token)}"

    def _account_key(self, account_id: str) -> str:
        return f"{self.prefix}:account-sessions:{account_id}"

    def open(self, session: Session, now: float) -> str:
        token = secrets.token_urlsafe(32)  # 256 random bits
        key = self._key(token)
        values = {k: v for k, v in asdict(session).items() if v is not None}
        values |= {"opened_at": now, "last_used": now, "absolute_until": now + self.absolute}
        index = self._account_key(session.account_id)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=values)
            pipe.expire(key, min(self.idle, self.absolute))
            # The index is scored by when each session ends at the latest; ended ones go.
            pipe.zremrangebyscore(index, "-inf", now)
            pipe.zadd(index, {token_hash(token): now + self.absolute})
            pipe.expire(index, self.absolute)
            pipe.execute()
        return token

    def get(self, token: str, now: float) -> Session | None:
        reply = self._touch(keys=[self._key(token)], args=[now, self.idle])
        if not reply:
            return None
        values = dict(zip(reply[::2], reply[1::2], strict=True))
        found = {k: values[k] for k in _SESSION_FIELDS if k in values}
        if "opened_at" in found:
            found["opened_at"] = float(found["opened_at"])
        return Session(**found)

    def close(self, token: str) -> Session | None:
        key = self._key(token)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hgetall(key)
            pipe.delete(key)
            pipe.publish(self.ended_channel, token_hash(token))
            values, _, _ = pipe.execute()
        if not values:
            return None
        session = Session(**{k: values[k] for k in _SESSION_FIELDS if k in values})
        self.client.zrem(self._account_key(session.account_id), token_hash(token))
        return session

    def close_all(self, account_id: str, keep: str | None = None) -> int:
        # One script: a session opened meanwhile is either in the index (and ended) or opened after.
        kept = token_hash(keep) if keep else ""
        args = [f"{self.prefix}:session:", kept, self.ended_channel]
        return int(self._close_all(keys=[self._account_key(account_id)], args=args))


class RedisLoginAttempts(LoginAttempts):
    def __init__(self, client: redis.Redis, prefix: str, max_failures: int, window: int, lock: int) -> None:
        self.client, self.prefix = client, prefix
        self.max_failures, self.window, self.lock = max_failures, window, lock
        self._fail = client.register_script(_FAIL)
        self._release = client.register_script(_RELEASE)

    @contextlib.contextmanager
    def one_at_a_time(self, login_name: str) -> Iterator[bool]:
        name = hashlib.sha256(login_name.encode()).hexdigest()
        key, token = f"{self.prefix}:login-checking:{name}", secrets.token_hex(16)
        # Longer than any check takes (argon2 in tpool, a database round trip): a worker that
        # died holding it only delays the account's next attempt this long.
        mine = bool(self.client.set(key, token, nx=True, px=CHECKING_MS))
        try:
            yield mine
        finally:
            if mine:
                self._release(keys=[key], args=[token])

    def _keys(self, login_name: str) -> list[str]:
        name = hashlib.sha256(login_name.encode()).hexdigest()  # typed text, maybe an ID number: not a key
        return [f"{self.prefix}:login-failures:{name}", f"{self.prefix}:locked:{name}"]

    def locked_for(self, login_name: str, now: float) -> int:
        until = self.client.get(self._keys(login_name)[1])
        if until is None or float(until) <= now:
            return 0
        return max(1, int(-(-(float(until) - now) // 1)))

    def failed(self, login_name: str, now: float) -> int:
        member = f"{now}:{secrets.token_hex(4)}"
        return int(
            self._fail(keys=self._keys(login_name), args=[now, self.window, self.max_failures, self.lock, member])
        )

    def succeeded(self, login_name: str) -> None:
        self.client.delete(self._keys(login_name)[0])
