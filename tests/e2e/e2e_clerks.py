"""Helpers of the authorization and business end-to-end tests: a registered enterprise with
units, calls with a token, QR login as a clerk, agency staff, uploads."""

import time
from dataclasses import dataclass

import pytest
import requests
from e2e_records import application, import_records, source_record

from hrss_contracts.errors import CATALOGUE
from hrss_contracts.examples import random_id_number, random_uscc

PASSWORD = "right-password-1"
AGENCY = "哈尔滨市社会保险事业中心"


def call(platform, method, path, token, body=None, params=None):
    return requests.request(
        method,
        f"{platform.base_url}{path}",
        json=body,
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\x00" * 64
)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + b" " * 2048


@dataclass(frozen=True)
class Registered:
    """A registered enterprise: its code, name, legal representative and their password token."""

    uscc: str
    name: str
    rep_name: str
    rep_id: str
    token: str


def registered_with_units(platform, tmp_path):
    """An enterprise with two units (three relations), registered with a password; its token."""
    registered = register_with_units(platform, tmp_path)
    return registered.uscc, registered.token


def register_with_units(platform, tmp_path):
    """An enterprise with two units (110 and 210 in the first, 410 in the second, all at
    ``AGENCY``), registered with a password, once its relations are listed: ``Registered``."""
    uscc, rep_id, name = random_uscc(), random_id_number(), "授权测试有限公司"
    units = [
        {
            "unit_no": f"U{uscc[-8:]}1",
            "relations": [{"insurance": "110", "agency": AGENCY}, {"insurance": "210", "agency": AGENCY}],
        },
        {"unit_no": f"U{uscc[-8:]}2", "relations": [{"insurance": "410", "agency": AGENCY}]},
    ]
    import_records(platform, tmp_path, "enterprise-pension", source_record(uscc, name, "授权法人", rep_id, units))
    body = application(uscc, name, "授权法人", rep_id, password=PASSWORD)
    assert platform.post("/api/v1/registrations", body).status_code == 201
    token = until(lambda: platform.post("/api/v1/auth/login", {"account": uscc, "password": PASSWORD}), 200)
    until(lambda: call(platform, "GET", "/api/v1/insurance-relations", token.json()["token"]), 200)
    return Registered(uscc, name, "授权法人", rep_id, token.json()["token"])


def until(request, status, timeout=10.0):
    """The first answer with ``status`` (events take a few milliseconds to land)."""
    deadline = time.monotonic() + timeout
    while True:
        answer = request()
        if answer.status_code == status or time.monotonic() > deadline:
            assert answer.status_code == status, answer.text
            return answer
        time.sleep(0.1)


def qr_login(platform, role, id_number, name, id_type="resident_id"):
    """Open a QR session for ``role``, scan and confirm as the person (known by the document
    ``id_type``, ``id_number``); the final view."""
    session = platform.post("/api/v1/auth/qr-sessions", {"role": role}).json()
    for act in ("scan", "confirm"):
        person = ["--id-type", id_type, "--id-number", id_number, "--name", name]
        done = platform.hrssctl("essc", act, "--qr", session["qr_content"], *person)
        assert done.returncode == 0, done.stdout + done.stderr
    headers = {"X-QR-Binding": session["binding"]}
    url = f"{platform.base_url}/api/v1/auth/qr-sessions/{session['qr_id']}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        view = requests.get(url, params={"wait": 5}, headers=headers, timeout=30).json()
        if view["status"] not in ("pending", "scanned"):
            return view
    pytest.fail("the QR session never ended")


def clerk_logs_in(platform, id_number, name, timeout=10.0, id_type="resident_id"):
    """QR login as clerk until it succeeds (ClerkAdded reaches identity within milliseconds)."""
    deadline = time.monotonic() + timeout
    while True:
        view = qr_login(platform, "clerk", id_number, name, id_type)
        if view["status"] == "authenticated" or time.monotonic() > deadline:
            return view
        time.sleep(0.2)


def assert_error(response, code):
    assert response.status_code == CATALOGUE[code].status, response.text
    assert response.json()["error"]["code"] == code


def staff_token(platform, agency=AGENCY):
    """A new agency staff account of ``agency`` (``hrssctl agency-users add``), logged in."""
    return new_staff(platform, agency)[1]


def new_staff(platform, agency=AGENCY):
    """``(account, token)`` of a new agency staff account of ``agency``, logged in."""
    account = f"window{random_uscc()[-6:]}"
    added = platform.hrssctl("agency-users", "add", "--account", account, "--agency", agency, stdin=PASSWORD)
    assert added.returncode == 0, added.stderr
    return account, platform.post("/api/v1/auth/login", {"account": account, "password": PASSWORD}).json()["token"]


def upload(platform, token, content, filename="材料.pdf", declared="application/pdf"):
    return requests.post(
        f"{platform.base_url}/api/v1/attachments",
        files={"file": (filename, content, declared)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
