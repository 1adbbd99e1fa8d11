"""Request and response schemas of the 依申请公开 API (django-ninja).

The endpoints are in :mod:`gongkai.inforequests.api`; these are the shapes they take
and give, with the Chinese descriptions the OpenAPI page shows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from gongkai.core.inforequest_flow import Status
from gongkai.core.inforequest_intake import INTAKE_MAX_LENGTHS

__all__ = [
    "ON",
    "AssignIn",
    "BackdatedActionOut",
    "ClarificationIn",
    "ConsultationIn",
    "DateOrNone",
    "DecisionIn",
    "DelayIn",
    "DeliveryIn",
    "EndConsultationIn",
    "EventOut",
    "ExtendIn",
    "FeeIn",
    "LetterOut",
    "ListFilters",
    "ListOut",
    "NoteIn",
    "OnIn",
    "ReasonIn",
    "ReasonsIn",
    "RegisteredOut",
    "RegistrationIn",
    "RequestOut",
    "RevealIn",
    "RevealOut",
    "SendReplyIn",
]

DateOrNone = date | None
ON = Field(None, description="操作日期（YYYY-MM-DD），不填为今天；不能晚于今天")


class _StepNoteOut(Schema):
    """A step the status allows that the 条例 limits on this case (§1a)."""

    action: str = Field(..., description="操作")
    label: str = Field(..., description="操作名称（中文）")
    article: str = Field(..., description="依据的条款")


class UnavailableActionOut(_StepNoteOut):
    reason: str = Field(
        ..., description="不能办理的原因（写明条款，可以办理的，写明起始日期）"
    )
    possible_from: DateOrNone = Field(
        None, description="最早可以办理的日期（无则为空）"
    )


class BackdatedActionOut(_StepNoteOut):
    reason: str = Field(
        ..., description="今天不能办理的原因（写明条款和最后可以办理的日期）"
    )
    possible_until: date = Field(
        ..., description="只能补录：操作日期（on）不能晚于该日，须填写"
    )


class RequestOut(Schema):
    id: int
    organisation_id: int = Field(..., description="受理机关")
    handed_in_at_id: int | None = Field(
        None,
        description="收件地点（社区居委会、村委会等非公开主体），直接向受理机关提交的为空",
    )
    handed_in_at_name: str = Field(
        "", description="收件地点名称（经由该处转交受理机关）"
    )
    tracking_number: str = Field(..., description="申请编号")
    channel: str = Field(..., description="申请方式")
    submitted_on: date = Field(..., description="提交日期")
    received_on: date = Field(..., description="收到申请之日（条例第三十一条）")
    applicant_type: str = Field(..., description="申请人类型（表三的列）")
    applicant_name: str = Field(..., description="申请人姓名/名称")
    id_type: str = Field(..., description="身份证明类型")
    id_number: str = Field(..., description="证件号码（已隐藏部分）")
    phone: str = Field(..., description="联系电话（已隐藏部分）")
    email: str = Field(..., description="电子邮箱（已隐藏部分）")
    address: str = Field(..., description="通信地址（已隐藏部分）")
    description: str = Field(..., description="所需政府信息的描述")
    status: str = Field(..., description="办理状态")
    status_label: str = Field(..., description="办理状态（中文）")
    handler_id: int | None = Field(None, description="承办人")
    outcome: str = Field(..., description="办理结果（表三的行），未办结为空")
    due_on: DateOrNone = Field(None, description="答复期限")
    due_provisional: bool = Field(..., description="期限为临时计算（节假日安排未录入）")
    overdue: bool = Field(..., description="已超期（按今天计算，不存储）")
    urgency: str = Field(
        ..., description="紧急程度：on_time/due_soon/overdue/closed/unknown"
    )
    urgency_label: str = Field(..., description="紧急程度（中文）")
    concluded_on: DateOrNone = Field(None, description="办结日期")
    allowed_actions: list[str] = Field(
        ..., description="当前可执行的操作（状态允许且今天起可以办理）"
    )
    backdated_actions: list[BackdatedActionOut] = Field(
        ...,
        description="今天已不能办理、只能补录此前已办理的操作（须填写不晚于 possible_until 的 on）",
    )
    unavailable_actions: list[UnavailableActionOut] = Field(
        ..., description="状态允许、但依条例目前不能办理的操作及原因"
    )


class RegisteredOut(Schema):
    request: RequestOut
    query_code: str = Field(
        ..., description="申请人查询码（只返回这一次，系统只存摘要）"
    )
    receipt_letter_id: int = Field(..., description="接收回执的文书编号")


class RegistrationIn(Schema):
    organisation_id: int = Field(
        ...,
        description="收件机构：受理机关，或其下的社区居委会、村委会（非公开主体）——"
        "在那里收到的申请由其所属的街道办事处、乡镇人民政府受理，"
        "返回的 organisation_id 为受理机关，handed_in_at_id 为收件地点",
    )
    channel: str = Field(
        ...,
        description="申请方式：in_person 当面 / oral 口头 / registered_post 邮寄需签收 / "
        "ordinary_letter 平常信函 / fax 传真 / email 电子邮件 / online 网络平台",
    )
    submitted_on: date = Field(..., description="提交（寄出、发送）日期")
    signed_for_on: DateOrNone = Field(None, description="签收日期（邮寄需签收时必填）")
    confirmed_on: DateOrNone = Field(
        None, description="确认日期（平常信函、传真、电子邮件、网络平台时必填）"
    )
    applicant_type: str = Field(
        ..., description="申请人类型：natural/commercial/research/social/legal/other"
    )
    applicant_name: str = Field(
        ...,
        max_length=INTAKE_MAX_LENGTHS["applicant_name"],
        description="申请人姓名或名称",
    )
    id_type: str = Field(..., description="身份证明类型，如 resident_id、credit_code")
    id_number: str = Field(
        ..., max_length=INTAKE_MAX_LENGTHS["id_number"], description="证件号码"
    )
    legal_representative: str = Field(
        "",
        max_length=INTAKE_MAX_LENGTHS["legal_representative"],
        description="法定代表人/负责人（法人或其他组织必填）",
    )
    contact_person: str = Field(
        "", max_length=INTAKE_MAX_LENGTHS["contact_person"], description="联系人"
    )
    phone: str = Field(
        "", max_length=INTAKE_MAX_LENGTHS["phone"], description="联系电话"
    )
    email: str = Field(
        "", max_length=INTAKE_MAX_LENGTHS["email"], description="电子邮箱"
    )
    address: str = Field(
        "", max_length=INTAKE_MAX_LENGTHS["address"], description="通信地址"
    )
    postcode: str = Field(
        "", max_length=INTAKE_MAX_LENGTHS["postcode"], description="邮政编码"
    )
    description: str = Field(
        ...,
        max_length=INTAKE_MAX_LENGTHS["description"],
        description="所需政府信息的名称、文号或特征性描述",
    )
    form: str = Field("paper", description="指定提供形式：paper/electronic/other")
    delivery: str = Field(
        "post", description="获取信息方式：post/email/fax/pickup/online"
    )


class OnIn(Schema):
    on: DateOrNone = ON


class NoteIn(OnIn):
    note: str = Field("", description="说明")


class SendReplyIn(OnIn):
    delivery_method: str = Field(
        "", description="送达方式（填写则一并登记答复告知书的送达，送达日期为操作日期）"
    )
    tracking: str = Field("", description="邮件单号")


class ClarificationIn(OnIn):
    deadline: date = Field(..., description="补正期限")
    what: str = Field(..., description="需要补正的事项（一次性告知）")


class ReasonsIn(OnIn):
    reasons_due: date = Field(..., description="申请人说明理由的期限（条例第三十五条）")


class DelayIn(OnIn):
    new_due: date = Field(..., description="延迟答复的期限（条例第三十五条）")
    reason: str = Field(..., description="延迟答复的理由")


class ReasonIn(OnIn):
    reason: str = Field(..., description="理由")


class ReopenIn(OnIn):
    decided_on: date = Field(..., description="行政复议决定或判决的作出日期")
    delivered_on: date = Field(
        ..., description="决定或判决送达本机关的日期（重新答复期限自此起算）"
    )
    period_working_days: int | None = Field(
        None,
        description="决定或判决给出的重新答复期限（工作日）；未写明的留空，按20个工作日",
    )
    appeal_ref: str = Field("", description="复议决定书或判决书文号")


class ExtendIn(OnIn):
    working_days: int = Field(
        ..., description="延长的工作日数（1至20；条例第三十三条第二款只允许延长一次）"
    )
    reason: str = Field(..., description="延期理由")


class ConsultationIn(OnIn):
    party: Literal["third_party", "other_agency"] = Field(
        ...,
        description="征求对象：third_party 第三方（第三十二条）/ other_agency 其他机关（第三十四条）",
    )
    name: str = Field(..., description="被征求意见的单位或个人")
    reason: str = Field("", description="征求意见的原因（写入第三方征求意见书）")
    delivered_on: DateOrNone = Field(
        None,
        description="对方收到征求意见书的日期（已知时填写；15个工作日自该日起算）",
    )


class EndConsultationIn(OnIn):
    ref: str = Field("", description="征求意见编号（只有一项进行中时可不填）")
    opinion: Literal["", "agree", "object", "no_reply"] = Field(
        "",
        description="对方意见：agree 同意公开 / object 不同意公开 / no_reply 逾期未提出意见"
        "（须在收到征求意见书之日起15个工作日届满后）",
    )
    answer: str = Field("", description="意见内容")
    delivered_on: DateOrNone = Field(
        None, description="对方收到征求意见书的日期（发出时未记录的）"
    )


class FeeIn(OnIn):
    method: Literal["per_volume", "per_piece"] = Field(
        ..., description="计费方式：per_volume 按量（页）/ per_piece 按件"
    )
    pages: int = Field(0, description="页数（按量）")
    pieces: int = Field(
        1, description="本申请件数（按件；本月此前的件数由系统按申请记录计算）"
    )
    delivered_on: DateOrNone = Field(
        None, description="收费通知送达日期，不填同发出日期"
    )
    payment_method: str = Field("", description="缴费方式")


class DecisionIn(OnIn):
    outcome: str = Field(
        ..., description="办理结果：表三的21行之一，如 granted、withheld.state_secret"
    )
    variant: str = Field(
        "default", description="答复方式：default / already_public / not_responsible"
    )
    note: str = Field("", description="理由/说明（部分公开必填）")
    details: dict[str, str] = Field(
        {},
        description='答复告知书需要填写的内容，如 {"search_scope": "…"}；部分公开另需'
        " withheld_ground（不予公开部分的依据，withheld.* 之一）；第三方不同意公开而决定公开的，"
        "另需 disclosure_reason（书面告知第三方的理由）",
    )


class AssignIn(Schema):
    handler_id: int | None = Field(None, description="承办人（空为取消指定）")


class RevealIn(Schema):
    field: Literal["id_number", "phone", "email", "address"] = Field(
        ..., description="要查看完整内容的字段（记入审计日志）"
    )


class RevealOut(Schema):
    field: str
    value: str = Field(..., description="完整内容")


class EventOut(Schema):
    on: date = Field(..., description="发生日期")
    at: datetime = Field(..., description="记录时间")
    actor: str = Field(..., description="操作人")
    action: str = Field(..., description="操作")
    from_status: str = Field(..., description="原状态")
    to_status: str = Field(..., description="新状态")
    data: dict[str, Any] = Field(..., description="详情")


class LetterOut(Schema):
    id: int
    kind: str = Field(..., description="文书类型")
    title: str = Field(..., description="标题")
    number: str = Field(..., description="文号")
    issued_on: date = Field(..., description="出具日期")
    status: str = Field(..., description="送达状态：ready/sent/failed")
    delivery_method: str = Field(..., description="送达方式")
    delivery_tracking: str = Field(..., description="邮件单号")
    delivered_on: DateOrNone = Field(None, description="送达日期")
    paragraphs: list[str] = Field(..., description="正文段落")


class DeliveryIn(Schema):
    method: str = Field(..., description="送达方式，如 直接送达、邮寄送达、电子送达")
    delivered_on: DateOrNone = Field(None, description="送达日期")
    tracking: str = Field("", description="邮件单号")
    failed: bool = Field(False, description="送达失败")


# The list's urgency filters (inforequests.selectors.inforequest_list_filtered).
_URGENCY_FILTERS = ("on_time", "due_soon", "overdue", "provisional")


class ListFilters(Schema):
    organisation_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="机构（含下级），不填为全部可见机构"
    )
    status: str = Field("", description="办理状态；空为未办结，all 为全部")
    urgency: str = Field("", description="on_time / due_soon / overdue / provisional")

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        known = [str(s) for s in Status]
        if value not in ("", "all", *known):
            raise ValueError(
                "不是可选的办理状态（空、all 或 " + "、".join(known) + "）"
            )
        return value

    @field_validator("urgency")
    @classmethod
    def _known_urgency(cls, value: str) -> str:
        if value not in ("", *_URGENCY_FILTERS):
            raise ValueError(
                "不是可选的期限状态（" + "、".join(_URGENCY_FILTERS) + "）"
            )
        return value

    year: int | None = Field(None, ge=1, le=9999, description="编号年份")
    q: str = Field("", description="申请编号（部分匹配）")
    limit: int = Field(50, ge=1, le=200, description="每页条数（最多200）")
    offset: int = Field(0, ge=0, le=10**9, description="起始位置")


class ListOut(Schema):
    count: int
    items: list[RequestOut]


# --------------------------------------------------------------------------- 转办、协办


class TransferIn(OnIn):
    to_organisation_id: int = Field(
        description="接收机关（本平台上的政府信息公开主体）"
    )
    reason: str = Field(description="转办理由（不属于本机关负责公开的理由）")


class DeclineIn(OnIn):
    reason: str = Field(description="不接收的理由")


class TransferOut(Schema):
    id: int
    status: str
    from_request_id: int
    from_tracking_number: str
    from_organisation_name: str
    to_organisation_id: int
    to_organisation_name: str
    to_request_id: int | None
    to_tracking_number: str
    reason: str
    proposed_on: date
    decided_on: date | None
    decline_reason: str


class TransferAcceptedOut(Schema):
    transfer: TransferOut
    request: RequestOut
    query_code: str = Field(
        description="新申请的查询码（仅显示一次，请书面告知申请人）"
    )


class AssistanceIn(OnIn):
    organisation_id: int = Field(description="协办机关（本平台上的政府信息公开主体）")
    question: str = Field(description="协办事项")
    due_on: date | None = Field(None, description="请求回复期限")


class AssistanceAnswerIn(OnIn):
    answer: str = Field(description="协办回复")


class AssistanceOut(Schema):
    id: int
    request_id: int
    tracking_number: str
    organisation_id: int
    organisation_name: str
    question: str
    asked_on: date
    due_on: date | None
    answer: str
    answered_on: date | None
