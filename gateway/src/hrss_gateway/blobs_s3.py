"""The blob store on S3 or an S3-compatible server (MinIO in docker-compose), through boto3."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from hrss_gateway.blobs import CHUNK_BYTES, BlobNotFound, BlobStore, checked_key

DEFAULT_BUCKET = "hrss-attachments"
# A put is spooled to a temporary file (the first MiB in memory), since boto3 uploads from a
# seekable file. Up to MULTIPART_THRESHOLD it goes as one PUT that boto3 streams from the
# file; beyond, in parts that boto3 reads into memory one at a time, without threads (the
# gateway runs under eventlet), so an upload never holds more than one part.
SPOOL_IN_MEMORY = 1024 * 1024
MULTIPART_THRESHOLD = 64 * 1024 * 1024
TRANSFER = TransferConfig(
    multipart_threshold=MULTIPART_THRESHOLD, multipart_chunksize=8 * 1024 * 1024, use_threads=False
)
_MISSING = {"404", "NoSuchKey", "NoSuchBucket", "NotFound"}


def _missing(error: ClientError) -> bool:
    return str(error.response.get("Error", {}).get("Code")) in _MISSING


class S3Blobs(BlobStore):
    """One object per blob in ``bucket``; the bucket is created at ``prepare`` if absent."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        self.bucket = bucket
        self.region = region or "us-east-1"
        # An S3-compatible server on a host name of its own has no per-bucket host names,
        # so its buckets are addressed by path.
        addressing = "path" if endpoint_url else "auto"
        self.client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=self.region,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            # Bounded waits: an S3 that does not answer holds a worker seconds, not minutes.
            config=Config(
                s3={"addressing_style": addressing},
                retries={"mode": "standard", "max_attempts": 2},
                connect_timeout=5,
                read_timeout=30,
            ),
        )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> S3Blobs:
        """From the gateway's ``S3_*`` keys (``blobs.blob_store``)."""
        return cls(
            str(config.get("S3_BUCKET") or DEFAULT_BUCKET),
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region=config.get("S3_REGION") or None,
            access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
        )

    def prepare(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return
        except ClientError as error:
            if not _missing(error):  # e.g. 403: the name is taken by someone else
                raise
        # us-east-1 is the one region that refuses to be named as a location constraint.
        where = {} if self.region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": self.region}}
        # Another replica may have created it meanwhile.
        with contextlib.suppress(self.client.exceptions.BucketAlreadyOwnedByYou):
            self.client.create_bucket(Bucket=self.bucket, **where)

    def put(self, key: str, chunks: Iterable[bytes]) -> None:
        checked_key(key)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            for chunk in chunks:
                spool.write(chunk)
            spool.seek(0)
            # One PUT is atomic; a multipart upload that fails is aborted by boto3: either
            # way no partial object is ever visible under the key.
            self.client.upload_fileobj(spool, self.bucket, key, Config=TRANSFER)

    def open(self, key: str) -> Iterator[bytes]:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=checked_key(key))
        except ClientError as error:
            if _missing(error):
                raise BlobNotFound(key) from None
            raise
        return _chunks_of(response["Body"])

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=checked_key(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=checked_key(key))
        except ClientError as error:
            if _missing(error):
                return False
            raise
        return True


def _chunks_of(body: Any) -> Iterator[bytes]:
    with contextlib.closing(body):
        yield from body.iter_chunks(CHUNK_BYTES)
