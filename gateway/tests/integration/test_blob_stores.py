"""The blob stores on real storage: a folder in tmp_path, and S3Blobs against an S3 API server
(moto in server mode, in a process of its own on a free port, so its memory is not ours)."""

import hashlib
import os
import socket
import stat
import subprocess
import sys
import time
import tracemalloc
import uuid

import pytest
from boto3.s3.transfer import TransferConfig

from hrss_gateway import blobs_s3
from hrss_gateway.attachments import Attachments
from hrss_gateway.blobs import BlobNotFound, InvalidBlobKey, LocalFolderBlobs, blob_store
from hrss_gateway.blobs_s3 import S3Blobs
from hrss_gateway.uploads import AttachmentIntake

pytestmark = pytest.mark.integration

MiB = 1024 * 1024
TRAVERSALS = ["../escaped", "/etc/passwd", "a/b", "..", ".hidden", "", "x" * 201, "名字"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def blocks(size, block=64 * 1024):
    """``size`` random bytes in blocks, made as they are consumed."""
    sent = 0
    while sent < size:
        piece = os.urandom(min(block, size - sent))
        sent += len(piece)
        yield piece


def recorded(chunks, digest):
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


class Container:
    """What a dependency provider sees of its nameko container: the config."""

    def __init__(self, config):
        self.config = config


def a_key():
    return str(uuid.uuid4())


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the S3 API server (moto) did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_store(s3_endpoint):
    store = S3Blobs(
        f"hrss-test-{uuid.uuid4().hex[:16]}",
        endpoint_url=s3_endpoint,
        region="eu-central-1",
        access_key_id="testing",
        secret_access_key="testing",
    )
    store.prepare()
    return store


# LocalFolderBlobs


def test_a_local_blob_round_trips_in_a_private_file(tmp_path):
    store = LocalFolderBlobs(tmp_path / "blobs")
    store.prepare()
    key, content = a_key(), os.urandom(3 * MiB + 17)

    store.put(key, [content[:MiB], content[MiB:]])

    assert store.exists(key)
    assert b"".join(store.open(key)) == content
    assert stat.S_IMODE(os.stat(tmp_path / "blobs" / key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "blobs").st_mode) == 0o700
    store.delete(key)
    store.delete(key)  # a second delete is no error
    assert not store.exists(key)
    with pytest.raises(BlobNotFound):
        store.open(key)


@pytest.mark.parametrize("key", TRAVERSALS)
def test_a_local_store_refuses_keys_that_are_not_plain_names(tmp_path, key):
    store = LocalFolderBlobs(tmp_path / "blobs")
    store.prepare()

    for use in (lambda: store.put(key, [b"x"]), lambda: store.open(key), lambda: store.exists(key)):
        with pytest.raises(InvalidBlobKey):
            use()
    assert os.listdir(tmp_path / "blobs") == []
    assert sorted(os.listdir(tmp_path)) == ["blobs"]


def test_a_local_put_that_fails_midway_leaves_nothing(tmp_path):
    store = LocalFolderBlobs(tmp_path)
    store.prepare()
    key = a_key()

    def chunks():
        yield b"first half"
        raise ConnectionResetError("the source went away")

    with pytest.raises(ConnectionResetError):
        store.put(key, chunks())

    assert not store.exists(key)
    assert os.listdir(tmp_path) == []


def test_the_store_is_chosen_by_config(tmp_path):
    assert isinstance(blob_store({"BLOB_STORE": None, "BLOB_DIR": str(tmp_path)}), LocalFolderBlobs)
    assert isinstance(blob_store({"BLOB_STORE": "s3", "S3_BUCKET": "any"}), S3Blobs)
    with pytest.raises(ValueError):
        blob_store({"BLOB_STORE": "ftp"})


def test_the_attachments_dependency_gives_workers_an_intake_on_the_configured_store(tmp_path):
    folder = tmp_path / f"blobs-{uuid.uuid4().hex[:8]}"
    container = Container({"BLOB_STORE": "local", "BLOB_DIR": str(folder), "ATTACHMENT_MAX_BYTES": 1234})
    provider = Attachments().bind(container, "attachments")

    provider.setup()
    intake = provider.get_dependency(worker_ctx=None)

    assert isinstance(intake, AttachmentIntake) and intake.max_bytes == 1234
    assert isinstance(intake.store, LocalFolderBlobs) and folder.is_dir()


# S3Blobs


def test_a_multi_megabyte_blob_round_trips_through_s3(s3_store):
    key, sent = a_key(), hashlib.sha256()

    s3_store.put(key, recorded(blocks(12 * MiB), sent))

    assert s3_store.exists(key)
    got = hashlib.sha256()
    for chunk in s3_store.open(key):
        got.update(chunk)
    assert got.hexdigest() == sent.hexdigest()


def test_a_blob_past_the_multipart_threshold_goes_in_parts_and_round_trips(s3_store, monkeypatch):
    monkeypatch.setattr(
        blobs_s3,
        "TRANSFER",
        TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB, use_threads=False),
    )
    key, sent = a_key(), hashlib.sha256()

    s3_store.put(key, recorded(blocks(11 * MiB), sent))

    assert hashlib.sha256(b"".join(s3_store.open(key))).hexdigest() == sent.hexdigest()
    parts = s3_store.client.head_object(Bucket=s3_store.bucket, Key=key, PartNumber=1)
    assert parts["PartsCount"] == 3


def test_an_s3_put_does_not_hold_the_blob_in_memory(s3_store):
    key, size = a_key(), 12 * MiB
    s3_store.put(a_key(), [b"warm up: boto3 loads its models on first use"])

    tracemalloc.start()
    try:
        s3_store.put(key, blocks(size))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert s3_store.client.head_object(Bucket=s3_store.bucket, Key=key)["ContentLength"] == size
    assert peak < 4 * MiB, peak


def test_deleting_an_s3_blob_removes_it_and_a_second_delete_is_no_error(s3_store):
    key = a_key()
    s3_store.put(key, [os.urandom(1024)])

    s3_store.delete(key)
    s3_store.delete(key)

    assert not s3_store.exists(key)
    with pytest.raises(BlobNotFound):
        s3_store.open(key)


def test_preparing_the_bucket_again_keeps_what_it_holds(s3_store):
    key, content = a_key(), os.urandom(2048)
    s3_store.put(key, [content])

    s3_store.prepare()
    s3_store.prepare()

    assert b"".join(s3_store.open(key)) == content


def test_an_s3_store_refuses_keys_that_are_not_plain_names(s3_store):
    for key in TRAVERSALS:
        with pytest.raises(InvalidBlobKey):
            s3_store.put(key, [b"x"])
    assert s3_store.client.list_objects_v2(Bucket=s3_store.bucket)["KeyCount"] == 0
