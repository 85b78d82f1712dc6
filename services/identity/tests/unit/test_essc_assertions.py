"""e-SSC assertions: only a compact JWS signed with the e-SSC's Ed25519 key, alg EdDSA, in its
time, with every claim, gets through (RFC 8725's advice: the algorithm is pinned)."""

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hrss_contracts.examples import random_id_number
from hrss_identity.adapters.essc import JwtEsscVerifier, dev_private_key, public_key_from_config
from hrss_identity.domain.errors import InvalidAssertion

pytestmark = pytest.mark.unit

KEY = Ed25519PrivateKey.generate()
NOW = 1_800_000_000.0
VERIFIER = JwtEsscVerifier(KEY.public_key())


def claims(**changes):
    base = {
        "qr": "qr-1",
        "sub": random_id_number(),
        "name": "张三",
        "act": "scan",
        "iat": int(NOW),
        "exp": int(NOW) + 60,
        "jti": "jti-1",
    }
    return {k: v for k, v in (base | changes).items() if v is not None}


def signed(key=KEY, **changes):
    return jwt.encode(claims(**changes), key, algorithm="EdDSA")


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_well_signed_assertion_gives_its_claims():
    body = claims(act="confirm")
    checked = VERIFIER.verify(jwt.encode(body, KEY, algorithm="EdDSA"), NOW)
    assert (checked.qr_id, checked.act, checked.id_number, checked.name) == ("qr-1", "confirm", body["sub"], "张三")


def test_another_keys_signature_is_refused():
    with pytest.raises(InvalidAssertion):
        VERIFIER.verify(signed(key=Ed25519PrivateKey.generate()), NOW)


def test_alg_none_is_refused():
    token = f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{b64(json.dumps(claims()).encode())}."
    with pytest.raises(InvalidAssertion):
        VERIFIER.verify(token, NOW)


def test_hs256_keyed_with_the_public_key_is_refused():
    public_pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims()).encode())
    mac = hmac.new(public_pem, f"{head}.{payload}".encode(), hashlib.sha256).digest()
    with pytest.raises(InvalidAssertion):
        VERIFIER.verify(f"{head}.{payload}.{b64(mac)}", NOW)


def test_a_tampered_payload_is_refused():
    head, _, signature = signed().split(".")
    forged = b64(json.dumps(claims(sub=random_id_number())).encode())
    with pytest.raises(InvalidAssertion):
        VERIFIER.verify(f"{head}.{forged}.{signature}", NOW)


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": int(NOW) - 31},  # expired, past the skew
        {"iat": int(NOW) + 31, "exp": int(NOW) + 90},  # issued in the future
        {"iat": int(NOW) - 100, "exp": int(NOW) + 250},  # lives longer than 5 minutes
        {"jti": None},
        {"qr": None},
        {"act": "login"},
        {"sub": "110101199003070000"},  # not a valid ID number
        {"sub": "E12345678"},  # a passport's number, claimed as a resident ID's
        {"sub": "911398199012310022", "id_type": "foreign_permanent_residence"},  # its check character is 1
        {"sub": "E12345678", "id_type": "driving_licence"},
        {"sub": "E12345678", "id_type": 7},
        {"name": ""},
        {"exp": "soon"},
    ],
)
def test_an_assertion_out_of_its_time_or_missing_a_claim_is_refused(changes):
    with pytest.raises(InvalidAssertion):
        VERIFIER.verify(signed(**changes), NOW)


def test_an_assertion_may_name_the_type_of_its_subjects_document():
    checked = VERIFIER.verify(signed(sub="911398199012310021", id_type="foreign_permanent_residence"), NOW)
    assert (checked.id_type, checked.id_number) == ("foreign_permanent_residence", "911398199012310021")
    assert VERIFIER.verify(signed(), NOW).id_type == "resident_id"


def test_the_skew_tolerates_half_a_minute_of_clock_difference():
    assert VERIFIER.verify(signed(exp=int(NOW) - 29), NOW).act == "scan"
    assert VERIFIER.verify(signed(iat=int(NOW) + 29, exp=int(NOW) + 89), NOW).act == "scan"


def test_the_development_key_pair_is_made_once_and_read_by_every_start(tmp_path):
    first = dev_private_key(tmp_path / "essc")
    again = public_key_from_config({"ESSC_DEV_KEY_DIR": str(tmp_path / "essc")})
    token = jwt.encode(claims(), first, algorithm="EdDSA")
    assert JwtEsscVerifier(again).verify(token, NOW).qr_id == "qr-1"
    assert oct((tmp_path / "essc" / "essc-dev-private.pem").stat().st_mode & 0o777) == "0o600"


def test_a_configured_public_key_file_is_trusted_instead_of_the_development_key(tmp_path):
    public = tmp_path / "essc.pem"
    public.write_bytes(
        KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    verifier = JwtEsscVerifier(public_key_from_config({"ESSC_PUBLIC_KEY_FILE": str(public)}))
    assert verifier.verify(signed(), NOW).jti == "jti-1"
    assert not (tmp_path / "var").exists()
