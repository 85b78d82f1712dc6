"""The events identity's membership read model is built from: each carries its aggregate's whole
state, loads names in their one spelling and refuses what a consumer could not apply."""

import uuid
from datetime import UTC, datetime

import pytest
from marshmallow import ValidationError

from hrss_contracts.events import EVENT_SOURCES, load_envelope, new_envelope
from hrss_contracts.examples import random_id_number, random_uscc

pytestmark = pytest.mark.unit


def a_clerk(**changes):
    return {
        "clerk_id": str(uuid.uuid4()),
        "uscc": random_uscc(),
        "id_number": random_id_number(),
        "name": "李　小红",
        "phone": "13904510002",
        "added_at": datetime.now(UTC).isoformat(),
        **changes,
    }


def test_clerk_events_come_from_authorization_and_key_information_from_the_enterprise():
    assert {t: EVENT_SOURCES[t] for t in ("ClerkAdded", "ClerkUpdated", "ClerkRemoved")} == dict.fromkeys(
        ("ClerkAdded", "ClerkUpdated", "ClerkRemoved"), "authorization"
    )
    assert EVENT_SOURCES["EnterpriseKeyInfoChanged"] == "enterprise"


def test_a_clerk_added_loads_with_its_name_normalised_and_a_lower_case_x_read_as_upper_case():
    id_number = next(n for n in iter(random_id_number, None) if n.endswith("X"))
    clerk = a_clerk(id_number=id_number.lower())
    envelope = load_envelope(new_envelope("ClerkAdded", "authorization", clerk["clerk_id"], clerk))
    assert envelope["data"]["name"] == "李 小红"
    assert envelope["data"]["id_number"] == id_number


@pytest.mark.parametrize("missing", ["clerk_id", "uscc", "id_number", "name", "phone"])
def test_a_clerk_update_without_part_of_the_clerks_state_is_refused(missing):
    clerk = a_clerk()
    del clerk["added_at"]
    clerk["updated_at"] = datetime.now(UTC).isoformat()
    del clerk[missing]
    with pytest.raises(ValidationError) as refused:
        new_envelope("ClerkUpdated", "authorization", "c-1", clerk)
    assert missing in refused.value.messages


def test_a_clerk_removed_names_the_clerk_and_the_enterprise():
    removed = {"clerk_id": "c-1", "uscc": random_uscc(), "removed_at": datetime.now(UTC).isoformat()}
    assert load_envelope(new_envelope("ClerkRemoved", "authorization", "c-1", removed))["data"]["clerk_id"] == "c-1"
    with pytest.raises(ValidationError):
        new_envelope("ClerkRemoved", "authorization", "c-1", {**removed, "uscc": "not-a-code"})


def test_key_information_says_whether_the_code_changed():
    uscc = random_uscc()
    info = {
        "uscc": uscc,
        "name": "哈尔滨示范有限公司（黑龙江）",
        "legal_rep_name": "王建国",
        "legal_rep_id": random_id_number(),
        "changed_at": datetime.now(UTC).isoformat(),
    }
    with pytest.raises(ValidationError) as refused:
        new_envelope("EnterpriseKeyInfoChanged", "enterprise", uscc, info)
    assert "previous_uscc" in refused.value.messages  # null when unchanged, but never left out
    same_code = load_envelope(
        new_envelope("EnterpriseKeyInfoChanged", "enterprise", uscc, {**info, "previous_uscc": None})
    )
    assert same_code["data"]["previous_uscc"] is None
    assert same_code["data"]["name"] == "哈尔滨示范有限公司(黑龙江)"
    new_code = random_uscc()
    moved = new_envelope(
        "EnterpriseKeyInfoChanged", "enterprise", uscc, {**info, "uscc": new_code, "previous_uscc": uscc}
    )
    assert (moved["aggregate_id"], load_envelope(moved)["data"]["uscc"]) == (uscc, new_code)
