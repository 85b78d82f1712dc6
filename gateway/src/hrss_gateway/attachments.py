"""The attachments dependency: the gateway's blob store and upload intake, built from config."""

from __future__ import annotations

from typing import Any

from nameko.extensions import DependencyProvider

from hrss_gateway.blobs import blob_store
from hrss_gateway.uploads import DEFAULT_BODY_TIMEOUT, DEFAULT_MAX_BYTES, AttachmentIntake


class Attachments(DependencyProvider):  # type: ignore[misc]
    """``attachments = Attachments()`` on the service; a worker gets an ``AttachmentIntake``:

    - ``self.attachments.receive(request) -> Upload`` stores the request's ``file`` part, or
      raises a ``CatalogueError`` (413, 415, 400) having stored nothing;
    - ``self.attachments.open(key) -> Iterator[bytes]`` streams a stored one back.

    Config: ``BLOB_STORE`` and its keys (``blobs.blob_store``), ``ATTACHMENT_MAX_BYTES``
    (10 MiB), ``ATTACHMENT_SPOOL_DIR`` (where uploads wait while they are checked; the
    system's temporary folder if empty). The store is prepared (folder or bucket created)
    at setup, so a gateway that cannot reach it does not start.
    """

    def setup(self) -> None:
        config = self.container.config
        store = blob_store(config)
        store.prepare()
        self.intake = AttachmentIntake(
            store,
            max_bytes=int(config.get("ATTACHMENT_MAX_BYTES") or DEFAULT_MAX_BYTES),
            spool_dir=config.get("ATTACHMENT_SPOOL_DIR") or None,
            body_timeout=float(config.get("ATTACHMENT_BODY_TIMEOUT") or DEFAULT_BODY_TIMEOUT),
        )

    def get_dependency(self, worker_ctx: Any) -> AttachmentIntake:
        # One intake for every worker: it keeps no state between requests, and the store's
        # client (boto3's) is safe to share.
        return self.intake
