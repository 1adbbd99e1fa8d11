"""Which named fields each letter template may use, and their Chinese labels.

Each template key has a fixed set of fields (:data:`TEMPLATE_FIELDS`); a template
using any other field is refused when it is built. :data:`FIELD_LABELS` names the
fields in error messages and on the template editor. The key of a reply letter comes
from its table-三 outcome and, for two rows, a :class:`ReplyVariant`.
"""

from __future__ import annotations

from enum import StrEnum

from gongkai.core.inforequest_flow import Outcome
from gongkai.core.letters.document import TemplateError

# Fields every template of the applicant-facing letters may use, with Chinese names
# used in error messages and on the template editor.
FIELD_LABELS: dict[str, str] = {
    "applicant_name": "申请人姓名或名称",
    "you": "对申请人的称呼（您／贵单位）",
    "body_name": "本机关名称",
    "received_on": "收到申请日期",
    "registration_no": "申请编号",
    "request_summary": "申请内容摘要",
    "channel": "提交方式",
    "due_on": "答复期限届满日",
    "items_to_correct": "需要补正的事项",
    "correction_due_on": "补正期限",
    "extension_days": "延长的工作日数",
    "original_due_on": "原答复期限",
    "new_due_on": "延长后的答复期限",
    "extension_reason": "延期理由",
    "addressee_name": "受文单位或个人",
    "information": "所涉政府信息",
    "consultation_reason": "征求意见的原因",
    "reply_by": "提出意见的期限",
    "fee_lines": "收费计算明细",
    "fee_amount": "收费金额（元）",
    "fee_basis": "收费依据",
    "payment_method": "缴费方式",
    "payment_days": "缴费期限（工作日）",
    "payment_due_on": "缴费截止日期",
    "provision": "提供信息的形式和途径",
    "access_method": "获取信息的方式和途径",
    "provided_part": "予以公开的内容",
    "withheld_part": "不予公开的内容",
    "withheld_reason": "不予公开的理由",
    "withheld_basis": "不予公开部分的法律依据",
    "prohibiting_law": "禁止公开的法律、行政法规及条款",
    "security_ground": "可能危及的方面及理由",
    "third_party_reason": "涉及第三方合法权益的情况",
    "internal_type": "内部事务信息的类别",
    "process_type": "过程性信息的类别",
    "special_law": "作出特别规定的法律、行政法规",
    "query_channel": "查询途径",
    "search_scope": "检索范围和方式",
    "responsible_body": "负责公开的行政机关",
    "reason": "理由",
    "unclear_points": "仍不明确的内容",
    "clarification_notice_no": "补正告知书文号",
    "proper_channel": "相应的办理渠道",
    "earlier_reply_on": "此前答复日期",
    "earlier_reply_no": "此前答复文号",
    "reasons_requested_on": "要求说明理由的日期",
    "fee_notice_no": "收费通知书文号",
    "reasons_due_on": "说明理由的期限",
    "delay_reason": "延迟答复的理由",
    "disclosure_reason": "决定公开的理由",
    "consulted_party": "被征求意见方",
}

_COMMON = frozenset(
    {"applicant_name", "you", "body_name", "received_on", "request_summary"}
)


class ReplyVariant(StrEnum):
    """A reply wording that differs within one table-三 row."""

    DEFAULT = "default"
    # 予以公开 of information already proactively disclosed: Art. 36(一), not 36(二).
    ALREADY_PUBLIC = "already_public"
    # 本机关不掌握 because another agency is responsible: Art. 36(五), not 36(四).
    NOT_RESPONSIBLE = "not_responsible"


def reply_template_key(
    outcome: Outcome, variant: ReplyVariant = ReplyVariant.DEFAULT
) -> str:
    """The template key of a reply letter: ``reply.<row>`` or ``reply.<row>.<variant>``."""
    allowed = {
        ReplyVariant.ALREADY_PUBLIC: Outcome.GRANTED,
        ReplyVariant.NOT_RESPONSIBLE: Outcome.UNABLE_NOT_HELD,
    }
    if variant is ReplyVariant.DEFAULT:
        return f"reply.{outcome.value}"
    if allowed[variant] is not outcome:
        raise TemplateError(
            f"办理结果“{outcome.label}”没有“{variant.value}”这种答复方式"
        )
    return f"reply.{outcome.value}.{variant.value}"


_REPLY_FIELDS: dict[str, frozenset[str]] = {
    "reply.granted": frozenset({"provision"}),
    "reply.granted.already_public": frozenset({"access_method"}),
    "reply.partial": frozenset(
        {
            "provided_part",
            "provision",
            "withheld_part",
            "withheld_reason",
            "withheld_basis",
        }
    ),
    "reply.withheld.state_secret": frozenset(),
    "reply.withheld.other_laws": frozenset({"prohibiting_law"}),
    "reply.withheld.security_stability": frozenset({"security_ground"}),
    "reply.withheld.third_party": frozenset({"third_party_reason"}),
    "reply.withheld.internal_affairs": frozenset({"internal_type"}),
    "reply.withheld.process_info": frozenset({"process_type"}),
    "reply.withheld.case_file": frozenset(),
    "reply.withheld.query_matter": frozenset({"special_law", "query_channel"}),
    "reply.unable.not_held": frozenset({"search_scope"}),
    "reply.unable.not_held.not_responsible": frozenset({"reason", "responsible_body"}),
    "reply.unable.needs_creation": frozenset({"reason"}),
    "reply.unable.unclear": frozenset({"clarification_notice_no", "unclear_points"}),
    "reply.rejected.petition": frozenset({"proper_channel"}),
    "reply.rejected.repeat": frozenset({"earlier_reply_on", "earlier_reply_no"}),
    "reply.rejected.publication": frozenset({"access_method"}),
    "reply.rejected.excessive": frozenset({"reasons_requested_on"}),
    "reply.rejected.confirm": frozenset({"proper_channel"}),
    "reply.other.no_supplement": frozenset(
        {"clarification_notice_no", "correction_due_on"}
    ),
    "reply.other.no_fee": frozenset({"fee_notice_no", "payment_due_on"}),
    "reply.other.other": frozenset({"reason"}),
}

# Allowed fields of every template key.
TEMPLATE_FIELDS: dict[str, frozenset[str]] = {
    "acknowledgement": _COMMON | {"registration_no", "channel", "due_on"},
    "clarification": _COMMON | {"items_to_correct", "correction_due_on"},
    "extension": _COMMON
    | {"extension_days", "original_due_on", "new_due_on", "extension_reason"},
    "third_party_consultation": frozenset(
        {
            "addressee_name",
            "body_name",
            "information",
            "consultation_reason",
            "reply_by",
        }
    ),
    "agency_consultation": frozenset(
        {"addressee_name", "body_name", "information", "reply_by"}
    ),
    "fee_notice": _COMMON
    | {
        "fee_lines",
        "fee_amount",
        "fee_basis",
        "payment_method",
        "payment_days",
        "payment_due_on",
    },
    "reasons_request": _COMMON | {"reasons_due_on"},
    "delay_notice": _COMMON | {"new_due_on", "delay_reason"},
    "consultation_notice": _COMMON | {"consulted_party"},
    "third_party_disclosure": frozenset(
        {"addressee_name", "body_name", "information", "disclosure_reason"}
    ),
    **{key: _COMMON | extra for key, extra in _REPLY_FIELDS.items()},
}
