"""The cases' requests as the gateway and the business service load them."""

import pytest
from marshmallow import ValidationError

from hrss_contracts.cases import DecisionSchema, WithdrawalSchema

pytestmark = pytest.mark.unit


def test_a_comment_keeps_line_breaks_and_refuses_other_control_characters():
    assert (
        DecisionSchema().load({"action": "deny", "comment": "第一条\n第二条\t见附件"})["comment"]
        == "第一条\n第二条\t见附件"
    )
    for schema, body in (
        (DecisionSchema(), {"action": "deny", "comment": "a\x00b"}),
        (WithdrawalSchema(), {"comment": "\x1b[31m"}),
    ):
        with pytest.raises(ValidationError) as refused:
            schema.load(body)
        assert refused.value.messages == {"comment": ["不能包含控制字符"]}


def test_refusing_or_asking_for_a_correction_needs_a_comment():
    for action in ("not_accept", "request_correction", "deny"):
        with pytest.raises(ValidationError) as refused:
            DecisionSchema().load({"action": action, "comment": "  "})
        assert list(refused.value.messages) == ["comment"]
    assert DecisionSchema().load({"action": "accept"})["comment"] == ""
