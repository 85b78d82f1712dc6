"""Receiving an attachment: judged by its bytes, measured while it streams, stored only when
accepted. The store is a fake subclassing the port; the upload spools to a temporary folder."""

import hashlib
import io
import os
import struct
import tracemalloc
import uuid
import zlib

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import EnvironBuilder, encode_multipart
from werkzeug.wrappers import Request

from hrss_contracts.errors import CatalogueError
from hrss_gateway.blobs import BlobStore
from hrss_gateway.uploads import AttachmentIntake

pytestmark = pytest.mark.unit

MiB = 1024 * 1024


class InMemoryBlobs(BlobStore):
    def __init__(self):
        self.blobs = {}

    def prepare(self):
        pass

    def put(self, key, chunks):
        self.blobs[key] = b"".join(chunks)

    def open(self, key):
        return iter([self.blobs[key]])

    def delete(self, key):
        self.blobs.pop(key, None)

    def exists(self, key):
        return key in self.blobs


class DigestOnlyBlobs(InMemoryBlobs):
    """Keeps each blob's SHA-256 and size only, so a test can measure the intake's memory."""

    def put(self, key, chunks):
        digest, size = hashlib.sha256(), 0
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
        self.blobs[key] = (digest.hexdigest(), size)


def a_png(extra=64):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    image = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" + os.urandom(3))) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + image + os.urandom(extra)


def a_jpeg(extra=64):
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + os.urandom(extra) + b"\xff\xd9"


def a_pdf(extra=64):
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + os.urandom(extra).hex().encode() + b"\n%%EOF\n"


def some_text():
    return f"not an image {uuid.uuid4()}\n".encode()


def upload_request(content, filename="scan.png", declared="image/png", field="file", **fields):
    # A boundary of our own: werkzeug's default (time and a random float) is at times longer
    # than the 70 characters RFC 2046 allows, which the intake refuses.
    data = {field: FileStorage(io.BytesIO(content), filename, content_type=declared), **fields}
    boundary, body = encode_multipart(data, boundary="test-boundary-5b1e")
    environ = EnvironBuilder(
        method="POST",
        input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
        content_length=len(body),
    ).get_environ()
    return Request(environ)


class LazyMultipart(io.RawIOBase):
    """A multipart body with one ``file`` part of ``size`` bytes (a PNG's signature, then
    random blocks), made as it is read; ``position`` is how far the reader got."""

    BOUNDARY = "lazy-boundary-7f3a"

    def __init__(self, size, block=os.urandom(64 * 1024)):
        self.size, self.block, self.position = size, a_png(0)[:8] + block, 0
        head = f'--{self.BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n\r\n'
        self.head, self.tail = head.encode(), f"\r\n--{self.BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + size + len(self.tail)

    def content(self):
        """The file's bytes in blocks (for the test's own digest)."""
        sent = 0
        while sent < self.size:
            piece = self.block[: self.size - sent]
            sent += len(piece)
            yield piece

    def readable(self):
        return True

    def readinto(self, buffer):
        end = min(self.position + len(buffer), self.length)
        data = b"".join(self._between(self.position, end))
        buffer[: len(data)] = data
        self.position = end
        return len(data)

    def _between(self, start, end):
        body_start, tail_start = len(self.head), len(self.head) + self.size
        if start < body_start:
            yield self.head[start:end]
        if end > body_start and start < tail_start:
            offset = max(start, body_start) - body_start
            stop = min(end, tail_start) - body_start
            while offset < stop:
                at = offset % len(self.block)
                piece = self.block[at : at + stop - offset]
                offset += len(piece)
                yield piece
        if end > tail_start:
            yield self.tail[max(start, tail_start) - tail_start : end - tail_start]

    def request(self, with_length=True):
        environ = EnvironBuilder(method="POST").get_environ()
        environ.update(
            {
                "wsgi.input": self,
                "CONTENT_TYPE": f"multipart/form-data; boundary={self.BOUNDARY}",
                "CONTENT_LENGTH": str(self.length),
            }
        )
        if not with_length:  # as a chunked request arrives from eventlet's server
            del environ["CONTENT_LENGTH"]
        return Request(environ)


@pytest.fixture
def store():
    return InMemoryBlobs()


@pytest.fixture
def spool_dir(tmp_path):
    return tmp_path


@pytest.fixture
def intake(store, spool_dir):
    return AttachmentIntake(store, max_bytes=10 * MiB, spool_dir=str(spool_dir))


def refusal(intake, request):
    with pytest.raises(CatalogueError) as caught:
        intake.receive(request)
    return caught.value


@pytest.mark.parametrize(
    ("make", "filename", "content_type"),
    [(a_png, "scan.png", "image/png"), (a_jpeg, "photo.jpg", "image/jpeg"), (a_pdf, "licence.pdf", "application/pdf")],
)
def test_a_png_jpeg_or_pdf_is_stored_with_its_digest_size_and_type(intake, store, make, filename, content_type):
    content = make()

    upload = intake.receive(upload_request(content, filename, content_type))

    assert (upload.sha256, upload.size, upload.content_type) == (
        hashlib.sha256(content).hexdigest(),
        len(content),
        content_type,
    )
    assert upload.filename == filename
    assert store.blobs == {upload.key: content}
    assert b"".join(intake.open(upload.key)) == content


def test_every_upload_gets_a_fresh_random_key(intake):
    content = a_png()

    first = intake.receive(upload_request(content))
    second = intake.receive(upload_request(content))

    assert first.key != second.key
    assert uuid.UUID(first.key).version == 4


def test_a_text_file_named_png_is_refused_and_nothing_stored(intake, store, spool_dir):
    error = refusal(intake, upload_request(some_text(), "photo.png", "image/png"))

    assert (error.code, error.status) == ("ATTACHMENT_TYPE_NOT_ALLOWED", 415)
    assert error.message == "附件格式不正确,仅支持PNG、JPEG图片或PDF文件!"
    assert store.blobs == {}
    assert os.listdir(spool_dir) == []


def test_a_png_declared_as_pdf_is_judged_by_its_content(intake, store):
    content = a_png()

    upload = intake.receive(upload_request(content, "licence.pdf", "application/pdf"))

    assert (upload.content_type, upload.filename) == ("image/png", "licence.pdf")
    assert store.blobs[upload.key] == content


def test_a_text_file_declared_as_pdf_is_refused(intake, store):
    error = refusal(intake, upload_request(some_text(), "licence.pdf", "application/pdf"))

    assert error.code == "ATTACHMENT_TYPE_NOT_ALLOWED"
    assert store.blobs == {}


def test_a_file_over_the_limit_is_refused_naming_the_limit_and_nothing_stored(store, spool_dir):
    intake = AttachmentIntake(store, max_bytes=1 * MiB, spool_dir=str(spool_dir))

    error = refusal(intake, upload_request(a_png(extra=1 * MiB)))

    assert (error.code, error.status) == ("ATTACHMENT_TOO_LARGE", 413)
    assert error.message == "附件大小超出限制,请上传不超过1MB的文件!"
    assert store.blobs == {}
    assert os.listdir(spool_dir) == []


def test_a_file_of_exactly_the_limit_is_accepted(store, spool_dir):
    content = a_png()
    intake = AttachmentIntake(store, max_bytes=len(content), spool_dir=str(spool_dir))

    assert intake.receive(upload_request(content)).size == len(content)


def test_a_content_length_over_the_limit_is_refused_before_reading_the_body(intake, store):
    body = LazyMultipart(30 * MiB)

    error = refusal(intake, body.request())

    assert error.code == "ATTACHMENT_TOO_LARGE"
    assert body.position == 0
    assert store.blobs == {}


def test_30_mb_streamed_against_a_10_mb_limit_is_refused_without_holding_it(intake, store, spool_dir):
    body = LazyMultipart(30 * MiB)
    request = body.request(with_length=False)

    tracemalloc.start()
    try:
        error = refusal(intake, request)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert error.code == "ATTACHMENT_TOO_LARGE"
    assert peak < 1 * MiB
    assert body.position < 10 * MiB + 256 * 1024  # it stopped reading just past the limit
    assert store.blobs == {}
    assert os.listdir(spool_dir) == []


@pytest.mark.parametrize("with_length", [True, False], ids=["with-content-length", "chunked"])
def test_an_accepted_8_mb_file_is_never_held_whole_in_memory(spool_dir, with_length):
    store = DigestOnlyBlobs()
    intake = AttachmentIntake(store, max_bytes=10 * MiB, spool_dir=str(spool_dir))
    body = LazyMultipart(8 * MiB)
    expected = hashlib.sha256()
    for piece in body.content():
        expected.update(piece)
    request = body.request(with_length)

    tracemalloc.start()
    try:
        upload = intake.receive(request)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (upload.sha256, upload.size, upload.content_type) == (expected.hexdigest(), 8 * MiB, "image/png")
    assert store.blobs[upload.key] == (expected.hexdigest(), 8 * MiB)
    assert peak < 1 * MiB


def test_a_request_without_a_file_part_is_refused(intake, store):
    error = refusal(intake, upload_request(a_png(), field="attachment"))

    assert (error.code, error.status, error.message) == ("ATTACHMENT_REQUIRED", 400, "请选择要上传的附件!")
    assert store.blobs == {}


def test_an_empty_file_is_refused_as_missing(intake, store):
    error = refusal(intake, upload_request(b"", "empty.png"))

    assert error.code == "ATTACHMENT_REQUIRED"
    assert store.blobs == {}


def test_a_body_that_is_not_multipart_is_malformed(intake):
    request = Request(EnvironBuilder(method="POST", json={"file": "scan.png"}).get_environ())

    assert refusal(intake, request).code == "MALFORMED_UPLOAD"


def test_a_multipart_body_cut_short_is_malformed_and_nothing_stored(intake, store):
    body = LazyMultipart(64 * 1024)
    truncated = body.read(body.length - 20)
    environ = EnvironBuilder(
        method="POST", data=truncated, content_type=f"multipart/form-data; boundary={body.BOUNDARY}"
    ).get_environ()

    assert refusal(intake, Request(environ)).code == "MALFORMED_UPLOAD"
    assert store.blobs == {}


def test_two_files_in_one_request_are_malformed(intake, store):
    environ = EnvironBuilder(
        method="POST", data={"file": [(io.BytesIO(a_png()), "a.png"), (io.BytesIO(a_pdf()), "b.pdf")]}
    ).get_environ()

    assert refusal(intake, Request(environ)).code == "MALFORMED_UPLOAD"
    assert store.blobs == {}


def test_other_form_fields_are_ignored(intake, store):
    upload = intake.receive(upload_request(a_jpeg(), "photo.jpg", "image/jpeg", note=f"备注{uuid.uuid4()}"))

    assert upload.content_type == "image/jpeg"
    assert list(store.blobs) == [upload.key]


def test_a_filename_sent_with_its_client_side_path_keeps_only_its_last_segment(intake):
    upload = intake.receive(upload_request(a_pdf(), "/home/张三/文档/营业执照.pdf", "application/pdf"))

    assert upload.filename == "营业执照.pdf"


def test_control_characters_in_the_filename_are_dropped(intake):
    upload = intake.receive(upload_request(a_png(), "sc\x00an\x1b.png"))

    assert upload.filename == "scan.png"


def test_an_encoded_boundary_is_malformed_not_an_error(intake, store):
    environ = EnvironBuilder(
        method="POST", data=b"--x\r\n", content_type="multipart/form-data; boundary*=UTF-8''%E4%B8%AD"
    ).get_environ()

    assert refusal(intake, Request(environ)).code == "MALFORMED_UPLOAD"
    assert store.blobs == {}


class FullDisk(InMemoryBlobs):
    def put(self, key, chunks):
        raise OSError(28, "No space left on device")


def test_a_store_that_cannot_write_is_unavailable_not_an_error():
    with pytest.raises(CatalogueError) as refused:
        AttachmentIntake(FullDisk(), max_bytes=1024 * 1024).receive(upload_request(a_png()))

    assert refused.value.code == "SERVICE_UNAVAILABLE"
