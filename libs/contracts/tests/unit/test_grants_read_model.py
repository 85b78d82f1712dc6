"""The grants read model's contract: every clerk event carries the clerk's whole grants."""

import pytest

from hrss_contracts.events import load_envelope, new_envelope
from hrss_contracts.examples import random_id_number, random_uscc
from hrss_contracts.grants import ClerkGrants, clerk_id_of, grants_after

pytestmark = pytest.mark.unit

RELATION = {"relation_id": "R1", "unit_no": "U1", "insurance": "110", "agency": "某社保中心"}
ACTOR = {"account": "91230100MA1B2C3D4E", "role": "legal", "agency": None}


def clerk(uscc, relation_ids):
    return {
        "clerk_id": "c1",
        "uscc": uscc,
        "id_number": random_id_number(),
        "name": "李四",
        "phone": "13900139000",
        "relation_ids": relation_ids,
    }


def test_each_clerk_event_gives_the_clerks_whole_grants_and_removal_none():
    uscc = random_uscc()
    stream = [
        new_envelope("ClerkAdded", "authorization", "c1", {**clerk(uscc, []), "added_at": "2026-11-28T08:00:00+00:00"}),
        new_envelope(
            "ClerkAuthorized",
            "authorization",
            "c1",
            {
                **clerk(uscc, ["R1", "R2"]),
                "relations": [RELATION],
                "channel": "legal_rep",
                "actor": ACTOR,
                "authorized_at": "2026-11-28T08:00:01+00:00",
            },
        ),
        new_envelope(
            "ClerkAuthorizationRevoked",
            "authorization",
            "c1",
            {
                **clerk(uscc, ["R2"]),
                "relations": [RELATION],
                "channel": "legal_rep",
                "actor": ACTOR,
                "revoked_at": "2026-11-28T08:00:02+00:00",
            },
        ),
        new_envelope(
            "ClerkRemoved",
            "authorization",
            "c1",
            {"clerk_id": "c1", "uscc": uscc, "removed_at": "2026-11-28T08:00:03+00:00"},
        ),
    ]

    rows = [grants_after(load_envelope(e)) for e in stream]

    assert rows[:3] == [
        ClerkGrants("c1", uscc, frozenset()),
        ClerkGrants("c1", uscc, frozenset({"R1", "R2"})),
        ClerkGrants("c1", uscc, frozenset({"R2"})),
    ]
    assert rows[3] is None
    assert rows[2].may_act_for("R2") and not rows[2].may_act_for("R1")


def test_a_grant_change_without_a_relation_is_not_an_event():
    data = {
        **clerk(random_uscc(), []),
        "relations": [],
        "channel": "legal_rep",
        "actor": ACTOR,
        "revoked_at": "2026-11-28T08:00:02+00:00",
    }
    with pytest.raises(Exception):  # noqa: B017 - marshmallow's ValidationError
        new_envelope("ClerkAuthorizationRevoked", "authorization", "c1", data)


def test_a_clerks_session_account_names_the_clerk():
    assert clerk_id_of("clerk:c1") == "c1" and clerk_id_of("9123010000000000XX") is None
