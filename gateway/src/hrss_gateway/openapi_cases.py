"""The OpenAPI document's part for cases (办件, manual 4): submitting and following them in the
user center, and the agency's queue and decisions, from the same schemas that validate the
requests; the answers' shapes are in ``openapi_case_schemas``."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from hrss_contracts.cases import (
    CaseRequestSchema,
    CreditCodeSchema,
    DecisionSchema,
    ResubmissionSchema,
    WithdrawalSchema,
)
from hrss_gateway.openapi_case_schemas import (
    ACTOR,
    ATTACHMENT_ID,
    CASE,
    CASE_MATERIAL,
    CASE_NO,
    CASE_PAGE,
    CASE_QUERY,
    CASE_STATUS_CONFLICT,
    CASE_STEP,
    CASE_SUMMARY,
)
from hrss_gateway.openapi_clerks import protected, with_links
from hrss_gateway.openapi_parts import error_response, json_content, link, required_body
from hrss_gateway.openapi_window import attachment_bytes

BAD_BODY = ("400", ("VALIDATION_FAILED", "MALFORMED_REQUEST"))
BAD_QUERY = ("400", ("VALIDATION_FAILED",))
SLOW_BODY = ("408", ("REQUEST_TIMEOUT",))
LARGE_BODY = ("413", ("PAYLOAD_TOO_LARGE",))
NO_CASE = ("404", ("CASE_NOT_FOUND",))
CONFLICT = ("409", ("CASE_STATUS_CONFLICT",))

SUBMIT = """Checked in this order: the item (404 `BUSINESS_ITEM_NOT_FOUND`; a window-only item 422
`ITEM_NOT_ONLINE`); the relation (403 `RELATION_NOT_GRANTED`: another enterprise's, not granted to
this clerk, or none, not told apart); the item's insurance types (422 `ITEM_NOT_APPLICABLE`); the
form against the item's JSON Schema and its required materials (400 `VALIDATION_FAILED`, every
problem at once in `fields`: `form.<field>`, `attachments.<material code>`); each attachment an
upload of this account (422 `ATTACHMENT_NOT_FOUND`, `fields` naming `attachments.<material code>`)
of a type its material accepts (400). The answer is the case as listed, status `submitted`."""
RESUBMIT = """补正后重新提交, only while the case is `correction_required` (else 409): the whole form
and every material again, those kept named again (a kept one may be anyone's of the enterprise
who gave it in the previous round; a new one must be an upload of this account). Form and
materials are checked as at submission (400, 422 `ATTACHMENT_NOT_FOUND`); 404
`BUSINESS_ITEM_NOT_FOUND` when the item has left the catalogue since. The answer is the case as
listed, status `resubmitted`."""
DECIDE = """`accept`, `not_accept` or `request_correction` a case `submitted` or `resubmitted`;
`approve` or `deny` one `accepted`. `comment` is required to `not_accept`, `request_correction`
or `deny` (400 `VALIDATION_FAILED` naming `comment`). Of two members of staff deciding at once one
wins; the other is 409 `CASE_STATUS_CONFLICT` with the case's `current_status`. A case of another
agency is 404. The answer is the case as listed."""


CASE_OF_ANSWER = {"case_no": "$response.body#/case_no"}
CASE_LINKS = {
    "ShowCase": link("/api/v1/cases/{case_no}", "get", "the case with its history", CASE_OF_ANSWER),
    "WithdrawCase": link("/api/v1/cases/{case_no}/withdrawal", "post", "撤回 the case", CASE_OF_ANSWER),
    "ResubmitCase": link("/api/v1/cases/{case_no}/resubmission", "post", "补正后重新提交", CASE_OF_ANSWER),
    "DecideCase": link(
        "/api/v1/agency/cases/{case_no}/decisions", "post", "the agency's decision (its staff)", CASE_OF_ANSWER
    ),
}


def conflict(operation: dict[str, Any]) -> dict[str, Any]:
    """The operation's 409, with the body that names the case's status now."""
    operation["responses"]["409"] = error_response("CASE_STATUS_CONFLICT", schema="CaseStatusConflict")
    operation["responses"]["409"]["description"] += (
        " (the message names the status in words; `current_status` in the error is its code)"
    )
    return operation


def add_cases(spec: APISpec) -> None:
    spec.components.schema("CaseRequest", schema=CaseRequestSchema)
    spec.components.schema("ResubmissionRequest", schema=ResubmissionSchema)
    spec.components.schema("WithdrawalRequest", schema=WithdrawalSchema)
    spec.components.schema("DecisionRequest", schema=DecisionSchema)
    spec.components.schema("CaseActor", ACTOR)
    spec.components.schema("CaseSummary", CASE_SUMMARY)
    spec.components.schema("CaseMaterial", CASE_MATERIAL)
    spec.components.schema("CaseStep", CASE_STEP)
    spec.components.schema("Case", CASE)
    spec.components.schema("CasePage", CASE_PAGE)
    spec.components.schema("CaseStatusConflict", CASE_STATUS_CONFLICT)
    spec.components.schema("CreditCodeRequest", schema=CreditCodeSchema)
    spec.components.schema(
        "UnitCreditCodes",
        {
            "type": "object",
            "required": ["uscc", "units"],
            "properties": {
                "uscc": {"type": "string", "description": "the enterprise's credit code today"},
                "units": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["unit_no", "credit_code"],
                        "properties": {
                            "unit_no": {"type": "string"},
                            "credit_code": {"type": "string", "description": "the credit code the unit carries"},
                        },
                    },
                },
            },
        },
    )
    submit = protected(
        "提交办理: apply for an online business item, for one insurance relation (legal representative, clerk)",
        ("201", "submitted", "CaseSummary"),
        BAD_BODY,
        ("403", ("RELATION_NOT_GRANTED",)),
        ("404", ("BUSINESS_ITEM_NOT_FOUND",)),
        SLOW_BODY,
        LARGE_BODY,
        ("422", ("ITEM_NOT_ONLINE", "ITEM_NOT_APPLICABLE", "ATTACHMENT_NOT_FOUND")),
        description=SUBMIT,
        requestBody=required_body("CaseRequest"),
    )
    with_links(submit, CASE_LINKS)
    listing = protected(
        "用户中心: the enterprise's cases (legal representative) or its granted relations' (clerk), newest first",
        ("200", "a page", "CasePage"),
        BAD_QUERY,
        description="Empty while the business service does not know the session's enterprise yet.",
        parameters=CASE_QUERY,
    )
    spec.path("/api/v1/cases", operations={"post": submit, "get": listing})
    show = protected(
        "One case with its form, latest materials and history, for whoever may see it (any other is 404)",
        ("200", "the case", "Case"),
        BAD_QUERY,
        NO_CASE,
    )
    spec.path("/api/v1/cases/{case_no}", parameters=[CASE_NO], operations={"get": show})
    material = protected(
        "A material's bytes (any round's), for whoever may see the case",
        ("200", "the bytes", {}),
        BAD_QUERY,
        ("404", ("CASE_NOT_FOUND", "NOT_FOUND")),
        description="`CASE_NOT_FOUND` also for an attachment that is none of the case's materials.",
    )
    material["responses"]["200"] = attachment_bytes("the bytes, with the type found in them at the upload")
    spec.path(
        "/api/v1/cases/{case_no}/materials/{attachment_id}",
        parameters=[CASE_NO, ATTACHMENT_ID],
        operations={"get": material},
    )
    withdraw = protected(
        "撤回: withdraw the application while no decision on it stands (`submitted`, `resubmitted`, "
        "`correction_required`); the body may be left out",
        ("200", "withdrawn: the case as listed", "CaseSummary"),
        BAD_BODY,
        NO_CASE,
        SLOW_BODY,
        CONFLICT,
        LARGE_BODY,
        requestBody={"required": False, "content": json_content("WithdrawalRequest")},
    )
    spec.path("/api/v1/cases/{case_no}/withdrawal", parameters=[CASE_NO], operations={"post": conflict(withdraw)})
    resubmit = protected(
        "补正后重新提交: the corrected form and materials, whole",
        ("200", "resubmitted", "CaseSummary"),
        BAD_BODY,
        ("404", ("CASE_NOT_FOUND", "BUSINESS_ITEM_NOT_FOUND")),
        SLOW_BODY,
        CONFLICT,
        LARGE_BODY,
        ("422", ("ATTACHMENT_NOT_FOUND",)),
        description=RESUBMIT,
        requestBody=required_body("ResubmissionRequest"),
    )
    spec.path("/api/v1/cases/{case_no}/resubmission", parameters=[CASE_NO], operations={"post": conflict(resubmit)})
    queue = protected(
        "Agency staff: the cases their agency handles, newest first",
        ("200", "a page", "CasePage"),
        BAD_QUERY,
        parameters=CASE_QUERY,
    )
    spec.path("/api/v1/agency/cases", operations={"get": queue})
    decide = protected(
        "经办机构的决定: 受理, 不予受理, 补正, 准予 or 不予 on a case of the staff member's agency",
        ("200", "decided", "CaseSummary"),
        BAD_BODY,
        NO_CASE,
        SLOW_BODY,
        CONFLICT,
        LARGE_BODY,
        description=DECIDE,
        requestBody=required_body("DecisionRequest"),
    )
    spec.path("/api/v1/agency/cases/{case_no}/decisions", parameters=[CASE_NO], operations={"post": conflict(decide)})
    align = protected(
        "信用代码维护: a unit of the enterprise takes the enterprise's credit code today",
        ("200", "the enterprise's code and each unit's", "UnitCreditCodes"),
        BAD_BODY,
        ("404", ("UNIT_NOT_FOUND",)),
        SLOW_BODY,
        LARGE_BODY,
        ("422", ("CREDIT_CODE_MISMATCH",)),
        description=(
            "After 单位关键信息维护 on one unit number the enterprise's other units still carry the old "
            "credit code (manual 4 注5). Only the enterprise's code today is taken (422 otherwise); a unit "
            "no relation of the staff member's agency insures is 404. Aligned already: the same answer."
        ),
        requestBody=required_body("CreditCodeRequest"),
    )
    spec.path(
        "/api/v1/agency/units/{unit_no}/credit-code",
        parameters=[{"name": "unit_no", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 40}}],
        operations={"post": align},
    )
