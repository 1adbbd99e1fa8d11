"""Content of the letters of an application (依申请公开), as pure data — no DOCX here.

A :class:`Letter` is what a renderer lays out: title, 文号, addressee, paragraphs,
date, issuing body and a seal placeholder. Functions build one from plain values.

The wording an organisation may edit is a :class:`LetterTemplate`: a title and
paragraphs with named fields (``{applicant_name}``, ``{received_on}``, ``{due_on}`` …).
:func:`render_template` fills them and refuses, in Chinese, a field that is unknown
or has no value. Each template key has a fixed set of fields (:data:`TEMPLATE_FIELDS`);
a template using any other field is refused when it is built, so a bad edit is caught
when it is saved, not when a letter is due.

Legal content that must not be edited away — the remedies paragraph (行政复议法 2023,
行政诉讼法) — is produced by code: :func:`remedies_paragraph`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from gongkai.core.fees import DEFAULT_SCHEDULE, FeeAssessment, FeeSchedule
from gongkai.core.inforequest_flow import (
    MAX_EXTENSION_WORKING_DAYS,
    Outcome,
    OutcomeGroup,
)

__all__ = [
    "DEFAULT_TEMPLATES",
    "FIELD_LABELS",
    "TEMPLATE_FIELDS",
    "AgencyKind",
    "IssuingBody",
    "Letter",
    "LetterTemplate",
    "Remedies",
    "ReplyVariant",
    "TemplateError",
    "acknowledgement_receipt",
    "agency_consultation_letter",
    "chinese_date",
    "clarification_notice",
    "consultation_notice",
    "delay_notice",
    "extension_notice",
    "fee_notice",
    "format_document_number",
    "reasons_request",
    "remedies_paragraph",
    "render_template",
    "reply_letter",
    "reply_template_key",
    "review_body_rule",
    "third_party_consultation_letter",
    "third_party_disclosure_notice",
]

REGULATION = "《中华人民共和国政府信息公开条例》"
_REG = "《条例》"  # short form after the first citation in a letter


class TemplateError(ValueError):
    """A template with an unknown, missing or malformed field (message in Chinese)."""


# --------------------------------------------------------------------------- basics


def chinese_date(day: date) -> str:
    """A date as 公文 print it (GB/T 9704-2012, Arabic numerals): ``2026年3月2日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def format_document_number(prefix: str, year: int, serial: int) -> str:
    """A 发文字号: ``format_document_number("洛街公开", 2026, 3)`` → ``洛街公开〔2026〕3号``.

    GB/T 9704-2012 7.2.4: year in 六角括号 〔〕, serial without leading zeros or 第.
    """
    prefix = prefix.strip()
    if not prefix:
        raise TemplateError("发文机关代字不能为空")
    if not 1000 <= year <= 9999:
        raise TemplateError(f"年份应为4位数字：{year}")
    if serial < 1:
        raise TemplateError(f"发文顺序号应为正整数：{serial}")
    return f"{prefix}〔{year}〕{serial}号"


@dataclass(frozen=True)
class IssuingBody:
    """The agency that signs the letter; ``seal_text`` marks where the seal goes."""

    name: str
    seal_text: str = "（盖章）"
    contact: str = ""  # e.g. "联系人：王某，电话：0379-6391XXXX"


@dataclass(frozen=True)
class Letter:
    """One letter's content, ready for a renderer (DOCX, PDF, HTML)."""

    key: str  # template key, e.g. "clarification", "reply.withheld.state_secret"
    title: str
    document_number: str
    addressee: str
    paragraphs: tuple[str, ...]
    issued_on: date
    issuing_body: str
    seal_text: str
    attachments: tuple[str, ...] = ()

    @property
    def date_text(self) -> str:
        """The date line, e.g. ``2026年3月2日``."""
        return chinese_date(self.issued_on)

    @property
    def text(self) -> str:
        """Plain-text form (preview, e-mail body, archive copy)."""
        lines = [self.title]
        if self.document_number:
            lines.append(self.document_number)
        lines += ["", f"{self.addressee}："]
        lines += [f"　　{p}" for p in self.paragraphs]
        if len(self.attachments) == 1:
            lines += ["", f"附件：{self.attachments[0]}"]
        elif self.attachments:
            lines.append("")
            for i, name in enumerate(self.attachments, 1):
                lines.append(f"{'附件：' if i == 1 else '　　　'}{i}.{name}")
        lines += ["", self.issuing_body, self.seal_text, self.date_text]
        return "\n".join(lines)


# --------------------------------------------------------------------------- templates

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


def _fields_of(text: str) -> list[str]:
    """Named fields of ``text``; refuses positional, indexed, converted or formatted ones."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise TemplateError(f"模板中的花括号不成对：{text}") from None
    names: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise TemplateError(f"模板字段“{{{name}}}”格式不正确，只能写成{{字段名}}")
        names.append(name)
    return names


def render_template(
    template: str, values: Mapping[str, str], *, allowed: frozenset[str] | None = None
) -> str:
    """Fill ``{field}`` placeholders; ``{{`` and ``}}`` print braces.

    Raises :class:`TemplateError` (Chinese) for a field not in ``allowed`` (when
    given) or with no value in ``values``. Values are inserted as text, never
    interpreted, so attribute or index access is impossible.
    """
    names = _fields_of(template)
    if allowed is not None:
        unknown = [n for n in names if n not in allowed]
        if unknown:
            raise TemplateError(
                "模板中有未知字段：" + "、".join(f"{{{n}}}" for n in unknown)
            )
    missing = [n for n in dict.fromkeys(names) if values.get(n) in (None, "")]
    if missing:
        raise TemplateError(
            "缺少字段的内容："
            + "、".join(f"{{{n}}}（{FIELD_LABELS.get(n, n)}）" for n in missing)
        )
    return template.format_map({n: str(values[n]) for n in names})


@dataclass(frozen=True)
class LetterTemplate:
    """Editable wording of one letter: a title and paragraphs with named fields."""

    key: str
    title: str
    paragraphs: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.key not in TEMPLATE_FIELDS:
            raise TemplateError(f"未知的文书模板：{self.key}")
        allowed = TEMPLATE_FIELDS[self.key]
        for text in (self.title, *self.paragraphs):
            unknown = [n for n in _fields_of(text) if n not in allowed]
            if unknown:
                raise TemplateError(
                    "模板中有未知字段：" + "、".join(f"{{{n}}}" for n in unknown)
                )

    def render(self, values: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
        """The rendered title and paragraphs."""
        allowed = TEMPLATE_FIELDS[self.key]
        title = render_template(self.title, values, allowed=allowed)
        paras = tuple(
            render_template(p, values, allowed=allowed) for p in self.paragraphs
        )
        return title, paras


def _t(key: str, title: str, *paragraphs: str) -> LetterTemplate:
    return LetterTemplate(key, title, tuple(paragraphs))


_RECEIVED = "{body_name}于{received_on}收到{you}提出的政府信息公开申请，申请获取“{request_summary}”。"

_REPLY_TITLE = {
    OutcomeGroup.GRANTED: "政府信息予以公开告知书",
    OutcomeGroup.PARTIAL: "政府信息部分公开告知书",
    OutcomeGroup.WITHHELD: "政府信息不予公开告知书",
    OutcomeGroup.UNABLE: "政府信息无法提供告知书",
    OutcomeGroup.REJECTED: "政府信息公开申请不予处理告知书",
    OutcomeGroup.OTHER: "政府信息公开申请终止处理告知书",
}

_WITHHOLD = "本机关决定不予公开。"

# Decision paragraph of each reply; the receipt paragraph comes before, the
# remedies paragraph after. Each cites its article of the 条例 (reply-types.md §3).
_REPLY_BODIES: dict[str, tuple[str, ...]] = {
    "reply.granted": (
        f"经审查，{{you}}申请获取的信息属于可以公开的政府信息。根据{REGULATION}第三十六条第（二）项的规定，"
        "本机关决定予以公开，{provision}。",
    ),
    "reply.granted.already_public": (
        f"经审查，{{you}}申请获取的政府信息本机关已经主动公开。根据{REGULATION}第三十六条第（一）项的规定，"
        "现告知获取该政府信息的方式和途径：{access_method}。",
    ),
    "reply.partial": (
        f"经审查，{{you}}申请获取的信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。"
        f"根据{REGULATION}第三十七条的规定，本机关决定公开其中的{{provided_part}}，{{provision}}。",
        "{withheld_part}不予公开，理由是：{withheld_reason}，"
        f"依据是{_REG}{{withheld_basis}}的规定。",
    ),
    "reply.withheld.state_secret": (
        f"经审查，{{you}}申请获取的政府信息属于依法确定的国家秘密。根据{REGULATION}第十四条和"
        f"《中华人民共和国保守国家秘密法》的规定，{_WITHHOLD}",
    ),
    "reply.withheld.other_laws": (
        f"经审查，{{you}}申请获取的政府信息属于法律、行政法规禁止公开的政府信息（{{prohibiting_law}}）。"
        f"根据{REGULATION}第十四条的规定，{_WITHHOLD}",
    ),
    "reply.withheld.security_stability": (
        "经审查，{you}申请获取的政府信息公开后可能危及{security_ground}。"
        f"根据{REGULATION}第十四条的规定，{_WITHHOLD}",
    ),
    "reply.withheld.third_party": (
        "经审查，{you}申请获取的政府信息{third_party_reason}，公开会对第三方合法权益造成损害。"
        f"根据{REGULATION}第十五条、第三十二条的规定，{_WITHHOLD}",
    ),
    "reply.withheld.internal_affairs": (
        "经审查，{you}申请获取的政府信息属于本机关的内部事务信息（{internal_type}）。"
        f"根据{REGULATION}第十六条第一款的规定，{_WITHHOLD}",
    ),
    "reply.withheld.process_info": (
        "经审查，{you}申请获取的政府信息属于本机关在履行行政管理职能过程中形成的过程性信息"
        f"（{{process_type}}）。根据{REGULATION}第十六条第二款的规定，{_WITHHOLD}",
    ),
    "reply.withheld.case_file": (
        "经审查，{you}申请获取的政府信息属于行政执法案卷信息。"
        f"根据{REGULATION}第十六条第二款的规定，{_WITHHOLD}"
        "如{you}是该案件的当事人或者利害关系人，可以依照有关法律、法规规定的程序申请查阅案卷材料。",
    ),
    "reply.withheld.query_matter": (
        "经审查，{you}申请获取的信息属于{special_law}对信息获取有特别规定的信息。"
        f"根据{REGULATION}第三十六条第（七）项的规定，请{{you}}依照该规定办理：{{query_channel}}。",
    ),
    "reply.unable.not_held": (
        "经检索（检索范围和方式：{search_scope}），本机关没有{you}申请公开的政府信息。"
        f"根据{REGULATION}第三十六条第（四）项的规定，现告知{{you}}该政府信息不存在。",
    ),
    "reply.unable.not_held.not_responsible": (
        "经审查，{you}申请获取的政府信息不属于本机关负责公开，理由是：{reason}。"
        f"根据{REGULATION}第三十六条第（五）项的规定，现予告知。负责公开该政府信息的行政机关为："
        "{responsible_body}。",
    ),
    "reply.unable.needs_creation": (
        "经审查，本机关没有{you}申请获取的现成信息，需要对现有政府信息进行加工、分析方能形成，"
        f"理由是：{{reason}}。根据{REGULATION}第三十八条的规定，本机关不予提供。",
    ),
    "reply.unable.unclear": (
        "本机关已以《政府信息公开申请补正告知书》（{clarification_notice_no}）告知{you}作出补正。"
        "经审查，{you}补正后的申请内容仍不明确：{unclear_points}。"
        f"根据{REGULATION}第三十条的规定，本机关无法提供。",
    ),
    "reply.rejected.petition": (
        "经审查，{you}以政府信息公开申请的形式提出的事项属于信访、投诉、举报等活动。"
        f"根据{REGULATION}第三十九条第一款的规定，本机关不作为政府信息公开申请处理。"
        "{you}可以通过以下渠道提出：{proper_channel}。",
    ),
    "reply.rejected.repeat": (
        "本机关已于{earlier_reply_on}就{you}的政府信息公开申请作出答复（{earlier_reply_no}），"
        "{you}此次重复申请公开相同的政府信息。"
        f"根据{REGULATION}第三十六条第（六）项的规定，本机关不予重复处理。",
    ),
    "reply.rejected.publication": (
        "经审查，{you}申请获取的是政府公报、报刊、书籍等公开出版物。"
        f"根据{REGULATION}第三十九条第二款的规定，现告知获取途径：{{access_method}}。",
    ),
    "reply.rejected.excessive": (
        "{you}申请公开政府信息的数量、频次明显超过合理范围，本机关已于{reasons_requested_on}"
        f"要求{{you}}说明理由。经审查，本机关认为申请理由不合理。根据{REGULATION}第三十五条的规定，"
        "本机关不予处理。",
    ),
    "reply.rejected.confirm": (
        "经审查，{you}的申请是要求本机关确认或者重新出具{you}已经获取的信息，"
        "不属于申请获取政府信息的情形"
        f"（{REGULATION}第二条、第三十八条），本机关不作为政府信息公开申请处理。"
        "{you}可以通过以下渠道办理：{proper_channel}。",
    ),
    "reply.other.no_supplement": (
        "本机关已以《政府信息公开申请补正告知书》（{clarification_notice_no}）告知{you}作出补正，"
        "补正期限至{correction_due_on}。{you}无正当理由逾期未补正，"
        f"根据{REGULATION}第三十条的规定，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ),
    "reply.other.no_fee": (
        "本机关已以《政府信息公开信息处理费收费通知书》（{fee_notice_no}）告知{you}缴纳信息处理费，"
        "缴费期限至{payment_due_on}。{you}逾期未按收费通知要求缴纳费用，"
        f"根据{REGULATION}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
        "视为放弃申请，本机关不再处理该政府信息公开申请。",
    ),
    "reply.other.other": ("{reason}。本机关终止处理该政府信息公开申请。",),
}


def _reply_template(key: str) -> LetterTemplate:
    outcome = Outcome(
        key.removeprefix("reply.")
        .removesuffix(".already_public")
        .removesuffix(".not_responsible")
    )
    return LetterTemplate(
        key,
        _REPLY_TITLE[outcome.group],
        (_RECEIVED, *_REPLY_BODIES[key]),
    )


DEFAULT_TEMPLATES: dict[str, LetterTemplate] = {
    "acknowledgement": _t(
        "acknowledgement",
        "政府信息公开申请接收回执",
        "{body_name}于{received_on}通过{channel}收到{you}提出的政府信息公开申请"
        "（申请编号：{registration_no}），申请获取“{request_summary}”。",
        f"根据{REGULATION}第三十三条第二款的规定，本机关将在{{due_on}}前作出答复；"
        "需要延长答复期限的，将另行书面告知。",
        f"依照{_REG}第三十三条第三款的规定，本机关征求第三方和其他机关意见所需时间不计算在答复期限内。",
    ),
    "clarification": _t(
        "clarification",
        "政府信息公开申请补正告知书",
        _RECEIVED,
        f"经审查，{{you}}的申请内容不明确。根据{REGULATION}第三十条的规定，"
        "请{you}对以下事项作出补正：{items_to_correct}。",
        "请于{correction_due_on}前将补正后的申请提交本机关。答复期限自本机关收到补正后的申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
    ),
    "extension": _t(
        "extension",
        "政府信息公开申请延期答复告知书",
        _RECEIVED,
        "因{extension_reason}，本机关无法在{original_due_on}前作出答复。"
        f"根据{REGULATION}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，"
        "答复期限延长{extension_days}个工作日，本机关将于{new_due_on}前作出答复。",
    ),
    "third_party_consultation": _t(
        "third_party_consultation",
        "政府信息公开申请征求意见书",
        "{body_name}收到一份政府信息公开申请，申请公开的政府信息为：{information}。"
        "该信息公开可能损害{addressee_name}的合法权益（{consultation_reason}）。",
        f"根据{REGULATION}第三十二条的规定，现书面征求意见。请于收到本征求意见书之日起15个工作日内"
        "（{reply_by}）提出是否同意公开的书面意见；不同意公开的，请说明理由。",
        "逾期未提出意见的，由本机关依照《条例》的规定决定是否公开。",
    ),
    "agency_consultation": _t(
        "agency_consultation",
        "政府信息公开申请协商函",
        "{body_name}收到一份政府信息公开申请，申请公开的政府信息为：{information}。"
        "该信息由本机关牵头、与{addressee_name}共同制作。",
        f"根据{REGULATION}第三十四条的规定，现征求贵机关意见。请于收到本函之日起15个工作日内"
        "（{reply_by}）提出意见；逾期未提出意见的，视为同意公开。",
    ),
    "fee_notice": _t(
        "fee_notice",
        "政府信息公开信息处理费收费通知书",
        _RECEIVED,
        "{you}申请公开政府信息的数量、频次明显超过合理范围。根据{fee_basis}的规定，"
        "本机关决定收取信息处理费{fee_amount}元，计算如下：{fee_lines}。",
        "请{you}自收到本通知书次日起{payment_days}个工作日内（即{payment_due_on}前）"
        "按以下方式缴纳：{payment_method}。本机关自收到费用之日起继续办理{you}的申请。",
        "逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。",
    ),
    "reasons_request": _t(
        "reasons_request",
        "政府信息公开申请说明理由告知书",
        _RECEIVED,
        "{you}申请公开政府信息的数量、频次明显超过合理范围。"
        f"根据{REGULATION}第三十五条的规定，请{{you}}于{{reasons_due_on}}前向本机关说明理由。",
        "本机关认为申请理由不合理的，将告知{you}不予处理；认为理由合理但无法在法定期限内答复的，"
        "将确定延迟答复的合理期限并告知{you}。",
    ),
    "delay_notice": _t(
        "delay_notice",
        "政府信息公开申请延迟答复告知书",
        _RECEIVED,
        "经审查，本机关认为{you}说明的申请理由合理，但因{delay_reason}，无法在法定期限内答复。"
        f"根据{REGULATION}第三十五条的规定，本机关将于{{new_due_on}}前作出答复。",
    ),
    "consultation_notice": _t(
        "consultation_notice",
        "政府信息公开申请征求意见告知书",
        _RECEIVED,
        "{you}申请获取的政府信息需要征求{consulted_party}的意见。"
        f"根据{REGULATION}第三十三条第三款的规定，征求意见所需时间不计算在答复期限内。"
        "本机关将在征求意见结束后依法作出答复。",
    ),
    "third_party_disclosure": _t(
        "third_party_disclosure",
        "政府信息依申请公开告知书",
        "{body_name}就申请公开的政府信息（{information}）征求了{addressee_name}的意见。",
        "经审查，本机关认为不公开可能对公共利益造成重大影响，理由是：{disclosure_reason}。"
        f"根据{REGULATION}第三十二条的规定，本机关决定予以公开，现将决定公开的政府信息内容和理由"
        "书面告知。",
    ),
    **{key: _reply_template(key) for key in _REPLY_BODIES},
}


# --------------------------------------------------------------------------- remedies


class AgencyKind(StrEnum):
    """What kind of body issues the letter; decides the 行政复议机关 (行政复议法 2023)."""

    GOVERNMENT_DEPARTMENT = "government_department"
    LOCAL_GOVERNMENT = "local_government"
    DISPATCHED_ORGAN = "dispatched_organ"
    STATE_COUNCIL_DEPARTMENT = "state_council_department"
    VERTICAL_AGENCY = "vertical_agency"


_REVIEW_RULES: dict[AgencyKind, str] = {
    AgencyKind.GOVERNMENT_DEPARTMENT: (
        "县级以上地方人民政府工作部门：向本级人民政府申请行政复议"
        "（行政复议法第二十四条第一款第（一）项）"
    ),
    AgencyKind.LOCAL_GOVERNMENT: (
        "乡镇、县、市人民政府：向上一级人民政府申请行政复议（行政复议法第二十四条第一款第（二）项）"
    ),
    # [U] 第（三）项 quoted from memory: not in the project's regulation.md §6.
    AgencyKind.DISPATCHED_ORGAN: (
        "街道办事处等人民政府的派出机关：向设立该派出机关的人民政府申请行政复议"
        "（行政复议法第二十四条第一款第（三）项）"
    ),
    AgencyKind.STATE_COUNCIL_DEPARTMENT: (
        "国务院部门：向作出该行政行为的国务院部门申请行政复议（行政复议法第二十五条）"
    ),
    AgencyKind.VERTICAL_AGENCY: (
        "海关、金融、外汇管理等实行垂直领导的行政机关以及税务、国家安全机关："
        "向上一级主管部门申请行政复议（行政复议法第二十七条）"
    ),
}


def review_body_rule(kind: AgencyKind) -> str:
    """Which body reviews this kind of agency's decisions, with the article (for setup)."""
    return _REVIEW_RULES[kind]


@dataclass(frozen=True)
class Remedies:
    """Where the applicant can challenge a reply (set once per organisation)."""

    review_body: str  # e.g. "洛阳市老城区人民政府"
    court: str = "有管辖权的人民法院"


def remedies_paragraph(
    remedies: Remedies, *, outcome: Outcome | None = None, you: str = "您"
) -> str:
    """The remedies clause of a reply (reply-types.md §2.6; regulation.md §6).

    行政复议 within 60 days (行政复议法 2023 第二十条), 行政诉讼 within 6 months
    (行政诉讼法第四十六条). For a refusal to disclose, 复议前置 (行政复议法第二十三条
    第一款第（四）项、第二款): first 行政复议, then a suit within 15 days of the
    review decision (行政诉讼法第四十五条). For 部分公开 only the withheld part is
    subject to it. ``outcome=None`` gives the general clause (e.g. for a third party
    told of a decision to disclose).
    """
    review = f"自收到本告知书之日起60日内向{remedies.review_body}申请行政复议"
    suit = f"自收到本告知书之日起6个月内向{remedies.court}提起行政诉讼"
    first = (
        f"应当先{review}；对行政复议决定不服的，可以自收到行政复议决定书之日起15日内"
        "依法向人民法院提起行政诉讼"
    )
    if outcome is Outcome.PARTIAL:
        return (
            f"{you}对本告知书中不予公开的部分不服的，根据《中华人民共和国行政复议法》"
            f"第二十三条的规定，{first}；对其他内容不服的，可以{review}，或者{suit}。"
        )
    if outcome is not None and outcome.review_first:
        return f"{you}对本决定不服的，根据《中华人民共和国行政复议法》第二十三条的规定，{first}。"
    return f"{you}对本告知书不服的，可以{review}，或者{suit}。"


# --------------------------------------------------------------------------- letters


def _clean(value: str) -> str:
    """Trim a filled-in value; templates supply the closing punctuation."""
    return str(value).strip().rstrip("。．.;；，,")


@dataclass(frozen=True)
class _Head:
    body: IssuingBody
    number: str
    issued_on: date


def _letter(
    key: str,
    head: _Head,
    addressee: str,
    values: Mapping[str, str],
    template: LetterTemplate | None,
    *,
    extra: tuple[str, ...] = (),
    attachments: tuple[str, ...] = (),
) -> Letter:
    tpl = template or DEFAULT_TEMPLATES[key]
    if tpl.key != key:
        raise TemplateError(f"模板“{tpl.key}”不能用于“{key}”")
    cleaned = {k: _clean(v) for k, v in values.items()}
    title, paragraphs = tpl.render({**cleaned, "body_name": head.body.name})
    tail = (head.body.contact,) if head.body.contact else ()
    return Letter(
        key=key,
        title=title,
        document_number=head.number,
        addressee=addressee,
        paragraphs=(*paragraphs, *extra, *tail),
        issued_on=head.issued_on,
        issuing_body=head.body.name,
        seal_text=head.body.seal_text,
        attachments=attachments,
    )


def _applicant_values(
    applicant_name: str, organisation: bool, received_on: date, request_summary: str
) -> dict[str, str]:
    return {
        "applicant_name": applicant_name,
        "you": "贵单位" if organisation else "您",
        "received_on": chinese_date(received_on),
        "request_summary": request_summary,
    }


def acknowledgement_receipt(
    *,
    body: IssuingBody,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    registration_no: str,
    channel: str,
    request_summary: str,
    due_on: date,
    document_number: str = "",
    handed_in_at: str = "",
    template: LetterTemplate | None = None,
) -> Letter:
    """受理回执 (Art. 45 登记): receipt date (Art. 31) and the reply due date (Art. 33).

    ``handed_in_at`` names the place that is not a disclosure body (a 社区居委会) where
    the application was handed in; the receipt says so (Art. 27: the body answers)."""
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values |= {
        "registration_no": registration_no,
        "channel": channel,
        "due_on": chinese_date(due_on),
    }
    via = (
        (f"本申请由{values['you']}在{handed_in_at}提交，由本机关依法受理和答复。",)
        if handed_in_at
        else ()
    )
    return _letter(
        "acknowledgement",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
        extra=via,
    )


def clarification_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    items_to_correct: str,
    correction_due_on: date,
    template: LetterTemplate | None = None,
) -> Letter:
    """补正告知书 (Art. 30): once, within 7 working days of receipt, with a reasonable period."""
    if correction_due_on <= issued_on:
        raise TemplateError("补正期限应晚于告知书日期")
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values |= {
        "items_to_correct": items_to_correct,
        "correction_due_on": chinese_date(correction_due_on),
    }
    return _letter(
        "clarification",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def extension_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    extension_days: int,
    original_due_on: date,
    new_due_on: date,
    extension_reason: str,
    template: LetterTemplate | None = None,
) -> Letter:
    """延期答复告知书 (Art. 33(2)): approved by the 工作机构 head, at most 20 working days."""
    if not 1 <= extension_days <= MAX_EXTENSION_WORKING_DAYS:
        raise TemplateError(f"延长的期限应为1至{MAX_EXTENSION_WORKING_DAYS}个工作日")
    if new_due_on <= original_due_on:
        raise TemplateError("延长后的答复期限应晚于原答复期限")
    if issued_on > original_due_on:
        raise TemplateError("延期答复告知书应在原答复期限届满前发出")
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values |= {
        "extension_days": str(extension_days),
        "original_due_on": chinese_date(original_due_on),
        "new_due_on": chinese_date(new_due_on),
        "extension_reason": extension_reason,
    }
    return _letter(
        "extension",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def third_party_consultation_letter(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    third_party_name: str,
    information: str,
    consultation_reason: str,
    reply_by: date | None = None,
    template: LetterTemplate | None = None,
) -> Letter:
    """第三方意见征询函 (Art. 32): written, 15 working days from the third party's receipt.

    It names the information, never the applicant. ``reply_by`` is the date the
    deadline engine computed, if the receipt date is known; otherwise the letter
    states the rule in words.
    """
    values = {
        "addressee_name": third_party_name,
        "information": information,
        "consultation_reason": consultation_reason,
        "reply_by": f"即{chinese_date(reply_by)}前"
        if reply_by
        else "以送达回证记载的收到日期起算",
    }
    return _letter(
        "third_party_consultation",
        _Head(body, document_number, issued_on),
        third_party_name,
        values,
        template,
    )


def agency_consultation_letter(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    agency_name: str,
    information: str,
    reply_by: date | None = None,
    template: LetterTemplate | None = None,
) -> Letter:
    """协商函 to a co-author agency (Art. 34): 15 working days; silence means consent."""
    values = {
        "addressee_name": agency_name,
        "information": information,
        "reply_by": f"即{chinese_date(reply_by)}前"
        if reply_by
        else "以送达回证记载的收到日期起算",
    }
    return _letter(
        "agency_consultation",
        _Head(body, document_number, issued_on),
        agency_name,
        values,
        template,
    )


def fee_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    assessment: FeeAssessment,
    payment_method: str,
    payment_due_on: date,
    schedule: FeeSchedule = DEFAULT_SCHEDULE,
    template: LetterTemplate | None = None,
) -> Letter:
    """收费通知书 (Art. 42; 国办函〔2020〕109号; fees.md §4.4): basis, figures, how and by when."""
    if assessment.amount <= 0:
        raise TemplateError("收费金额为零时不应发出收费通知书")
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values |= {
        "fee_lines": "；".join(line.text for line in assessment.lines),
        "fee_amount": str(assessment.amount),
        "fee_basis": assessment.basis,
        "payment_method": payment_method,
        "payment_days": str(schedule.payment_period_working_days),
        "payment_due_on": chinese_date(payment_due_on),
    }
    return _letter(
        "fee_notice",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def reasons_request(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    reasons_due_on: date,
    template: LetterTemplate | None = None,
) -> Letter:
    """说明理由告知书 (Art. 35): the applicant explains a clearly excessive quantity/frequency."""
    if reasons_due_on <= issued_on:
        raise TemplateError("说明理由的期限应晚于告知书日期")
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values["reasons_due_on"] = chinese_date(reasons_due_on)
    return _letter(
        "reasons_request",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def delay_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    new_due_on: date,
    delay_reason: str,
    template: LetterTemplate | None = None,
) -> Letter:
    """延迟答复告知书 (Art. 35): reasons accepted, a reasonable later reply date notified."""
    if new_due_on <= issued_on:
        raise TemplateError("延迟答复的期限应晚于告知书日期")
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values |= {"new_due_on": chinese_date(new_due_on), "delay_reason": delay_reason}
    return _letter(
        "delay_notice",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def consultation_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    consulted_party: str,
    template: LetterTemplate | None = None,
) -> Letter:
    """征求意见告知书 to the applicant (Art. 33(3)): consultation time is not counted.

    ``consulted_party`` should be generic (e.g. "第三方", "有关行政机关"), not a name.
    """
    values = _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    values["consulted_party"] = consulted_party
    return _letter(
        "consultation_notice",
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
    )


def third_party_disclosure_notice(
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    third_party_name: str,
    information: str,
    disclosure_reason: str,
    remedies: Remedies,
    third_party_is_organisation: bool = True,
    template: LetterTemplate | None = None,
) -> Letter:
    """依申请公开告知书 to a third party (Art. 32, last sentence): disclosed over objection.

    Tells the third party the content and the public-interest reasons in writing, with
    the general remedies clause.
    """
    values = {
        "addressee_name": third_party_name,
        "information": information,
        "disclosure_reason": disclosure_reason,
    }
    you = "贵单位" if third_party_is_organisation else "您"
    return _letter(
        "third_party_disclosure",
        _Head(body, document_number, issued_on),
        third_party_name,
        values,
        template,
        extra=(remedies_paragraph(remedies, you=you), "特此告知。"),
    )


def reply_letter(
    outcome: Outcome,
    *,
    body: IssuingBody,
    document_number: str,
    issued_on: date,
    applicant_name: str,
    applicant_is_organisation: bool = False,
    received_on: date,
    request_summary: str,
    remedies: Remedies,
    details: Mapping[str, str | date] | None = None,
    variant: ReplyVariant = ReplyVariant.DEFAULT,
    corrected_on: date | None = None,
    extension_notice_no: str = "",
    attachments: tuple[str, ...] = (),
    template: LetterTemplate | None = None,
) -> Letter:
    """The reply (or closing) letter for one table-三 outcome (Art. 36–39, 30, 42).

    ``details`` fills the outcome's own fields (:data:`TEMPLATE_FIELDS`), e.g.
    ``{"search_scope": …}`` for 本机关不掌握; dates may be given as ``date``. Names of
    the case's own facts (``applicant_name``, ``received_on`` …) in ``details`` are
    ignored. ``corrected_on`` (Art. 30) and
    ``extension_notice_no`` (Art. 33(2)) add the procedural history to the receipt
    paragraph. The remedies paragraph is always appended.
    """
    key = reply_template_key(outcome, variant)
    # The case's own facts win over anything of the same name in ``details``.
    own = {
        k: chinese_date(v) if isinstance(v, date) else v
        for k, v in (details or {}).items()
    }
    values = own | _applicant_values(
        applicant_name, applicant_is_organisation, received_on, request_summary
    )
    history: list[str] = []
    if corrected_on is not None:
        history.append(
            f"本机关于{chinese_date(corrected_on)}收到{values['you']}补正后的申请。"
        )
    if extension_notice_no:
        history.append(f"本机关已依法延长答复期限（{extension_notice_no}）。")
    letter = _letter(
        key,
        _Head(body, document_number, issued_on),
        applicant_name,
        values,
        template,
        extra=(
            remedies_paragraph(remedies, outcome=outcome, you=values["you"]),
            "特此告知。",
        ),
        attachments=attachments,
    )
    if not history:
        return letter
    first, *rest = letter.paragraphs
    return _replace_paragraphs(letter, (first + "".join(history), *rest))


def _replace_paragraphs(letter: Letter, paragraphs: tuple[str, ...]) -> Letter:
    return replace(letter, paragraphs=paragraphs)
