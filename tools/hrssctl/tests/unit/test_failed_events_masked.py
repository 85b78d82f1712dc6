"""``hrssctl events failed`` never prints an ID number, even one typed wrong."""

import pytest

from hrssctl.events import format_failed

pytestmark = pytest.mark.unit


def a_row(**overrides):
    row = {
        "last_failed_at": "2026-11-27T10:00:00+00:00",
        "service": "identity",
        "status": "parked",
        "event_type": "EnterpriseRegistered",
        "event_id": "0b7c1f0e-7a8e-4c43-9d55-3f7f4f1b2f6a",
        "consumer": "identity.on_enterprise_registered",
        "attempts": 3,
        "last_error": "ValueError: no account for legal_rep_id=360426199101010071",
    }
    return {**row, **overrides}


def test_an_id_number_quoted_in_the_error_is_masked():
    line = format_failed(a_row())
    assert "360426199101010071" not in line
    assert "legal_rep_id=36042619910********" in line
    assert "identity parked EnterpriseRegistered 0b7c1f0e-7a8e-4c43-9d55-3f7f4f1b2f6a" in line
    assert "consumer=identity.on_enterprise_registered attempts=3" in line


def test_a_mistyped_id_number_in_the_error_and_an_id_number_as_event_id_are_masked():
    line = format_failed(a_row(event_id="36042619910101007x", last_error='KeyError: "360426199101010072"'))
    assert "36042619910101007x" not in line and "360426199101010072" not in line
    assert line.count("36042619910********") == 2


def test_a_credit_code_in_the_error_stays_readable():
    line = format_failed(a_row(last_error="AlreadyRegistered: 121200004013590816 / 91110000600037341L"))
    assert "121200004013590816 / 91110000600037341L" in line
