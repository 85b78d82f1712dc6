"""RPC clients: ``ServiceRpc`` (nameko dependency) and ``StandaloneRpc`` (plain programs),
both over ``rpc_transport.RpcTransport``."""

from __future__ import annotations

import uuid
from typing import Any

from nameko.extensions import DependencyProvider, SharedExtension

from hrss_kit.idempotency import CONTEXT_KEY, IDEMPOTENCY_HEADER
from hrss_kit.liveness import Liveness
from hrss_kit.rpc_errors import RpcTimeout
from hrss_kit.rpc_transport import DEFAULT_TIMEOUT, RpcTransport

__all__ = ["RpcTransport", "ServiceClient", "ServiceRpc", "StandaloneRpc"]


class ServiceClient:
    """``client.method(**kwargs)`` calls ``service.method`` with the worker's call id stack.

    Each call carries an idempotency key: ``<base>><service>.<method>#<n>`` for the n-th call
    of that method, where ``base`` is the key of the request being handled (so a redelivered
    request repeats the very same keys) or, at the edge, the worker's own call id.
    """

    def __init__(
        self,
        transport: RpcTransport,
        service: str,
        timeout: float,
        headers: dict[str, Any],
        key_base: str,
        liveness: Liveness | None = None,
        calls: dict[str, int] | None = None,
    ) -> None:
        self._transport, self._service, self._timeout, self._headers = transport, service, timeout, headers
        self._key_base, self._liveness = key_base, liveness
        # Counted per worker (shared by all its clients): two clients of one service in one
        # worker must not send the same key for two different calls.
        self._calls = calls if calls is not None else {}

    def __getattr__(self, method: str) -> Any:
        if method.startswith("_"):
            raise AttributeError(method)

        def call(**kwargs: Any) -> Any:
            if self._liveness is not None and self._liveness.is_down(self._service, self._transport):
                raise RpcTimeout(self._service, method)
            target = f"{self._service}.{method}"
            n = self._calls[target] = self._calls.get(target, 0) + 1
            key = f"{self._key_base}>{target}#{n}"
            headers = {**self._headers, IDEMPOTENCY_HEADER: key}
            return self._transport.call(self._service, method, kwargs, self._timeout, headers)

        return call


class _SharedTransport(SharedExtension):  # type: ignore[misc]
    """One transport per container, connected when the container starts (so concurrent first
    calls cannot each build one and leave the others' readers running)."""

    def setup(self) -> None:
        self.transport: RpcTransport | None = None

    def start(self) -> None:
        if self.transport is None:
            self.transport = RpcTransport.for_container(self.container.config)

    def get(self) -> RpcTransport:
        if self.transport is None:  # a worker of a container that is not started (tests)
            self.start()
        assert self.transport is not None
        return self.transport

    def stop(self) -> None:
        if self.transport is not None:
            self.transport.close()
            self.transport = None

    kill = stop


class ServiceRpc(DependencyProvider):  # type: ignore[misc]
    """nameko dependency: ``ServiceRpc("enterprise", timeout=5)`` → ``self.enterprise.verify(...)``.

    Every call has a timeout; past it, or when no such service runs, ``RpcTimeout`` (503).
    """

    transport = _SharedTransport()
    liveness = Liveness()

    def __init__(self, service: str, timeout: float = DEFAULT_TIMEOUT, fail_fast: bool = False) -> None:
        """``fail_fast``: calls fail at once while the service does not answer its pings
        (``hrss_kit.liveness``), instead of each waiting out ``timeout``."""
        self.service, self.timeout, self.fail_fast = service, timeout, fail_fast

    def setup(self) -> None:
        if self.fail_fast:
            self.liveness.watch(self.service)

    def get_dependency(self, worker_ctx: Any) -> ServiceClient:
        headers = {"nameko.call_id_stack": worker_ctx.call_id_stack}
        key_base = worker_ctx.data.get(CONTEXT_KEY) or worker_ctx.call_id
        liveness = self.liveness if self.fail_fast else None
        calls = worker_ctx.__dict__.setdefault("hrss_rpc_calls", {})
        return ServiceClient(self.transport.get(), self.service, self.timeout, headers, key_base, liveness, calls)


class StandaloneRpc:
    """RPC from a plain program (hrssctl, tests, benchmarks): ``StandaloneRpc(uri).service(name)``."""

    def __init__(self, amqp_uri: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.transport = RpcTransport(amqp_uri, background=False)
        self.timeout = timeout

    def service(self, name: str, timeout: float | None = None) -> ServiceClient:
        return ServiceClient(self.transport, name, timeout or self.timeout, {}, uuid.uuid4().hex)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> StandaloneRpc:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()
