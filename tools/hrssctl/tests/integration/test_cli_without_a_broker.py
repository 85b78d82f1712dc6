"""hrssctl against a broker that is not there (a refused local connection)."""

import pytest

from hrssctl.main import main

pytestmark = pytest.mark.integration


def test_an_unreachable_broker_is_a_clear_error_not_a_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr("hrssctl.settings.AMQP_URI", "amqp://guest:guest@127.0.0.1:1/")
    path = tmp_path / "m.jsonl"
    path.write_text("{}\n")
    assert main(["sources", "import", "--source", "market", str(path)]) == 3
    assert "cannot reach the broker at amqp://guest:***@127.0.0.1:1/" in capsys.readouterr().err
