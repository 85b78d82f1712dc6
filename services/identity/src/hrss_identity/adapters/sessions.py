"""Sessions and failed-login counts in Redis, shared by every identity replica.

Times come from the caller's clock (seconds), so tests control them; Redis's own expiry only
collects what is dead anyway.

- A session is a hash at ``<prefix>:session:<sha256(token)>``: the token itself is never
  stored, so a copy of Redis opens no session. It ends after ``idle`` seconds without use
  (sliding) and ``absolute`` seconds after it opened, whichever comes first. Each account's
  token hashes are in ``<prefix>:account-sessions:<account id>``, for ending them all.
- Failed logins are a sorted set of failure times per account; ``max_failures`` within
  ``window`` seconds set ``<prefix>:locked:<account>`` to the time the lock ends.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, fields

import redis

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

_SESSION_FIELDS = [f.name for f in fields(Session)]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RedisSessions(Sessions):
    def __init__(self, client: redis.Redis, prefix: str, idle: int, absolute: int) -> None:
        self.client, self.prefix, self.idle, self.absolute = client, prefix, idle, absolute
        self._touch = client.register_script(_TOUCH)

    def _key(self, token: str) -> str:
        return f"{self.prefix}:session:{token_hash(token)}"

    def _account_key(self, account_id: str) -> str:
        return f"{self.prefix}:account-sessions:{account_id}"

    def open(self, session: Session, now: float) -> str:
        token = secrets.token_urlsafe(32)  # 256 random bits
        key = self._key(token)
        values = {k: v for k, v in asdict(session).items() if v is not None}
        values |= {"opened_at": now, "last_used": now, "absolute_until": now + self.absolute}
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=values)
            pipe.expire(key, min(self.idle, self.absolute))
            pipe.sadd(self._account_key(session.account_id), token_hash(token))
            pipe.expire(self._account_key(session.account_id), self.absolute)
            pipe.execute()
        return token

    def get(self, token: str, now: float) -> Session | None:
        reply = self._touch(keys=[self._key(token)], args=[now, self.idle])
        if not reply:
            return None
        values = dict(zip(reply[::2], reply[1::2], strict=True))
        return Session(**{k: values[k] for k in _SESSION_FIELDS if k in values})

    def close(self, token: str) -> Session | None:
        key = self._key(token)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hgetall(key)
            pipe.delete(key)
            values, _ = pipe.execute()
        if not values:
            return None
        session = Session(**{k: values[k] for k in _SESSION_FIELDS if k in values})
        self.client.srem(self._account_key(session.account_id), token_hash(token))
        return session

    def close_all(self, account_id: str) -> int:
        index = self._account_key(account_id)
        hashes = self.client.smembers(index)
        if not hashes:
            return 0
        with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(*(f"{self.prefix}:session:{h}" for h in hashes))
            pipe.srem(index, *hashes)
            ended, _ = pipe.execute()
        return int(ended)


class RedisLoginAttempts(LoginAttempts):
    def __init__(self, client: redis.Redis, prefix: str, max_failures: int, window: int, lock: int) -> None:
        self.client, self.prefix = client, prefix
        self.max_failures, self.window, self.lock = max_failures, window, lock
        self._fail = client.register_script(_FAIL)

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
