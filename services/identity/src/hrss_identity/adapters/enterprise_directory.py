"""The enterprise service over RPC (with the kit's timeout)."""

from __future__ import annotations

from typing import Any

from hrss_identity.domain.errors import EnterpriseUnanswered
from hrss_identity.service_layer.ports import EnterpriseDirectory
from hrss_kit.rpc import RpcTimeout
from hrss_kit.rpc_client import ServiceClient


class RpcEnterpriseDirectory(EnterpriseDirectory):
    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    def register(self, application: dict[str, Any]) -> dict[str, Any]:
        try:
            result: dict[str, Any] = self.client.register(application=application)
        except RpcTimeout as exc:
            raise EnterpriseUnanswered() from exc
        return result
