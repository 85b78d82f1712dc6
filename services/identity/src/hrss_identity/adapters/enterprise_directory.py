"""The enterprise service over RPC (with the kit's timeout)."""

from __future__ import annotations

from typing import Any

from hrss_contracts.errors import CatalogueError
from hrss_identity.domain.commands import RegisterEnterprise
from hrss_identity.domain.errors import EnterpriseUnanswered
from hrss_identity.service_layer.ports import EnterpriseDirectory
from hrss_kit.rpc_client import ServiceClient


class RpcEnterpriseDirectory(EnterpriseDirectory):
    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    def register(self, command: RegisterEnterprise) -> dict[str, Any]:
        try:
            result: dict[str, Any] = self.client.register(application=command.application())
        except CatalogueError as exc:
            if exc.status < 500:
                raise  # the enterprise's refusal
            raise EnterpriseUnanswered() from exc  # timeout (RpcTimeout) or unavailable
        except Exception as exc:
            # A lost connection says nothing of whether the enterprise registered it.
            raise EnterpriseUnanswered() from exc
        return result

    def is_registered(self, uscc: str) -> bool:
        try:
            self.client.find_enterprise(uscc=uscc)
        except CatalogueError as exc:
            if exc.code == "ENTERPRISE_NOT_FOUND":
                return False
            raise EnterpriseUnanswered() from exc
        except Exception as exc:
            raise EnterpriseUnanswered() from exc
        return True
