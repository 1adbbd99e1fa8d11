"""The default wording of every letter, as data (:data:`DEFAULT_TEMPLATES`).

An organisation may replace any of them with its own :class:`LetterTemplate`; the
fields each may use are in :mod:`gongkai.core.letters.fields`. Each reply body cites
its article of the 条例 (docs/legal-notes.md §2.5); the receipt paragraph comes before it
and the remedies paragraph (code, not template) after.
"""

from __future__ import annotations

import re

from gongkai.core.inforequest_flow import Outcome, OutcomeGroup
from gongkai.core.letters.document import _REG, REGULATION
from gongkai.core.letters.templating import LetterTemplate


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
# remedies paragraph after. Each cites its article of the 条例 (docs/legal-notes.md §2.5).
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


_ROW_NUMBER = re.compile(r"^(（[一二三四五六七八九十]）|\d+\.)")  # “1.” “（一）”
_VARIANT_LABELS = {
    "reply.granted.already_public": "已主动公开的信息",
    "reply.unable.not_held.not_responsible": "本机关不掌握，由其他机关负责",
}


def template_label(key: str) -> str:
    """How a person picks a letter: its title, and where several letters share a
    title (the reply rows of table 三) the row it answers — never the key."""
    title = DEFAULT_TEMPLATES[key].title
    shared = sum(t.title == title for t in DEFAULT_TEMPLATES.values()) > 1
    if not shared:
        return title
    if key in _VARIANT_LABELS:
        return f"{title}（{_VARIANT_LABELS[key]}）"
    row = _ROW_NUMBER.sub("", Outcome(key.removeprefix("reply.")).label)
    return f"{title}（{row}）"


TEMPLATE_CHOICES: list[tuple[str, str]] = [
    (key, template_label(key)) for key in DEFAULT_TEMPLATES
]
