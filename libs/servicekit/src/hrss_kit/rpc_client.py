"""RPC clients: ``ServiceRpc`` (nameko dependency) and ``StandaloneRpc`` (plain programs),
both over ``rpc_transport.RpcTransport``."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider, SharedExtension

from hrss_kit.rpc import DEFAULT_TIMEOUT
from hrss_kit.rpc_transport import RpcTransport

__all__ = ["RpcTransport", "ServiceClient", "ServiceRpc", "StandaloneRpc"]


class ServiceClient:
    """``client.method(**kwargs)`` calls ``service.method`` with the worker's call id stack."""

    def __init__(self, transport: RpcTransport, service: str, timeout: float, headers: dict[str, Any]) -> None:
        self._transport, self._service, self._timeout, self._headers = transport, service, timeout, headers

    def __getattr__(self, method: str) -> Any:
        if method.startswith("_"):
            raise AttributeError(method)

        def call(**kwargs: Any) -> Any:
            return self._transport.call(self._service, method, kwargs, self._timeout, self._headers)

        return call


class _SharedTransport(SharedExtension):  # type: ignore[misc]
    """One transport per container, connected when the container starts (so concurrent first
    calls cannot each build one and leave the others' readers running)."""

    def setup(self) -> None:
        self.transport: RpcTransport | None = None

    def start(self) -> None:
        if self.transport is None:
            self.transport = RpcTransport(self.container.config["AMQP_URI"], background=True)

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

    def __init__(self, service: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.service, self.timeout = service, timeout

    def get_dependency(self, worker_ctx: Any) -> ServiceClient:
        headers = {"nameko.call_id_stack": worker_ctx.call_id_stack}
        return ServiceClient(self.transport.get(), self.service, self.timeout, headers)


class StandaloneRpc:
    """RPC from a plain program (hrssctl, tests, benchmarks): ``StandaloneRpc(uri).service(name)``."""

    def __init__(self, amqp_uri: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.transport = RpcTransport(amqp_uri, background=False)
        self.timeout = timeout

    def service(self, name: str, timeout: float | None = None) -> ServiceClient:
        return ServiceClient(self.transport, name, timeout or self.timeout, {})

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> StandaloneRpc:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()
