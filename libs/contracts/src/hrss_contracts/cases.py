"""Cases (办件, manual 4): what an applicant submits for a business item, what agency staff
decide, and the statuses in between, after the Administrative Licensing Law (行政许可法 §32,
§34, §38): an application is accepted, not accepted, or sent back for correction (补正, told
all at once); an accepted one is approved or denied; the applicant may withdraw it while no
decision on it stands. Requests are validated by the gateway and loaded again by the business
service."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, ValidationError, fields, validate, validates_schema

from hrss_contracts.fields import Comment, Identifier, IdNumber, Name, Uscc
from hrss_contracts.schema import ContractSchema

SUBMITTED, ACCEPTED, NOT_ACCEPTED = "submitted", "accepted", "not_accepted"
CORRECTION_REQUIRED, RESUBMITTED = "correction_required", "resubmitted"
APPROVED, DENIED, WITHDRAWN = "approved", "denied", "withdrawn"

# The words the platform shows for each status.
STATUS_LABELS: dict[str, str] = {
    SUBMITTED: "已提交",
    ACCEPTED: "已受理",
    NOT_ACCEPTED: "不予受理",
    CORRECTION_REQUIRED: "待补正",
    RESUBMITTED: "已补正",
    APPROVED: "已办结(准予)",
    DENIED: "已办结(不予)",
    WITHDRAWN: "已撤回",
}
STATUSES = tuple(STATUS_LABELS)
FINAL_STATUSES = (NOT_ACCEPTED, APPROVED, DENIED, WITHDRAWN)

# Agency staff's decisions, and the applicant's own steps.
ACCEPT, NOT_ACCEPT, REQUEST_CORRECTION, APPROVE, DENY = "accept", "not_accept", "request_correction", "approve", "deny"
DECISIONS = (ACCEPT, NOT_ACCEPT, REQUEST_CORRECTION, APPROVE, DENY)
SUBMIT, RESUBMIT, WITHDRAW = "submit", "resubmit", "withdraw"
# 退回: an approval whose effect the service that owns it refused (单位关键信息维护 to a code
# another enterprise has) sends the case back for correction with the reason; never chosen.
RETURN = "return"
ACTIONS = (SUBMIT, RESUBMIT, WITHDRAW, *DECISIONS, RETURN)
# A refusal or a correction must say why (§32: the correction's every point at once; §38: the
# reasons of a denial); accepting and approving may go without a word.
COMMENT_REQUIRED = (NOT_ACCEPT, REQUEST_CORRECTION, DENY)

MAX_MATERIALS = 30  # attachments of one submission; no item asks for more than a handful
MAX_COMMENT = 500


class _Request(ContractSchema):
    class Meta:
        unknown = RAISE


def _attachments() -> fields.Dict:
    return fields.Dict(
        keys=Identifier(),
        values=Identifier(),
        load_default=dict,
        validate=validate.Length(max=MAX_MATERIALS, error=f"最多{MAX_MATERIALS}份材料"),
        metadata={
            # OpenAPI 3.0 has no keyword for an object's keys (propertyNames): they are told.
            "description": "材料编码 → 附件编号 (上传附件所得); each code 1 to 80 characters, no control character",
            "example": {"change-form": "3f9c…"},
        },
    )


class CaseRequestSchema(_Request):
    """提交办理: the item, the relation it is for, the form filled in (checked by the business
    service against the item's JSON Schema) and the materials (material code → an attachment
    the applicant uploaded)."""

    item_code = Identifier(required=True, metadata={"description": "业务事项编码", "example": "unit-key-info"})
    relation_id = Identifier(required=True, metadata={"description": "参保关系编号"})
    form = fields.Dict(required=True, metadata={"description": "表单 (业务事项的 JSON Schema)"})
    attachments = _attachments()


class ResubmissionSchema(_Request):
    """补正后重新提交: the whole form and the materials again (those kept are named again)."""

    form = fields.Dict(required=True, metadata={"description": "表单 (业务事项的 JSON Schema)"})
    attachments = _attachments()


class WithdrawalSchema(_Request):
    """撤回, with the applicant's reason if they give one."""

    comment = Comment(load_default="", validate=validate.Length(max=MAX_COMMENT, error=f"不超过{MAX_COMMENT}个字符"))


class DecisionSchema(_Request):
    """经办机构的决定: 受理, 不予受理, 补正, 准予 (办结) or 不予 (办结), with a comment; the
    comment is required where the decision refuses or asks for more."""

    action = fields.String(
        required=True,
        validate=validate.OneOf(DECISIONS, error="必须是 accept、not_accept、request_correction、approve 或 deny"),
        metadata={
            "description": "受理 accept · 不予受理 not_accept · 补正 request_correction · 准予 approve · 不予 deny"
        },
    )
    comment = Comment(
        load_default="",
        validate=validate.Length(max=MAX_COMMENT, error=f"不超过{MAX_COMMENT}个字符"),
        metadata={"description": "意见 (不予受理、补正、不予时必填)"},
    )

    @validates_schema
    def _reasons_given(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("action") in COMMENT_REQUIRED and not data.get("comment", "").strip():
            raise ValidationError("请填写意见(不予受理、补正、不予时必填)", field_name="comment")


class CaseQuerySchema(_Request):
    """A page of cases, newest first."""

    status = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(STATUSES, error="状态不正确"))
    item_code = Identifier(load_default=None, allow_none=True)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000, error="页码应为1至100000"))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100, error="每页条数应为1至100"))


class KeyInfoSchema(_Request):
    """单位关键信息: what an approved 单位关键信息维护 case asks the enterprise service to take
    (its form's fields, with registration's checks)."""

    uscc = Uscc(required=True)
    name = Name(required=True, validate=validate.Length(min=1, max=200))
    legal_rep_name = Name(required=True, validate=validate.Length(min=1, max=50))
    legal_rep_id = IdNumber(required=True)


class CreditCodeSchema(_Request):
    """信用代码维护: the credit code the unit is to carry (the enterprise's own today)."""

    uscc = Uscc(required=True, metadata={"description": "统一社会信用代码", "example": "91230100MA1B2C3D4X"})
