"""The registry of uploads, asked over RPC: the authorization service keeps every account's
uploaded attachments (the gateway records them there); a case takes a copy of what it needs."""

from __future__ import annotations

from typing import Any

from hrss_business.domain.cases import Material


class AuthorizationUploads:
    def __init__(self, authorization: Any) -> None:
        self.authorization = authorization

    def owned(self, owner: str, attachment_ids: list[str]) -> dict[str, Material]:
        found = self.authorization.attachments(attachment_ids=attachment_ids, owner=owner)
        return {
            a["attachment_id"]: Material(
                "", a["attachment_id"], a["filename"], a["content_type"], a["size"], a["sha256"]
            )
            for a in found["items"]
        }
