"""Intake of one attachment (附件) from a multipart upload: streamed to disk, measured, judged by
its content, then handed to the blob store under a fresh key.

The body is read straight from the server's WSGI input (as ``requests.json_body`` does: under
eventlet werkzeug sees no body in a chunked request) in chunks of 64 KiB, each decoded by
werkzeug's sans-IO multipart decoder, so no more than a chunk or two is ever in memory.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import tempfile
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import filetype
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.sansio.multipart import NEED_DATA, Data, Epilogue, Event, Field, File, MultipartDecoder
from werkzeug.wrappers import Request

from hrss_contracts.errors import CatalogueError
from hrss_gateway.blobs import CHUNK_BYTES, BlobStore
from hrss_gateway.connections import EXTEND_DEADLINE
from hrss_gateway.errors import BodyNotReceived

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Seconds an upload's body may take (10 MB at about 35 KB/s), instead of HTTP_REQUEST_TIMEOUT.
DEFAULT_BODY_TIMEOUT = 300.0
ALLOWED_TYPES = frozenset({"image/png", "image/jpeg", "application/pdf"})
FILE_FIELD = "file"
# filetype never looks past the first 8 KiB.
SNIFF_BYTES = 8192
# Room over the file's limit for what surrounds it in the body: boundaries, part headers,
# small form fields. A Content-Length beyond limit + envelope is refused before reading.
ENVELOPE_BYTES = 64 * 1024
# The decoder's own buffer (a preamble or part headers without their end) and the number of
# parts are bounded, so a body built to fill memory is refused as malformed.
MAX_DECODER_BUFFER = 4 * CHUNK_BYTES
MAX_PARTS = 16


@dataclass(frozen=True)
class Upload:
    """A stored attachment: its blob ``key``, the hex ``sha256`` and ``size`` of its bytes, the
    ``content_type`` found in them, and the ``filename`` the client gave (last path segment;
    for display only, never a key)."""

    key: str
    sha256: str
    size: int
    content_type: str
    filename: str


@dataclass
class _Received:
    filename: str | None = None
    size: int = 0
    sha256: str = ""


class AttachmentIntake:
    """Receives uploads into ``store``: ``receive(request) -> Upload``, ``open(key)`` to read one.

    Refusals are ``CatalogueError``s, and nothing is stored on any of them: the spooled bytes
    live in an unnamed temporary file that goes when it is closed.
    """

    def __init__(
        self,
        store: BlobStore,
        max_bytes: int = DEFAULT_MAX_BYTES,
        spool_dir: str | None = None,
        body_timeout: float = DEFAULT_BODY_TIMEOUT,
    ) -> None:
        self.store, self.max_bytes, self.spool_dir = store, max_bytes, spool_dir or None
        self.body_timeout = body_timeout

    def receive(self, request: Request) -> Upload:
        """The ``file`` part of a ``multipart/form-data`` request, stored.

        ATTACHMENT_TOO_LARGE (413) past ``max_bytes``, as soon as it is known (from the
        Content-Length, or while streaming); ATTACHMENT_REQUIRED (400) without a ``file`` part
        or with an empty one; ATTACHMENT_TYPE_NOT_ALLOWED (415) unless the bytes are a PNG, a
        JPEG or a PDF, whatever the filename or the part's Content-Type claim (neither is
        read: both are the client's word); MALFORMED_UPLOAD (400) for any other body.
        """
        boundary = request.mimetype_params.get("boundary", "")
        # RFC 2046: 1 to 70 printable ASCII characters (an RFC 2231 encoded one is not).
        if request.mimetype != "multipart/form-data" or not re.fullmatch(r"[ -~]{1,70}", boundary):
            raise CatalogueError("MALFORMED_UPLOAD")
        if (request.content_length or 0) > self.max_bytes + ENVELOPE_BYTES:
            raise _too_large(self.max_bytes)
        extend = request.environ.get(EXTEND_DEADLINE)
        if extend is not None:  # a window's slow line still gets its 10 MB through
            extend(self.body_timeout)
        with tempfile.TemporaryFile(dir=self.spool_dir) as spool:
            received = self._spool(request, boundary.encode("latin-1"), spool)
            if received.filename is None or received.size == 0:
                raise CatalogueError("ATTACHMENT_REQUIRED")
            spool.seek(0)
            content_type = filetype.guess_mime(spool.read(SNIFF_BYTES))
            if content_type not in ALLOWED_TYPES:
                raise CatalogueError("ATTACHMENT_TYPE_NOT_ALLOWED")
            spool.seek(0)
            key = str(uuid.uuid4())
            try:
                self.store.put(key, _chunks_of(spool))
            except OSError as exc:  # the store's disk is full or unwritable: not the caller's doing
                raise CatalogueError("SERVICE_UNAVAILABLE") from exc
        return Upload(key, received.sha256, received.size, content_type, received.filename)

    def open(self, key: str) -> Iterator[bytes]:
        """The stored attachment's bytes in chunks (``BlobNotFound`` if there is none)."""
        return self.store.open(key)

    def _spool(self, request: Request, boundary: bytes, spool: IO[bytes]) -> _Received:
        received, digest, in_file = _Received(), hashlib.sha256(), False
        decoder = MultipartDecoder(boundary, MAX_DECODER_BUFFER, max_parts=MAX_PARTS)
        for event in _events(decoder, _body(request, self.max_bytes + ENVELOPE_BYTES)):
            if isinstance(event, File | Field):
                in_file = event.name == FILE_FIELD
                if in_file and received.filename is not None:
                    raise CatalogueError("MALFORMED_UPLOAD")  # one attachment per request
                if in_file:
                    received.filename = _display_name(getattr(event, "filename", ""))
            elif isinstance(event, Data) and in_file:
                received.size += len(event.data)
                if received.size > self.max_bytes:
                    raise _too_large(self.max_bytes)
                digest.update(event.data)
                spool.write(event.data)
            # other fields' data is dropped as it comes: nothing here needs it
        received.sha256 = digest.hexdigest()
        return received


def _events(decoder: MultipartDecoder, body: Iterator[bytes]) -> Iterator[Event]:
    """The decoder's events as the body arrives, up to the closing boundary."""
    try:
        for chunk in itertools.chain(body, [None]):
            decoder.receive_data(chunk)
            while (event := decoder.next_event()) is not NEED_DATA:
                yield event
                if isinstance(event, Epilogue):
                    return
    except (ValueError, RequestEntityTooLarge) as exc:  # a broken body, or one built to fill memory
        raise CatalogueError("MALFORMED_UPLOAD") from exc


def _body(request: Request, limit: int) -> Iterator[bytes]:
    """The body in chunks, and ATTACHMENT_TOO_LARGE past ``limit`` bytes (a small file with
    endless other fields around it)."""
    # Bounded by Content-Length when there is one; a chunked body ends where the server's
    # (de-chunking) input ends.
    stream: Any = request.environ["wsgi.input"]
    remaining, total = request.content_length, 0
    while remaining is None or remaining > 0:
        try:
            chunk = stream.read(CHUNK_BYTES if remaining is None else min(CHUNK_BYTES, remaining))
        except OSError as exc:  # past the request's deadline (connections.py), or the client left
            raise BodyNotReceived() from exc
        if not chunk:
            return
        total += len(chunk)
        if total > limit:
            raise _too_large(limit - ENVELOPE_BYTES)
        if remaining is not None:
            remaining -= len(chunk)
        yield chunk


def _too_large(max_bytes: int) -> CatalogueError:
    megabytes = max_bytes / (1024 * 1024)
    return CatalogueError("ATTACHMENT_TOO_LARGE", params={"megabytes": f"{megabytes:g}"})


def _chunks_of(spool: IO[bytes]) -> Iterator[bytes]:
    while chunk := spool.read(CHUNK_BYTES):
        yield chunk


def _display_name(filename: str) -> str:
    # Some browsers send the whole client-side path; only its last segment means anything here.
    # Control characters (a NUL would not even be stored) are dropped.
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in last if unicodedata.category(c) != "Cc").strip()[:255]
