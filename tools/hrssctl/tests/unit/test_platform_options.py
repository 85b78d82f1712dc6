"""``hrssctl platform run``'s options and the processes they make, and how it takes signals."""

from pathlib import Path

import pytest

from hrssctl.main import main
from hrssctl.platform import children
from hrssctl.replicas import parse_replicas
from hrssctl.signals import StopSignals

pytestmark = pytest.mark.unit


def test_replicas_are_counted_per_service():
    assert parse_replicas("identity=2,enterprise=3, gateway=2") == {"identity": 2, "enterprise": 3, "gateway": 2}


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("billing=2", "unknown service 'billing' (known: enterprise, identity, authorization, business, gateway)"),
        ("identity=0", "'identity=0': the count must be a whole number of at least 1"),
        ("identity=-1", "at least 1"),
        ("identity=two", "at least 1"),
        ("identity", "at least 1"),
        ("identity=2,identity=3", "'identity' is given twice"),
        (",", "expected SERVICE=COUNT"),
    ],
)
def test_a_bad_replicas_option_is_a_usage_error_that_says_what_is_wrong(text, complaint, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["platform", "run", "--replicas", text])
    assert exit_.value.code == 2
    assert complaint in capsys.readouterr().err


def test_each_replica_is_a_process_with_a_log_of_its_own_and_single_ones_keep_their_plain_names():
    made = children(Path("/repo"), Path("/repo/var/log"), {"identity": 2, "gateway": 3})
    assert [c.name for c in made] == [
        "enterprise",
        "identity.1",
        "identity.2",
        "authorization",
        "business",
        "gateway.1",
        "gateway.2",
        "gateway.3",
    ]
    assert made[1].log == Path("/repo/var/log/identity.1.log")
    assert made[1].command[-1] == "hrss_identity.entrypoints.service:IdentityService"
    assert made[1].command[-2] == "/repo/services/identity/config.yml"
    assert made[5].command[-2:] == ("/repo/gateway/config.yml", "hrss_gateway.service:GatewayService")


def test_the_first_stop_signal_interrupts_and_later_ones_hurry_the_stop():
    signals = StopSignals()
    with pytest.raises(KeyboardInterrupt):
        signals._handle(15, None)
    assert signals.stopping and not signals.hurry
    signals._handle(2, None)
    assert signals.hurry


def test_a_stop_signal_inside_a_deferred_block_takes_effect_as_the_block_ends():
    signals = StopSignals()
    steps = []
    with pytest.raises(KeyboardInterrupt), signals.deferred():
        signals._handle(15, None)
        steps.append("the block went on")
    assert steps == ["the block went on"]
    assert signals.stopping
