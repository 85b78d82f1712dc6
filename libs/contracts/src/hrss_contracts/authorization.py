"""Clerks and their grants (manual 3.1.1): requests validated by the gateway and loaded again
by the authorization service, and the shapes it answers with."""

from __future__ import annotations

from marshmallow import RAISE, ValidationError, fields, post_load, validate, validates_schema

from hrss_contracts.fields import DocumentNumber, Identifier, IdType, InsuranceType, Name, Uscc
from hrss_contracts.id_documents import RESIDENT_ID, canonical_document, document_number_error
from hrss_contracts.schema import ContractSchema

MOBILE_PATTERN = r"^1[3-9][0-9]{9}\Z"  # \Z: "$" would let a final line break through
MAX_RELATIONS = 500  # far above any enterprise's relations; bounds the work of one request


class DocumentSchema(ContractSchema):
    """A person's 证件类型 and 证件号码 (:mod:`hrss_contracts.id_documents`), the number judged by
    its type's rule; without a type, 居民身份证."""

    id_type = IdType(load_default=RESIDENT_ID, metadata={"description": "证件类型", "example": RESIDENT_ID})
    id_number = DocumentNumber(
        required=True, metadata={"description": "办事员证件号码", "example": "11010519491231002X"}
    )

    @validates_schema(skip_on_field_errors=False)  # judged beside the other fields' errors
    def _number_fits_its_type(self, data: dict[str, str], **_: object) -> None:
        if "id_type" not in data or "id_number" not in data:
            return  # either is wrong already, and said so
        error = document_number_error(data["id_type"], data["id_number"])
        if error is not None:
            raise ValidationError(error, "id_number")

    @post_load
    def _canonical(self, data: dict[str, str], **_: object) -> dict[str, str]:
        data["id_type"], data["id_number"] = canonical_document(data["id_type"], data["id_number"])
        return data


class ClerkRequestSchema(DocumentSchema):
    """添加 / 修改 a clerk (经办人): 证件类型 and number, name and mobile phone, as the legal
    representative types them. A wrong number or name is accepted here, but its clerk cannot
    scan in (manual 3.1.1 注)."""

    class Meta:
        unknown = RAISE

    name = Name(
        required=True,
        validate=validate.Length(min=1, max=50, error="办事员姓名不能为空且不超过50字"),
        metadata={"description": "办事员姓名", "example": "李四"},
    )
    phone = fields.String(
        required=True,
        validate=validate.Regexp(MOBILE_PATTERN, error="手机号码格式不正确"),
        metadata={"description": "办事员手机号码", "example": "13900139000"},
    )


class GrantsRequestSchema(ContractSchema):
    """单位授权: the relations the clerk is to hold from now on (an empty list revokes all)."""

    class Meta:
        unknown = RAISE

    relation_ids = fields.List(
        Identifier(),
        required=True,
        validate=validate.Length(max=MAX_RELATIONS, error=f"最多{MAX_RELATIONS}项"),
        metadata={"description": "参保关系编号"},
    )


class RelationSchema(ContractSchema):
    """参保关系: a unit number, its insurance type and the agency that insures it."""

    relation_id = fields.String(required=True)
    unit_no = fields.String(required=True, metadata={"description": "单位编号"})
    insurance = InsuranceType(required=True, metadata={"description": "险种"})
    agency = fields.String(required=True, metadata={"description": "参保机构"})


class MarkedRelationSchema(RelationSchema):
    """A relation of 授权单位列表 (the agency window): marked when the clerk asked about holds it."""

    granted = fields.Boolean(required=True, metadata={"description": "the clerk holds it (shown yellow)"})


class ClerkSchema(ContractSchema):
    """A clerk as listed: the document's type, its number masked, and the relations granted."""

    clerk_id = fields.String(required=True)
    id_type = IdType(required=True, metadata={"description": "证件类型"})
    id_number = fields.String(required=True, metadata={"description": "masked", "example": "11010519491********"})
    name = fields.String(required=True)
    phone = fields.String(required=True)
    relation_ids = fields.List(fields.String(), required=True)


class AuditQuerySchema(ContractSchema):
    """A page of the grant history (newest first), of one clerk's if ``clerk_id``."""

    class Meta:
        unknown = RAISE

    clerk_id = Identifier(load_default=None, allow_none=True)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000, error="页码应为1至100000"))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100, error="每页条数应为1至100"))


class WindowGrantSchema(DocumentSchema):
    """The relations to grant the clerk known by this document."""

    class Meta:
        unknown = RAISE

    relation_ids = fields.List(
        Identifier(),
        required=True,
        validate=validate.Length(min=1, max=MAX_RELATIONS, error=f"请选择1至{MAX_RELATIONS}项参保关系"),
    )


class WindowAuthorizationSchema(ContractSchema):
    """公共服务单位用户授权 (manual 3.1.2), submitted by agency staff: the materials checked (at
    least one attachment they uploaded), the clerks to add (or correct), and the relations to
    grant each clerk (by 证件类型 and number; a clerk added here or earlier)."""

    class Meta:
        unknown = RAISE

    uscc = Uscc(required=True, metadata={"description": "统一社会信用代码"})
    attachment_ids = fields.List(
        Identifier(),
        required=True,
        validate=validate.Length(min=1, max=20, error="请至少上传一份附件(最多20份)"),
    )
    clerks = fields.List(
        fields.Nested(ClerkRequestSchema), load_default=list, validate=validate.Length(max=50, error="最多50名办事员")
    )
    grants = fields.List(
        fields.Nested(WindowGrantSchema), load_default=list, validate=validate.Length(max=50, error="最多50项授权")
    )

    @validates_schema
    def _something_to_do(self, data: dict[str, object], **kwargs: object) -> None:
        if not data.get("clerks") and not data.get("grants"):
            raise ValidationError("请添加办事员或选择授权的参保关系", field_name="clerks")


class AttachmentSchema(ContractSchema):
    """An uploaded attachment: ``content_type`` as found in its bytes, not as declared."""

    attachment_id = fields.String(required=True)
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    content_type = fields.String(required=True, validate=validate.OneOf(["image/png", "image/jpeg", "application/pdf"]))
    filename = fields.String(required=True)
