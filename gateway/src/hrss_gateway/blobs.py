"""Where attachments' bytes live: one port, a local folder by default, S3 (``blobs_s3``) in
docker-compose. Metadata (who uploaded what, its SHA-256) is recorded elsewhere; a store
knows keys and bytes only.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

CHUNK_BYTES = 64 * 1024
DEFAULT_BLOB_DIR = "var/blobs"
# One flat namespace of plain names: no "/", no leading dot, so a key can never name a path
# outside the store (or one of LocalFolderBlobs' ".incoming-" temp files).
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


class BlobNotFound(KeyError):
    """No blob under this key."""


class InvalidBlobKey(ValueError):
    """A key that is not a plain name (letters, digits, ``.``, ``_``, ``-``; 200 at most)."""


def checked_key(key: str) -> str:
    """``key`` itself, or ``InvalidBlobKey``; every adapter checks the same way."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise InvalidBlobKey(key)
    return key


class BlobStore(ABC):
    """Bytes by key, streamed both ways: nothing here holds a whole blob in memory.

    A ``put`` is all or nothing: a blob is visible under its key only once every chunk was
    written, and a failed ``put`` leaves nothing behind. Keys are plain names
    (``checked_key``); the caller picks them (a fresh UUID per upload), so a key is written once.
    """

    @abstractmethod
    def prepare(self) -> None:
        """Make the store ready to use (create its folder or bucket); idempotent. Called once
        when the gateway starts, so a misconfigured store stops it there, not at an upload."""

    @abstractmethod
    def put(self, key: str, chunks: Iterable[bytes]) -> None:
        """Store the concatenation of ``chunks`` under ``key``, replacing any blob there."""

    @abstractmethod
    def open(self, key: str) -> Iterator[bytes]:
        """The blob's bytes in chunks, in order; ``BlobNotFound`` at once if there is none."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the blob; a key with no blob is no error (a retried delete succeeds)."""

    @abstractmethod
    def exists(self, key: str) -> bool:
        """Whether a blob is stored under ``key``."""


class LocalFolderBlobs(BlobStore):
    """One file per blob in ``root``, mode 0600 in a folder of mode 0700."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def prepare(self) -> None:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)

    def put(self, key: str, chunks: Iterable[bytes]) -> None:
        target = self.root / checked_key(key)
        # mkstemp creates the file with mode 0600 whatever the umask; in the same folder, so
        # os.replace is an atomic rename: a reader sees the whole blob or none.
        descriptor, incoming = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(descriptor, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(incoming, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(incoming)
            raise
        self._sync_folder()

    def open(self, key: str) -> Iterator[bytes]:
        try:
            handle = (self.root / checked_key(key)).open("rb")
        except FileNotFoundError:
            raise BlobNotFound(key) from None
        return _chunks_of(handle)

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.root / checked_key(key))

    def exists(self, key: str) -> bool:
        return (self.root / checked_key(key)).is_file()

    def _sync_folder(self) -> None:
        # The rename is durable only once the folder's entry is: without this a crash right
        # after an upload was acknowledged could lose the blob whose metadata was recorded.
        folder = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _chunks_of(handle: BinaryIO) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK_BYTES):
            yield chunk


def blob_store(config: Mapping[str, Any]) -> BlobStore:
    """The store the gateway's config names: ``BLOB_STORE`` is ``local`` (``BLOB_DIR``) or
    ``s3`` (``S3_BUCKET``, ``S3_ENDPOINT_URL``, ``S3_REGION``, ``S3_ACCESS_KEY_ID``,
    ``S3_SECRET_ACCESS_KEY``; keys left empty fall back to boto3's own chain: ``AWS_*``
    environment variables, an instance role)."""
    kind = str(config.get("BLOB_STORE") or "local").strip().lower()
    if kind == "local":
        return LocalFolderBlobs(config.get("BLOB_DIR") or DEFAULT_BLOB_DIR)
    if kind == "s3":
        # Imported here: boto3 takes a while to import, and a gateway on a local folder never needs it.
        from hrss_gateway.blobs_s3 import S3Blobs

        return S3Blobs.from_config(config)
    raise ValueError(f"BLOB_STORE must be 'local' or 's3', not {kind!r}")
