"""The kit's fault-injection switch (hrss_kit.faults), used by `make faults` to kill a relay
between publishing and marking: inert unless switched on, and then it fires once."""

import subprocess
import sys

import pytest

from hrss_kit.faults import KILL_RELAY_DIR

pytestmark = pytest.mark.unit

CALL = "from hrss_kit.faults import after_publish; after_publish('enterprise'); print('alive')"


def run_relay_point(env_extra):
    return subprocess.run([sys.executable, "-c", CALL], env=env_extra, capture_output=True, text=True, timeout=60)


def test_without_the_variable_the_relay_point_does_nothing(tmp_path):
    (tmp_path / "enterprise").touch()
    result = run_relay_point({"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and result.stdout.strip() == "alive"
    assert (tmp_path / "enterprise").exists()


def test_the_process_whose_source_is_named_dies_by_sigkill_once_and_takes_the_file(tmp_path):
    env = {"PATH": "/usr/bin:/bin", KILL_RELAY_DIR: str(tmp_path)}
    (tmp_path / "identity").touch()  # another service's trigger is not this relay's
    (tmp_path / "enterprise").touch()
    first = run_relay_point(env)
    assert first.returncode == -9 and first.stdout == ""
    assert not (tmp_path / "enterprise").exists()
    assert (tmp_path / "identity").exists()
    second = run_relay_point(env)  # the restarted process publishes again, and lives
    assert second.returncode == 0 and second.stdout.strip() == "alive"
