"""hrssctl's own logic: reading import files, printing events, talking about the broker."""

import pytest

from hrssctl.events import format_event
from hrssctl.main import _safe
from hrssctl.sources import read_batches

pytestmark = pytest.mark.unit


def test_an_import_file_keeps_line_numbers_skips_blank_lines_and_refuses_non_json(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text('{"uscc": "a"}\n\nnot json\n{"uscc": "b"}\n')
    [(batch, broken)] = list(read_batches(path))
    assert [item["line"] for item in batch] == [1, 4]
    assert [b["line"] for b in broken] == [3]
    assert broken[0]["reason"].startswith("not JSON")


def test_a_tailed_event_is_one_line_with_type_source_aggregate_and_masked_data():
    line = format_event(
        {
            "occurred_at": "2026-11-27T10:00:00+00:00",
            "event_type": "EnterpriseRegistered",
            "source": "enterprise",
            "aggregate_id": "91110000600037341L",
            "data": {"legal_rep_id": "360426199101010071", "name": "甲"},
        }
    )
    assert "\n" not in line
    assert "EnterpriseRegistered source=enterprise aggregate=91110000600037341L" in line
    assert "36042619910********" in line and "360426199101010071" not in line
    assert '"name": "甲"' in line


def test_a_clerks_passport_number_is_masked_by_its_field_name():
    data = {"clerk_id": "c1", "id_type": "passport", "id_number": "E12345678", "name": "Ann Lee"}
    line = format_event({"event_type": "ClerkAdded", "source": "authorization", "data": data})
    assert '"id_number": "E1********"' in line and "E12345678" not in line


def test_the_broker_password_is_never_printed():
    assert _safe("amqp://guest:s3cret@rabbit:5672/vh") == "amqp://guest:***@rabbit:5672/vh"
