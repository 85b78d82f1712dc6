"""The limits as nameko extensions: one ``Limits`` per gateway container (``RateLimiter``), and
the dependencies that hand each worker the check it needs."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider, SharedExtension

from hrss_gateway.limits import REDIS_TIMEOUT, Limits, LimitSettings
from hrss_kit.redis import REDIS_URL_KEY
from hrss_kit.redis import client as redis_client


class RateLimiter(SharedExtension):  # type: ignore[misc]
    """One ``Limits`` per gateway container, on a Redis client of its own (``REDIS_URL``) with
    short timeouts. Not ``hrss_kit.redis.Redis``: the per-address check runs before a request
    gets a worker (so a flood costs none), where no dependency can be injected."""

    def setup(self) -> None:
        config = self.container.config
        self.client = redis_client(config[REDIS_URL_KEY], timeout=REDIS_TIMEOUT)
        self.limits = Limits(self.client, LimitSettings.from_config(config))

    def stop(self) -> None:
        self.client.close()

    kill = stop


class RegistrationAttempts(DependencyProvider):  # type: ignore[misc]
    """``with self.attempts(uscc): …``: the per-USCC limit around one registration."""

    limiter = RateLimiter()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.limiter.limits.registration_attempt


class LoginAttempts(DependencyProvider):  # type: ignore[misc]
    """``self.login_attempts(environ, account)``: the per-address and per-account login limits."""

    limiter = RateLimiter()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.limiter.limits.check_login


class QrSessionOpenings(DependencyProvider):  # type: ignore[misc]
    """``self.qr_openings(environ)``: the per-address limit on opening QR sessions."""

    limiter = RateLimiter()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.limiter.limits.check_qr_session


class UploadAttempts(DependencyProvider):  # type: ignore[misc]
    """``with self.upload_attempts(account_id): …``: the per-account limit around one upload."""

    limiter = RateLimiter()

    def get_dependency(self, worker_ctx: Any) -> Any:
        return self.limiter.limits.upload_attempt
