"""The error catalogue (API.md) and the one exception type that carries it across RPC.

Messages are the user manual's texts, character for character; where the manual has none the
text is the platform's own and stays stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    status: int
    message: str


def _entries(*rows: tuple[str, int, str]) -> dict[str, CatalogueEntry]:
    return {code: CatalogueEntry(code, status, message) for code, status, message in rows}


CATALOGUE: dict[str, CatalogueEntry] = _entries(
    # manual 5.1.1
    ("ENTERPRISE_NOT_VERIFIED", 422, "企业信息在组织机构相关信息库验证失败,无法注册!"),
    # manual 5.1.2
    ("LEGAL_ACCOUNT_EXISTS", 409, "根据统一社会信用代码发现,当前法人账号已经存在,可以直接扫码登录!"),
    # manual 5.2.1.1 - 5.2.1.5
    ("ACCOUNT_REQUIRED", 400, "账号不能为空!"),
    ("PASSWORD_REQUIRED", 400, "密码不能为空!"),
    ("BAD_CREDENTIALS", 401, "用户名或密码错误!"),
    ("ACCOUNT_NOT_FOUND", 401, "未查询到登录人信息,请注册!"),
    ("USE_QR_LOGIN", 401, "根据统一社会信用代码发现,当前法人账号已经存在,可以直接扫码登录!"),
    # manual 5.2.2.1, 5.2.2.2
    ("LEGAL_ACCOUNT_NOT_FOUND", 401, "未找到当前法人账号信息,请先注册法人账号!"),
    ("CLERK_ACCOUNT_NOT_FOUND", 401, "未找到当前办事员账号信息,请联系法人授权或者去窗口授权!"),
    # manual 5.3; the numbers are masked by the caller (masking.py)
    (
        "PUBLIC_SERVICE_REGISTRATION_MISSING",
        422,
        "系统没有识别到统一社会信用代码:{uscc} 以及法人信息证件号码:{id_number}的有效公共服务注册信息,"
        "请在公共服务端办理注册后再由经办机构进行授权操作。",
    ),
    # the platform's own
    ("REGISTRATION_MISMATCH", 422, "注册信息与参保登记信息不一致,请核对后重新注册!"),
    ("REGISTRATION_IN_PROGRESS", 409, "该单位的注册正在办理中,请稍后再试!"),
    ("VALIDATION_FAILED", 400, "输入信息有误,请检查后重新提交!"),
    ("MALFORMED_REQUEST", 400, "请求格式错误,请提交合法的JSON!"),
    ("PAYLOAD_TOO_LARGE", 413, "请求内容过大!"),
    ("NOT_FOUND", 404, "请求的资源不存在!"),
    ("METHOD_NOT_ALLOWED", 405, "不支持该请求方法!"),
    ("ENTERPRISE_NOT_FOUND", 404, "未找到该单位信息!"),
    ("SERVICE_UNAVAILABLE", 503, "服务暂时不可用,请稍后再试!"),
    ("TOO_MANY_REQUESTS", 429, "请求过于频繁,请稍后再试!"),
    ("REGISTRATION_ATTEMPTS_EXCEEDED", 429, "该统一社会信用代码注册尝试次数过多,请稍后再试!"),
    ("REQUEST_TIMEOUT", 408, "请求超时,请重新提交!"),
    ("ACCOUNT_LOCKED", 423, "登录失败次数过多,账号已锁定,请{minutes}分钟后再试!"),
    ("LOGIN_ATTEMPTS_EXCEEDED", 429, "登录尝试过于频繁,请稍后再试!"),
    ("UNAUTHENTICATED", 401, "请先登录!"),
    ("FORBIDDEN", 403, "当前用户无权使用该功能!"),
    ("CSRF_TOKEN_INVALID", 403, "页面已过期,请刷新页面后重试!"),
    ("CURRENT_PASSWORD_WRONG", 400, "原密码错误!"),
    ("FRESH_LOGIN_REQUIRED", 403, "为保障账户安全,请重新扫码登录后再设置密码!"),
    ("ACCOUNT_NAME_TAKEN", 409, "该账号已被使用!"),
    ("QR_SESSION_NOT_FOUND", 404, "二维码不存在或已失效,请刷新二维码!"),
    ("QR_SESSION_CLOSED", 409, "二维码已失效,请刷新二维码!"),
    ("QR_ALREADY_SCANNED", 409, "该二维码已被他人扫描!"),
    ("SLOW_DOWN", 429, "查询过于频繁,请稍后再试!"),
    ("INVALID_ASSERTION", 401, "电子社保卡认证信息无效!"),
    ("ASSERTION_REPLAYED", 409, "该电子社保卡认证信息已使用!"),
    ("ATTACHMENT_TYPE_NOT_ALLOWED", 415, "附件格式不正确,仅支持PNG、JPEG图片或PDF文件!"),
    ("ATTACHMENT_TOO_LARGE", 413, "附件大小超出限制,请上传不超过{megabytes}MB的文件!"),
    ("ATTACHMENT_REQUIRED", 400, "请选择要上传的附件!"),
    ("MALFORMED_UPLOAD", 400, "上传内容格式错误,请重新选择文件上传!"),
    ("CLERK_NOT_FOUND", 404, "未找到该办事员信息!"),
    ("CLERK_EXISTS", 409, "该办事员已添加,请勿重复添加!"),
    ("RELATION_NOT_FOUND", 422, "所选参保关系不属于本单位!"),
    ("BUSINESS_ITEM_NOT_FOUND", 404, "未找到该业务事项!"),
    ("ATTACHMENT_NOT_FOUND", 422, "附件不存在或不是当前用户上传的,请重新上传!"),
    ("CASE_NOT_FOUND", 404, "未找到该办件信息!"),
    ("CASE_STATUS_CONFLICT", 409, "该办件当前状态为“{status}”,不能进行此操作!"),
    ("ITEM_NOT_ONLINE", 422, "该业务需到经办机构窗口办理!"),
    ("ITEM_NOT_APPLICABLE", 422, "所选参保关系的险种不能办理该业务!"),
    ("RELATION_NOT_GRANTED", 403, "当前用户没有该参保关系的经办权限!"),
    ("UPLOAD_LIMIT_EXCEEDED", 429, "上传附件次数已达上限,请稍后再试!"),
    ("KEY_INFO_USCC_TAKEN", 409, "变更后的统一社会信用代码已被其他单位注册,请核对后重新提交!"),
    ("UNIT_NOT_FOUND", 404, "未找到该单位编号信息!"),
    ("CREDIT_CODE_MISMATCH", 422, "信用代码须与该单位当前的统一社会信用代码一致!"),
    ("INTERNAL_ERROR", 500, "系统内部错误,请稍后再试!"),
)


class CatalogueError(Exception):
    """An outcome the caller must see with its catalogue code.

    ``args`` are ``(code, fields, params, details)`` so the error survives nameko's RPC
    serialisation and is rebuilt on the calling side (``hrss_kit.rpc``): ``fields`` maps a
    request field to a list of messages, ``params`` fills the placeholders of the catalogue
    message, ``details`` are facts a client acts on, added to the error body as they are
    (``CASE_STATUS_CONFLICT``'s ``current_status``).
    """

    def __init__(
        self,
        code: str,
        fields: dict[str, list[str]] | None = None,
        params: dict[str, str] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        if code not in CATALOGUE:
            raise ValueError(f"unknown catalogue code {code!r}")
        super().__init__(code, fields or {}, params or {}, details or {})
        self.code = code
        self.fields: dict[str, list[str]] = fields or {}
        self.params: dict[str, str] = params or {}
        self.details: dict[str, Any] = details or {}

    @property
    def entry(self) -> CatalogueEntry:
        return CATALOGUE[self.code]

    @property
    def status(self) -> int:
        return self.entry.status

    @property
    def message(self) -> str:
        return self.entry.message.format(**self.params) if self.params else self.entry.message

    def to_body(self) -> dict[str, Any]:
        """The HTTP error body of API.md."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        for key, value in self.details.items():
            error.setdefault(key, value)  # never in place of the code or the message
        if self.fields:
            error["fields"] = self.fields
        return {"error": error}

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
