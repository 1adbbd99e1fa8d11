"""Letter content (依申请公开 notices and replies), templates and remedies."""

from __future__ import annotations

import string
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.fees import assess_per_piece, assess_per_volume
from gongkai.core.inforequest_flow import Outcome
from gongkai.core.letters import (
    DEFAULT_TEMPLATES,
    FIELD_LABELS,
    TEMPLATE_FIELDS,
    AgencyKind,
    IssuingBody,
    LetterTemplate,
    Remedies,
    ReplyVariant,
    TemplateError,
    acknowledgement_receipt,
    agency_consultation_letter,
    chinese_date,
    clarification_notice,
    consultation_notice,
    delay_notice,
    extension_notice,
    fee_notice,
    format_document_number,
    reasons_request,
    remedies_paragraph,
    render_template,
    reply_letter,
    reply_template_key,
    review_body_rule,
    third_party_consultation_letter,
    third_party_disclosure_notice,
)

REG = "《中华人民共和国政府信息公开条例》"
BODY = IssuingBody(
    "洛阳市老城区人民政府洛浦街道办事处",
    seal_text="（洛浦街道办事处政府信息公开专用章）",
    contact="联系电话：0379-63900000",
)
REMEDIES = Remedies("洛阳市老城区人民政府", court="洛阳市老城区人民法院")
RECEIVED = date(2026, 3, 2)
ISSUED = date(2026, 3, 20)
# A value for every field, marked so that we can see where it lands.
ALL_DETAILS = {name: f"〈{name}〉" for name in FIELD_LABELS}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# --------------------------------------------------------------------------- basics


@pytest.mark.parametrize(
    ("prefix", "year", "serial", "expected"),
    [
        ("洛街公开", 2026, 3, "洛街公开〔2026〕3号"),
        ("老政办公开", 2025, 120, "老政办公开〔2025〕120号"),
        (" 洛街公开 ", 2026, 1, "洛街公开〔2026〕1号"),
    ],
)
def test_document_numbers_use_hexagonal_brackets(
    prefix: str, year: int, serial: int, expected: str
) -> None:
    assert format_document_number(prefix, year, serial) == expected


@pytest.mark.parametrize(
    ("prefix", "year", "serial"), [("", 2026, 1), ("洛", 26, 1), ("洛", 2026, 0)]
)
def test_bad_document_number_parts_are_refused(
    prefix: str, year: int, serial: int
) -> None:
    with pytest.raises(TemplateError):
        format_document_number(prefix, year, serial)


def test_chinese_dates_have_no_leading_zeros() -> None:
    assert chinese_date(date(2026, 3, 2)) == "2026年3月2日"
    assert chinese_date(date(2026, 12, 31)) == "2026年12月31日"


# --------------------------------------------------------------------------- templates


def test_render_template_fills_named_fields_and_keeps_escaped_braces() -> None:
    out = render_template(
        "{applicant_name}：您于{received_on}的申请{{编号}}",
        {"applicant_name": "张三", "received_on": "2026年3月2日"},
    )
    assert out == "张三：您于2026年3月2日的申请{编号}"


def test_an_unknown_field_is_named_in_the_error() -> None:
    with pytest.raises(TemplateError, match=r"未知字段：\{deadline\}"):
        render_template("{deadline}", {"deadline": "x"}, allowed=frozenset({"due_on"}))


def test_a_missing_field_is_named_with_its_chinese_label() -> None:
    with pytest.raises(
        TemplateError, match=r"缺少字段的内容：\{due_on\}（答复期限届满日）"
    ):
        render_template("请于{due_on}前", {})


def test_an_empty_value_counts_as_missing() -> None:
    with pytest.raises(TemplateError, match="缺少"):
        render_template("{reason}", {"reason": ""})


@pytest.mark.parametrize(
    "template", ["{}", "{0}", "{a.b}", "{a[0]}", "{a!r}", "{a:>10}", "{a", "a}"]
)
def test_only_plain_named_fields_are_allowed(template: str) -> None:
    with pytest.raises(TemplateError):
        render_template(template, {"a": "x"})


@given(st.text(max_size=30))
def test_values_are_inserted_literally(value: str) -> None:
    if not value:
        return
    assert render_template("前{reason}后", {"reason": value}) == f"前{value}后"


def test_every_template_key_has_a_default_template() -> None:
    assert set(DEFAULT_TEMPLATES) == set(TEMPLATE_FIELDS)
    # 10 procedural letters + 21 outcome rows + 2 variants
    assert len(DEFAULT_TEMPLATES) == 33


@pytest.mark.parametrize("key", sorted(TEMPLATE_FIELDS))
def test_default_templates_use_every_specific_field_they_declare(key: str) -> None:
    tpl = DEFAULT_TEMPLATES[key]
    used = set().union(*(_fields(t) for t in (tpl.title, *tpl.paragraphs)))
    common = {"applicant_name", "you", "body_name", "received_on", "request_summary"}
    assert TEMPLATE_FIELDS[key] - common <= used
    assert used <= TEMPLATE_FIELDS[key]


def test_every_field_has_a_chinese_label() -> None:
    for fields in TEMPLATE_FIELDS.values():
        assert fields <= set(FIELD_LABELS)


def test_a_template_with_an_unknown_field_is_refused_when_built() -> None:
    with pytest.raises(TemplateError, match=r"\{applicant_phone\}"):
        LetterTemplate("clarification", "补正告知书", ("请{applicant_phone}补正",))


def test_a_template_for_an_unknown_letter_is_refused() -> None:
    with pytest.raises(TemplateError, match="未知的文书模板"):
        LetterTemplate("love_letter", "x", ())


def test_an_organisation_can_reword_a_letter() -> None:
    own = LetterTemplate(
        "clarification",
        "补正通知",
        ("{applicant_name}同志：请于{correction_due_on}前补充{items_to_correct}。",),
    )
    letter = clarification_notice(
        body=BODY,
        document_number="洛街公开〔2026〕4号",
        issued_on=date(2026, 3, 5),
        applicant_name="张三",
        received_on=RECEIVED,
        request_summary="老旧小区改造清单",
        items_to_correct="所需信息的年份",
        correction_due_on=date(2026, 3, 19),
        template=own,
    )
    assert letter.title == "补正通知"
    assert letter.paragraphs[0] == "张三同志：请于2026年3月19日前补充所需信息的年份。"


def test_a_template_cannot_be_used_for_another_letter() -> None:
    with pytest.raises(TemplateError, match="不能用于"):
        clarification_notice(
            body=BODY,
            document_number="1",
            issued_on=date(2026, 3, 5),
            applicant_name="张三",
            received_on=RECEIVED,
            request_summary="x",
            items_to_correct="y",
            correction_due_on=date(2026, 3, 19),
            template=DEFAULT_TEMPLATES["extension"],
        )


# --------------------------------------------------------------------------- procedural letters


def test_the_receipt_states_receipt_and_due_dates() -> None:
    letter = acknowledgement_receipt(
        body=BODY,
        issued_on=RECEIVED,
        applicant_name="张三",
        received_on=RECEIVED,
        registration_no="LPJD-2026-0003",
        channel="网络平台",
        request_summary="2025年辖区老旧小区改造项目清单",
        due_on=date(2026, 3, 30),
    )
    assert letter.title == "政府信息公开申请接收回执"
    assert letter.addressee == "张三"
    text = letter.text
    assert (
        "2026年3月2日通过网络平台收到您提出的政府信息公开申请（申请编号：LPJD-2026-0003）"
        in text
    )
    assert "2026年3月30日前作出答复" in text
    assert "第三十三条第三款" in text
    assert text.endswith(
        "洛阳市老城区人民政府洛浦街道办事处\n（洛浦街道办事处政府信息公开专用章）\n2026年3月2日"
    )


def test_the_correction_notice_explains_article_30() -> None:
    letter = clarification_notice(
        body=BODY,
        document_number="洛街公开〔2026〕4号",
        issued_on=date(2026, 3, 5),
        applicant_name="某科技有限公司",
        applicant_is_organisation=True,
        received_on=RECEIVED,
        request_summary="有关文件",
        items_to_correct="所需文件的名称、文号或者其他特征性描述。",
        correction_due_on=date(2026, 3, 19),
    )
    text = letter.text
    assert letter.title == "政府信息公开申请补正告知书"
    assert f"{REG}第三十条" in text
    assert (
        "请贵单位对以下事项作出补正：所需文件的名称、文号或者其他特征性描述。" in text
    )  # no 。。
    assert "请于2026年3月19日前" in text
    assert "答复期限自本机关收到补正后的申请之日起计算" in text
    assert "视为放弃申请" in text


def test_a_correction_deadline_must_be_after_the_notice() -> None:
    with pytest.raises(TemplateError):
        clarification_notice(
            body=BODY,
            document_number="1",
            issued_on=date(2026, 3, 5),
            applicant_name="张三",
            received_on=RECEIVED,
            request_summary="x",
            items_to_correct="y",
            correction_due_on=date(2026, 3, 5),
        )


def _extension(**overrides: Any) -> str:
    kwargs: dict[str, Any] = {
        "body": BODY,
        "document_number": "洛街公开〔2026〕5号",
        "issued_on": date(2026, 3, 25),
        "applicant_name": "张三",
        "received_on": RECEIVED,
        "request_summary": "x",
        "extension_days": 20,
        "original_due_on": date(2026, 3, 30),
        "new_due_on": date(2026, 4, 28),
        "extension_reason": "所需信息涉及多个科室，需调档核查",
    }
    kwargs.update(overrides)
    return extension_notice(**kwargs).text


def test_the_extension_notice_gives_the_new_date_and_the_approval() -> None:
    text = _extension()
    assert "政府信息公开申请延期答复告知书" in text
    assert (
        "因所需信息涉及多个科室，需调档核查，本机关无法在2026年3月30日前作出答复"
        in text
    )
    assert "政府信息公开工作机构负责人同意" in text
    assert "延长20个工作日" in text
    assert "2026年4月28日前作出答复" in text
    assert f"{REG}第三十三条第二款" in text


@pytest.mark.parametrize(
    "overrides",
    [
        {"extension_days": 21},
        {"extension_days": 0},
        {"new_due_on": date(2026, 3, 30)},
        {"issued_on": date(2026, 3, 31)},  # after the original deadline
    ],
)
def test_an_impossible_extension_is_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(TemplateError):
        _extension(**overrides)


def test_the_third_party_letter_asks_within_15_working_days_and_hides_the_applicant() -> (
    None
):
    letter = third_party_consultation_letter(
        body=BODY,
        document_number="洛街公开〔2026〕6号",
        issued_on=date(2026, 3, 6),
        third_party_name="洛阳某建筑工程有限公司",
        information="某小区改造工程施工合同",
        consultation_reason="合同含有该公司的报价等商业信息",
        reply_by=date(2026, 3, 27),
    )
    assert letter.addressee == "洛阳某建筑工程有限公司"
    text = letter.text
    assert f"{REG}第三十二条" in text
    assert "15个工作日内（即2026年3月27日前）" in text
    assert "逾期未提出意见的，由本机关依照《条例》的规定决定是否公开" in text


def test_the_third_party_letter_states_the_rule_when_the_date_is_unknown() -> None:
    letter = third_party_consultation_letter(
        body=BODY,
        document_number="1",
        issued_on=date(2026, 3, 6),
        third_party_name="某公司",
        information="合同",
        consultation_reason="商业秘密",
    )
    assert "以送达回证记载的收到日期起算" in letter.text


def test_the_agency_letter_says_silence_means_consent() -> None:
    letter = agency_consultation_letter(
        body=BODY,
        document_number="洛街公开〔2026〕7号",
        issued_on=date(2026, 3, 6),
        agency_name="洛阳市老城区住房和城乡建设局",
        information="老旧小区改造联合实施方案",
        reply_by=date(2026, 3, 27),
    )
    text = letter.text
    assert letter.title == "政府信息公开申请协商函"
    assert f"{REG}第三十四条" in text
    assert "与洛阳市老城区住房和城乡建设局共同制作" in text
    assert "逾期未提出意见的，视为同意公开" in text


def test_the_fee_notice_shows_basis_items_amount_and_deadline() -> None:
    letter = fee_notice(
        body=BODY,
        document_number="洛街公开〔2026〕8号",
        issued_on=date(2026, 3, 10),
        applicant_name="李四",
        received_on=RECEIVED,
        request_summary="z",
        assessment=assess_per_volume(pages=120),
        payment_method="扫描缴款码通过非税收入收缴系统缴纳",
        payment_due_on=date(2026, 4, 8),
    )
    text = letter.text
    # 90 pages over 30: 70×10 + 20×20 = 700 + 400 = 1100
    assert "收取信息处理费1100元" in text
    assert "第31—100页：70页×10元/页＝700元；第101—120页：20页×20元/页＝400元。" in text
    assert "国办函〔2020〕109号" in text
    assert "收到本通知书次日起20个工作日内（即2026年4月8日前）" in text
    assert "逾期未缴纳的，视为放弃申请" in text


def test_no_fee_notice_for_a_free_assessment() -> None:
    with pytest.raises(TemplateError):
        fee_notice(
            body=BODY,
            document_number="1",
            issued_on=date(2026, 3, 10),
            applicant_name="李四",
            received_on=RECEIVED,
            request_summary="z",
            assessment=assess_per_piece(earlier_pieces_this_month=0),
            payment_method="x",
            payment_due_on=date(2026, 4, 8),
        )


# --------------------------------------------------------------------------- replies

# Title and article each outcome's reply must show (reply-types.md §3), by hand.
REPLY_EXPECTATIONS: dict[Outcome, tuple[str, str]] = {
    Outcome.GRANTED: ("政府信息予以公开告知书", "第三十六条第（二）项"),
    Outcome.PARTIAL: ("政府信息部分公开告知书", "第三十七条"),
    Outcome.WITHHELD_STATE_SECRET: ("政府信息不予公开告知书", "第十四条"),
    Outcome.WITHHELD_OTHER_LAWS: ("政府信息不予公开告知书", "第十四条"),
    Outcome.WITHHELD_SECURITY_STABILITY: ("政府信息不予公开告知书", "第十四条"),
    Outcome.WITHHELD_THIRD_PARTY: ("政府信息不予公开告知书", "第十五条、第三十二条"),
    Outcome.WITHHELD_INTERNAL_AFFAIRS: ("政府信息不予公开告知书", "第十六条第一款"),
    Outcome.WITHHELD_PROCESS_INFO: ("政府信息不予公开告知书", "第十六条第二款"),
    Outcome.WITHHELD_CASE_FILE: ("政府信息不予公开告知书", "第十六条第二款"),
    Outcome.WITHHELD_QUERY_MATTER: ("政府信息不予公开告知书", "第三十六条第（七）项"),
    Outcome.UNABLE_NOT_HELD: ("政府信息无法提供告知书", "第三十六条第（四）项"),
    Outcome.UNABLE_NEEDS_CREATION: ("政府信息无法提供告知书", "第三十八条"),
    Outcome.UNABLE_UNCLEAR: ("政府信息无法提供告知书", "第三十条"),
    Outcome.REJECTED_PETITION: ("政府信息公开申请不予处理告知书", "第三十九条第一款"),
    Outcome.REJECTED_REPEAT: ("政府信息公开申请不予处理告知书", "第三十六条第（六）项"),
    Outcome.REJECTED_PUBLICATION: (
        "政府信息公开申请不予处理告知书",
        "第三十九条第二款",
    ),
    Outcome.REJECTED_EXCESSIVE: ("政府信息公开申请不予处理告知书", "第三十五条"),
    Outcome.REJECTED_CONFIRM: ("政府信息公开申请不予处理告知书", "第二条、第三十八条"),
    Outcome.OTHER_NO_SUPPLEMENT: ("政府信息公开申请终止处理告知书", "第三十条"),
    Outcome.OTHER_NO_FEE: ("政府信息公开申请终止处理告知书", "第四十二条"),
    Outcome.OTHER_OTHER: ("政府信息公开申请终止处理告知书", ""),
}

REFUSALS = {o for o in Outcome if o.value.startswith("withheld.")}


def _reply(outcome: Outcome, **kwargs: Any) -> str:
    letter = reply_letter(
        outcome,
        body=BODY,
        document_number="洛街公开〔2026〕9号",
        issued_on=ISSUED,
        applicant_name="张三",
        received_on=RECEIVED,
        request_summary="2025年辖区老旧小区改造项目清单",
        remedies=REMEDIES,
        details=ALL_DETAILS,
        **kwargs,
    )
    return letter.text


def test_there_is_a_reply_expectation_for_every_outcome() -> None:
    assert set(REPLY_EXPECTATIONS) == set(Outcome)


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_has_a_reply_with_its_title_and_legal_basis(
    outcome: Outcome,
) -> None:
    title, article = REPLY_EXPECTATIONS[outcome]
    text = _reply(outcome)
    assert text.startswith(title + "\n洛街公开〔2026〕9号\n\n张三：\n")
    assert title == outcome.letter.value  # agrees with the flow's letter table
    if article:
        assert f"{REG}{article}" in text
    assert (
        "于2026年3月2日收到您提出的政府信息公开申请，申请获取“2025年辖区老旧小区改造项目清单”"
        in text
    )
    assert "特此告知。" in text
    assert "〈" in text or outcome in (
        Outcome.WITHHELD_STATE_SECRET,
        Outcome.WITHHELD_CASE_FILE,
    )


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_reply_ends_with_the_right_remedies(outcome: Outcome) -> None:
    text = _reply(outcome)
    assert "自收到本告知书之日起60日内向洛阳市老城区人民政府申请行政复议" in text
    if outcome in REFUSALS:
        # 复议前置: no direct suit offered
        assert "应当先自收到本告知书之日起60日内" in text
        assert "收到行政复议决定书之日起15日内" in text
        assert "6个月" not in text
    elif outcome is Outcome.PARTIAL:
        assert "不予公开的部分不服的" in text
        assert "应当先" in text
        assert "6个月内向洛阳市老城区人民法院提起行政诉讼" in text
    else:
        assert "应当先" not in text
        assert (
            "或者自收到本告知书之日起6个月内向洛阳市老城区人民法院提起行政诉讼" in text
        )


@pytest.mark.parametrize(
    ("outcome", "field", "label"),
    [
        (
            Outcome.WITHHELD_OTHER_LAWS,
            "prohibiting_law",
            "禁止公开的法律、行政法规及条款",
        ),
        (Outcome.UNABLE_NOT_HELD, "search_scope", "检索范围和方式"),
        (Outcome.REJECTED_REPEAT, "earlier_reply_no", "此前答复文号"),
        (Outcome.OTHER_OTHER, "reason", "理由"),
    ],
)
def test_a_reply_without_its_details_names_what_is_missing(
    outcome: Outcome, field: str, label: str
) -> None:
    details = {k: v for k, v in ALL_DETAILS.items() if k != field}
    with pytest.raises(TemplateError, match=f"{{{field}}}（{label}）"):
        reply_letter(
            outcome,
            body=BODY,
            document_number="1",
            issued_on=ISSUED,
            applicant_name="张三",
            received_on=RECEIVED,
            request_summary="x",
            remedies=REMEDIES,
            details=details,
        )


def test_the_reply_variants_cite_their_own_items() -> None:
    public = _reply(Outcome.GRANTED, variant=ReplyVariant.ALREADY_PUBLIC)
    assert f"{REG}第三十六条第（一）项" in public
    assert "〈access_method〉" in public
    elsewhere = _reply(Outcome.UNABLE_NOT_HELD, variant=ReplyVariant.NOT_RESPONSIBLE)
    assert f"{REG}第三十六条第（五）项" in elsewhere
    assert "〈responsible_body〉。" in elsewhere


def test_a_variant_for_the_wrong_outcome_is_refused() -> None:
    assert reply_template_key(Outcome.GRANTED) == "reply.granted"
    assert reply_template_key(Outcome.GRANTED, ReplyVariant.ALREADY_PUBLIC) == (
        "reply.granted.already_public"
    )
    with pytest.raises(TemplateError):
        reply_template_key(Outcome.PARTIAL, ReplyVariant.ALREADY_PUBLIC)


def test_the_reply_recalls_the_correction_and_the_extension() -> None:
    text = _reply(
        Outcome.UNABLE_UNCLEAR,
        corrected_on=date(2026, 3, 9),
        extension_notice_no="洛街公开〔2026〕5号",
    )
    assert "本机关于2026年3月9日收到您补正后的申请。" in text
    assert "本机关已依法延长答复期限（洛街公开〔2026〕5号）。" in text


def test_an_organisation_is_addressed_as_gui_danwei() -> None:
    letter = reply_letter(
        Outcome.GRANTED,
        body=BODY,
        document_number="1",
        issued_on=ISSUED,
        applicant_name="某律师事务所",
        applicant_is_organisation=True,
        received_on=RECEIVED,
        request_summary="x",
        remedies=REMEDIES,
        details={"provision": "现以电子邮件方式提供。"},
        attachments=("项目清单.pdf",),
    )
    assert "收到贵单位提出的" in letter.text
    assert "您" not in letter.text
    assert "本机关决定予以公开，现以电子邮件方式提供。" in letter.text  # one 。 only
    assert "\n附件：项目清单.pdf\n" in letter.text


def test_several_attachments_are_numbered() -> None:
    letter = reply_letter(
        Outcome.GRANTED,
        body=BODY,
        document_number="1",
        issued_on=ISSUED,
        applicant_name="张三",
        received_on=RECEIVED,
        request_summary="x",
        remedies=REMEDIES,
        details={"provision": "见附件"},
        attachments=("清单.pdf", "说明.docx"),
    )
    assert "附件：1.清单.pdf\n　　　2.说明.docx" in letter.text


def test_the_letter_record_keeps_its_parts() -> None:
    letter = reply_letter(
        Outcome.GRANTED,
        body=BODY,
        document_number="洛街公开〔2026〕9号",
        issued_on=ISSUED,
        applicant_name="张三",
        received_on=RECEIVED,
        request_summary="x",
        remedies=REMEDIES,
        details={"provision": "见附件"},
    )
    assert letter.key == "reply.granted"
    assert letter.issuing_body == BODY.name
    assert letter.seal_text == "（洛浦街道办事处政府信息公开专用章）"
    assert letter.date_text == "2026年3月20日"
    assert letter.paragraphs[-1] == "联系电话：0379-63900000"


# --------------------------------------------------------------------------- remedies


def test_remedies_default_to_the_competent_court() -> None:
    text = remedies_paragraph(Remedies("洛阳市老城区人民政府"), outcome=Outcome.GRANTED)
    assert text == (
        "您对本告知书不服的，可以自收到本告知书之日起60日内向洛阳市老城区人民政府申请行政复议，"
        "或者自收到本告知书之日起6个月内向有管辖权的人民法院提起行政诉讼。"
    )


def test_a_refusal_requires_review_first() -> None:
    text = remedies_paragraph(
        REMEDIES, outcome=Outcome.WITHHELD_PROCESS_INFO, you="贵单位"
    )
    assert text == (
        "贵单位对本决定不服的，根据《中华人民共和国行政复议法》第二十三条的规定，"
        "应当先自收到本告知书之日起60日内向洛阳市老城区人民政府申请行政复议；"
        "对行政复议决定不服的，可以自收到行政复议决定书之日起15日内依法向人民法院提起行政诉讼。"
    )


@pytest.mark.parametrize(
    ("kind", "article"),
    [
        (AgencyKind.GOVERNMENT_DEPARTMENT, "第二十四条第一款第（一）项"),
        (AgencyKind.LOCAL_GOVERNMENT, "第二十四条第一款第（二）项"),
        (AgencyKind.DISPATCHED_ORGAN, "第二十四条第一款第（三）项"),
        (AgencyKind.STATE_COUNCIL_DEPARTMENT, "第二十五条"),
        (AgencyKind.VERTICAL_AGENCY, "第二十七条"),
    ],
)
def test_each_agency_kind_has_a_review_rule_with_its_article(
    kind: AgencyKind, article: str
) -> None:
    assert article in review_body_rule(kind)


def test_dates_in_details_are_printed_the_chinese_way() -> None:
    text = _reply_with(
        Outcome.REJECTED_REPEAT,
        {
            "earlier_reply_on": date(2026, 1, 5),
            "earlier_reply_no": "洛街公开〔2026〕1号",
        },
    )
    assert (
        "本机关已于2026年1月5日就您的政府信息公开申请作出答复（洛街公开〔2026〕1号）"
        in text
    )


def test_details_cannot_override_the_facts_of_the_case() -> None:
    text = _reply_with(
        Outcome.OTHER_OTHER,
        {
            "reason": "申请人撤回申请",
            "applicant_name": "李四",
            "received_on": "昨天",
            "body_name": "别的机关",
        },
    )
    assert "张三：" in text
    assert "李四" not in text
    assert "昨天" not in text
    assert "别的机关" not in text
    assert "申请人撤回申请。本机关终止处理该政府信息公开申请。" in text


def _reply_with(outcome: Outcome, details: dict[str, str | date]) -> str:
    return reply_letter(
        outcome,
        body=BODY,
        document_number="1",
        issued_on=ISSUED,
        applicant_name="张三",
        received_on=RECEIVED,
        request_summary="x",
        remedies=REMEDIES,
        details=details,
    ).text


# --------------------------------------------------------------------------- Art. 35, 32, 33(3)

APPLICANT: dict[str, Any] = {
    "body": BODY,
    "document_number": "洛街公开〔2026〕10号",
    "issued_on": date(2026, 3, 6),
    "applicant_name": "王五",
    "received_on": RECEIVED,
    "request_summary": "2020年以来全部会议纪要",
}


def test_the_reasons_request_cites_article_35_and_gives_a_date() -> None:
    letter = reasons_request(**APPLICANT, reasons_due_on=date(2026, 3, 20))
    assert letter.title == "政府信息公开申请说明理由告知书"
    assert (
        f"根据{REG}第三十五条的规定，请您于2026年3月20日前向本机关说明理由。"
        in letter.text
    )


def test_a_reasons_deadline_must_be_after_the_notice() -> None:
    with pytest.raises(TemplateError):
        reasons_request(**APPLICANT, reasons_due_on=date(2026, 3, 6))


def test_the_delay_notice_gives_the_agreed_date() -> None:
    letter = delay_notice(
        **APPLICANT,
        new_due_on=date(2026, 5, 29),
        delay_reason="涉及档案数量较大，需逐件审查",
    )
    assert letter.title == "政府信息公开申请延迟答复告知书"
    assert "因涉及档案数量较大，需逐件审查，无法在法定期限内答复" in letter.text
    assert (
        f"根据{REG}第三十五条的规定，本机关将于2026年5月29日前作出答复。" in letter.text
    )
    with pytest.raises(TemplateError):
        delay_notice(**APPLICANT, new_due_on=date(2026, 3, 1), delay_reason="x")


def test_the_applicant_is_told_that_consultation_time_is_not_counted() -> None:
    letter = consultation_notice(**APPLICANT, consulted_party="第三方")
    assert letter.title == "政府信息公开申请征求意见告知书"
    assert "需要征求第三方的意见" in letter.text
    assert f"{REG}第三十三条第三款" in letter.text


def test_a_third_party_is_told_in_writing_of_a_disclosure_over_its_objection() -> None:
    letter = third_party_disclosure_notice(
        body=BODY,
        document_number="洛街公开〔2026〕11号",
        issued_on=date(2026, 4, 1),
        third_party_name="洛阳某建筑工程有限公司",
        information="某小区改造工程施工合同",
        disclosure_reason="该工程使用财政资金，涉及辖区居民重大利益",
        remedies=REMEDIES,
    )
    text = letter.text
    assert letter.title == "政府信息依申请公开告知书"
    assert letter.addressee == "洛阳某建筑工程有限公司"
    assert (
        "不公开可能对公共利益造成重大影响，理由是：该工程使用财政资金，涉及辖区居民重大利益。"
        in text
    )
    assert f"{REG}第三十二条" in text
    assert "贵单位对本告知书不服的，可以自收到本告知书之日起60日内" in text
