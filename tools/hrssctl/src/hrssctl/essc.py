"""``hrssctl essc scan|confirm|cancel --qr QR_CONTENT --id-number N --name NAME [--print]``:
the e-SSC app and platform, simulated. Signs an assertion (compact JWS, EdDSA) with the
development e-SSC key that identity made in ``ESSC_DEV_KEY_DIR`` (default ``var/essc``) and
posts it to the gateway, or prints it."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TextIO

import jwt
import requests
from cryptography.hazmat.primitives import serialization

from hrss_contracts.essc import assertion_claims
from hrss_contracts.id_documents import RESIDENT_ID

PRIVATE_KEY_FILE = "essc-dev-private.pem"


def assertion(act: str, qr_content: str, id_number: str, name: str, key_dir: Path, id_type: str = RESIDENT_ID) -> str:
    path = key_dir / PRIVATE_KEY_FILE
    if not path.is_file():
        raise SystemExit(f"hrssctl: no development e-SSC key at {path}; has the platform started (make run)?")
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    claims = assertion_claims(act, qr_content, id_number, name, int(time.time()), id_type)
    return jwt.encode(claims, key, algorithm="EdDSA")  # type: ignore[arg-type]


def run(
    act: str,
    qr_content: str,
    id_number: str,
    name: str,
    show: bool,
    out: TextIO = sys.stdout,
    id_type: str = RESIDENT_ID,
) -> int:
    key_dir = Path(os.environ.get("ESSC_DEV_KEY_DIR", "var/essc"))
    token = assertion(act, qr_content, id_number, name, key_dir, id_type)
    if show:
        print(token, file=out)
        return 0
    host, port = os.environ.get("GATEWAY_HOST", "127.0.0.1"), os.environ.get("GATEWAY_PORT", "8000")
    url = os.environ.get("GATEWAY_URL", f"http://{host}:{port}") + "/api/v1/essc/assertions"
    try:
        answer = requests.post(url, json={"assertion": token}, timeout=30)
    except requests.RequestException as exc:
        print(f"hrssctl: cannot reach the gateway at {url} ({exc}); set GATEWAY_URL?", file=sys.stderr)
        return 3
    body = answer.json() if answer.headers.get("Content-Type", "").startswith("application/json") else {}
    if answer.ok:
        print(f"{act}: the QR session is now {body.get('status')}", file=out)
        return 0
    error = body.get("error", {})
    print(f"hrssctl: {act} refused ({answer.status_code} {error.get('code')}): {error.get('message')}", file=sys.stderr)
    return 1
