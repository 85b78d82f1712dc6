"""Attachments (附件) for any signed-in user, and the agency window's authorization (manual
3.1.2, 公共服务单位用户授权) over the authorization service. The acting account comes from
the session, never from the request."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from werkzeug.wrappers import Request, Response

from hrss_contracts.authorization import WindowAuthorizationSchema
from hrss_contracts.errors import CatalogueError
from hrss_contracts.id_documents import ID_TYPES, MAX_DOCUMENT_LENGTH, RESIDENT_ID, normalise_document_number
from hrss_gateway.attachments import Attachments
from hrss_gateway.blobs import BlobNotFound
from hrss_gateway.clerks import AGENCY, actor
from hrss_gateway.http import api
from hrss_gateway.limit_providers import UploadAttempts
from hrss_gateway.requests import load

log = logging.getLogger(__name__)
WINDOW = WindowAuthorizationSchema()
UPLOADERS = ("agency", "legal", "clerk")


class WindowRoutes:
    """Mixed into ``GatewayService``; ``self.identity`` and ``self.authorization`` come from there."""

    attachments = Attachments()
    upload_attempts = UploadAttempts()

    # Agency staff upload the window's materials, legal representatives and clerks a case's.
    @api("POST", "/api/v1/attachments", roles=UPLOADERS, streams_body=True)
    def upload(self, request: Request, session: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """上传材料: ``multipart/form-data`` with one ``file`` part: a PNG, JPEG or PDF (judged by
        its bytes, not its name or declared type), at most 10 MB (``ATTACHMENT_MAX_BYTES``) →
        201 ``{"attachment_id", "sha256", "size", "content_type", "filename"}``. Only the
        uploading account may use it (a case's material stays with the case: whoever may see
        the case may view it, and a resubmission may keep it). 413 ATTACHMENT_TOO_LARGE, 415
        ATTACHMENT_TYPE_NOT_ALLOWED, 400 ATTACHMENT_REQUIRED, 429 UPLOAD_LIMIT_EXCEEDED (``RATE_LIMIT_UPLOADS`` an
        account a day); nothing is kept of a refused upload."""
        with self.upload_attempts(session["account_id"]) as kept:
            upload = self.attachments.receive(request)
            record = {
                "attachment_id": upload.key,
                "owner": session["account_id"],
                "sha256": upload.sha256,
                "size": upload.size,
                "content_type": upload.content_type,
                "filename": upload.filename[:255],
            }
            try:
                answer = self.authorization.record_attachment(attachment=record)  # type: ignore[attr-defined]
            except CatalogueError as refused:
                # Refused, so nobody could ever use it: the bytes go too. Unanswered (503), it may
                # still be recorded late: the bytes stay (a row without its bytes would be worse),
                # and so does its place in the account's count.
                if refused.code == "SERVICE_UNAVAILABLE":
                    kept()
                else:
                    with contextlib.suppress(Exception):
                        self.attachments.store.delete(upload.key)
                raise
            kept()
            return 201, answer

    @api("GET", "/api/v1/attachments/<attachment_id>", roles=UPLOADERS)
    def download(self, request: Request, session: dict[str, Any], attachment_id: str) -> Response:
        """预览: the attachment's bytes with the type found in them, for the account that uploaded
        it; 404 NOT_FOUND for anyone else (whether it exists is not told)."""
        found = self.authorization.attachment(  # type: ignore[attr-defined]
            attachment_id=attachment_id, owner=session["account_id"]
        )
        if found is None:
            raise CatalogueError("NOT_FOUND")
        try:
            chunks = self.attachments.open(attachment_id)
        except BlobNotFound:
            raise CatalogueError("NOT_FOUND") from None
        return attachment_response(chunks, found)

    @api("GET", "/api/v1/agency/enterprises/<uscc>/relations", roles=AGENCY)
    def relations_for_clerk(self, request: Request, session: dict[str, Any], uscc: str) -> dict[str, Any]:
        """授权单位列表: ``?clerk_id_number=…&clerk_id_type=…`` (证件类型, default resident_id) →
        ``{"items": [{relation_id, unit_no, insurance, agency, granted}]}``, ``granted`` where the
        clerk known by that document holds the relation (shown yellow)."""
        id_number = normalise_document_number(request.args.get("clerk_id_number", "")) or None
        id_type = request.args.get("clerk_id_type", RESIDENT_ID)
        if id_type not in ID_TYPES:
            raise CatalogueError("VALIDATION_FAILED", fields={"clerk_id_type": ["证件类型不正确"]})
        if id_number is not None and len(id_number) > MAX_DOCUMENT_LENGTH:
            raise CatalogueError("VALIDATION_FAILED", fields={"clerk_id_number": ["证件号码格式不正确"]})
        return self.authorization.relations_for_clerk(  # type: ignore[attr-defined,no-any-return]
            uscc=uscc.upper(), id_number=id_number, id_type=id_type
        )

    @api("POST", "/api/v1/agency/authorizations", roles=AGENCY)
    def submit_window_authorization(self, request: Request, session: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """提交办理: ``{"uscc", "attachment_ids": [...], "clerks": [{id_type, id_number, name,
        phone}], "grants": [{id_type, id_number, relation_ids}]}`` → 201 ``{"submission_id", "clerks": [...]}``.
        422 PUBLIC_SERVICE_REGISTRATION_MISSING (manual 5.3, both numbers masked) for an
        enterprise the sources know that never registered; 422 ATTACHMENT_NOT_FOUND for an
        attachment this account did not upload."""
        body = load(request, WINDOW)
        answer = self.authorization.submit_window_authorization(  # type: ignore[attr-defined]
            request=body, actor=actor(session), owner=session["account_id"]
        )
        return 201, answer


def attachment_response(chunks: Any, found: dict[str, Any]) -> Response:
    """An attachment's bytes (``chunks``, streamed) as the type found in them at the upload."""
    return Response(
        chunks,
        content_type=found["content_type"],
        headers={
            "Content-Length": str(found["size"]),
            "Content-Disposition": "inline",
            # a PDF shown from the API's origin runs no script of its own there
            "Content-Security-Policy": "sandbox",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
        direct_passthrough=True,
    )
