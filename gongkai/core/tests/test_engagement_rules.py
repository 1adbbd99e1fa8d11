"""政策解读 timeliness, 意见征集 period and public-text rules (issue 21), without a database.

Dates come from the State Council's 2024 holiday notice: 国庆节 1–7 October off,
Sunday 29 September and Saturday 12 October worked (调休)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.engagement_rules import (
    InterpretationState,
    StepRefused,
    check_consultation_period,
    check_contact,
    check_public_text,
    consultation_feedback_due,
    interpretation_deadline,
    interpretation_rate,
    interpretation_state,
    message_due,
)
from gongkai.core.workdays import default_calendar

CAL = default_calendar()
DOC = date(2024, 9, 30)  # Monday before the National Day holiday


def state(*published: date, today: date = date(2024, 12, 31)) -> InterpretationState:
    return interpretation_state(
        document_published=DOC,
        interpretations_published=list(published),
        days=3,
        calendar=CAL,
        today=today,
    )


def test_the_three_working_days_skip_the_national_day_holiday() -> None:
    # 30 Sep is day zero; 1–7 Oct are off: 8, 9, 10 October are the three days.
    assert interpretation_deadline(DOC, 3, CAL) == date(2024, 10, 10)


def test_a_interpretation_with_the_document_or_within_the_days_is_timely() -> None:
    assert state(DOC) is InterpretationState.TIMELY
    assert state(date(2024, 10, 10)) is InterpretationState.TIMELY
    # Published the day before the document (同步组织): timely as well.
    assert state(date(2024, 9, 29)) is InterpretationState.TIMELY


def test_a_interpretation_after_the_days_is_late() -> None:
    assert state(date(2024, 10, 11)) is InterpretationState.LATE
    # The earliest one decides.
    assert state(date(2024, 11, 1), date(2024, 10, 9)) is InterpretationState.TIMELY


def test_without_a_interpretation_it_is_pending_then_missing() -> None:
    assert state(today=date(2024, 10, 10)) is InterpretationState.PENDING
    assert state(today=date(2024, 10, 11)) is InterpretationState.MISSING


def test_the_setting_changes_the_deadline() -> None:
    # One working day: 8 October; a 解读 on the 9th is late.
    assert interpretation_deadline(DOC, 1, CAL) == date(2024, 10, 8)
    assert (
        interpretation_state(
            document_published=DOC,
            interpretations_published=[date(2024, 10, 9)],
            days=1,
            calendar=CAL,
            today=date(2024, 12, 31),
        )
        is InterpretationState.LATE
    )


def test_interpretation_rate() -> None:
    T, L, M = (
        InterpretationState.TIMELY,
        InterpretationState.LATE,
        InterpretationState.MISSING,
    )
    assert interpretation_rate([]) is None
    assert interpretation_rate([T, L, M]) == 33.3
    assert interpretation_rate([T, T, L, M]) == 50.0
    assert interpretation_rate([T]) == 100.0


NOV1 = date(2024, 11, 1)


def period(
    opens: date, closes: date, *, major: bool = True, days: int = 30, today: date = NOV1
) -> None:
    check_consultation_period(
        opens_on=opens,
        closes_on=closes,
        is_major=major,
        min_days_major=days,
        today=today,
    )


def test_a_major_decision_is_open_at_least_thirty_days() -> None:
    # The first day is not counted (民法典第二百零一条): 1 November to 1 December
    # is 30 days (2 Nov … 1 Dec); to 30 November only 29.
    period(NOV1, date(2024, 12, 1))
    with pytest.raises(StepRefused) as refused:
        period(NOV1, date(2024, 11, 30))
    assert "第十四条" in refused.value.message
    assert "第二百零一条" in refused.value.message
    assert "现为29日" in refused.value.message
    assert "2024年12月1日" in refused.value.message
    assert refused.value.possible_from == date(2024, 12, 1)
    # Not a 重大行政决策: a short period is allowed; a reversed one never.
    period(NOV1, date(2024, 11, 7), major=False)
    with pytest.raises(StepRefused):
        period(date(2024, 11, 7), NOV1, major=False)
    # Configurable: 45 days.
    with pytest.raises(StepRefused, match="不少于45日"):
        period(NOV1, date(2024, 12, 1), days=45)
    period(NOV1, date(2024, 12, 16), days=45)


def test_a_backdated_start_is_refused() -> None:
    # Opened "40 days ago", closing today: 40 days on paper, none in fact.
    today = date(2024, 12, 11)
    with pytest.raises(StepRefused) as refused:
        period(NOV1, today, today=today)
    assert refused.value.field == "opens_on"
    assert "不能早于今天（2024年12月11日）" in refused.value.message
    assert "第十四条" in refused.value.message
    assert refused.value.possible_from == today
    # Also for a draft that is not a 重大行政决策: its dates are shown to the public.
    with pytest.raises(StepRefused):
        period(date(2024, 12, 10), today, major=False, today=today)
    # Opening today or later is fine; the days count from the start.
    period(today, date(2025, 1, 10), today=today)
    with pytest.raises(StepRefused, match="2025年1月10日"):
        period(today, date(2025, 1, 9), today=today)
    period(date(2024, 12, 20), date(2025, 1, 19), today=today)


def test_feedback_and_reply_deadlines_count_working_days() -> None:
    # Closed Friday 27 Sep 2024: Sun 29 Sep (调休) is the first working day after.
    assert consultation_feedback_due(date(2024, 9, 27), 1, CAL) == date(2024, 9, 29)
    # A 留言 of 30 Sep with 5 working days: 8, 9, 10, 11, 12 (Saturday, 调休) Oct.
    assert message_due(DOC, 5, CAL) == date(2024, 10, 12)


@pytest.mark.parametrize(
    "text",
    [
        "详见 http://example.com/a",
        "请访问 www.example.cn 查看",
        "点这里 example.com",
        "<script>alert(1)</script>",
        "<a href='x'>链接</a>",
        "<img src=x onerror=alert(1)>",
        "javascript:alert(1)",
    ],
)
def test_links_and_scripts_are_refused(text: str) -> None:
    with pytest.raises(ValueError) as refused:
        check_public_text(text, label="意见", max_chars=100)
    assert "意见不能包含" in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "请访问baidu.com获取",  # no space between the Chinese and the domain
        "详情见gov.cn网站",
        "看mail.example.com.cn吧",
        "请访问WWW.EXAMPLE.CN",
        "<b>标题</b>",
        "<iframe src=x>",
        "<script",  # a dangerous tag, even unclosed
        "<a href=x",
        "<div onclick='x()'>点</div>",  # on…= inside a tag
    ],
)
def test_links_without_spaces_and_real_markup_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="意见不能包含"):
        check_public_text(text, label="意见", max_chars=100)


@pytest.mark.parametrize(
    "text",
    [
        "x<y 且 y>z，所以 x<z。",  # comparisons are not markup
        "a<b 且 b>c",
        "onion=洋葱；on=开",  # "on…=" outside a tag is text
        "我的邮箱 zhang@163.com，欢迎联系",  # an e-mail address is not a link
        "版本1.2.3、第3.5条",
        "文件名为 通知.doc",
    ],
)
def test_ordinary_text_is_not_mistaken_for_links_or_markup(text: str) -> None:
    assert check_public_text(text, label="意见", max_chars=100) == text


def test_single_line_fields_refuse_line_breaks_and_control_characters() -> None:
    for text in ("咨询\r\n低保", "咨询\n低保", "咨询\t低保", "咨询\x00低保"):
        with pytest.raises(ValueError, match="标题只能填写一行文字"):
            check_public_text(text, label="标题", max_chars=100, single_line=True)
    # A question may have several lines.
    assert check_public_text("第一行\n第二行", label="留言内容", max_chars=100)


@pytest.mark.parametrize(
    "contact",
    [
        "zhang@163.com",
        "li.si@mail.example.com.cn",
        "13800000000",
        "0371-12345678",
        "(0371) 1234 5678",
        "+86 138 0000 0000",
        "0371-12345678转123",
    ],
)
def test_a_contact_is_a_phone_number_or_an_email_address(contact: str) -> None:
    assert check_contact(contact, label="联系方式", max_chars=100) == contact


@pytest.mark.parametrize(
    "contact",
    ["http://x.cn", "www.example.cn", "<script>x</script>", "-1", "随便", "123", "a@b"],
)
def test_anything_else_is_not_a_contact(contact: str) -> None:
    with pytest.raises(ValueError, match="联系方式请填写电话号码"):
        check_contact(contact, label="联系方式", max_chars=100)
    with pytest.raises(ValueError, match="联系方式只能填写一行"):
        check_contact("138\n0000 0000", label="联系方式", max_chars=100)


def test_oversized_and_empty_text_are_refused() -> None:
    with pytest.raises(ValueError, match="意见最多10个字，现有11个字"):
        check_public_text("一二三四五六七八九十一", label="意见", max_chars=10)
    with pytest.raises(ValueError, match="请填写意见"):
        check_public_text("   ", label="意见", max_chars=10)
    assert (
        check_public_text(" 建议增加停车位。 ", label="意见", max_chars=10)
        == "建议增加停车位。"
    )


def test_dates_the_calendar_cannot_count_are_refused() -> None:
    for opens, closes in (
        (date(1900, 1, 1), date(2024, 1, 1)),
        (date(2024, 1, 1), date(2099, 12, 31)),
    ):
        with pytest.raises(StepRefused, match="超出可计算范围"):
            period(opens, closes, major=False, today=date(1900, 1, 1))


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("１３８００１３８０００", "13800138000"),
        ("０３７１－１２３４５６７８", "0371-12345678"),
        ("ｚｈａｎｇ＠１６３．ｃｏｍ", "zhang@163.com"),
    ],
)
def test_a_full_width_contact_is_taken_and_kept_in_ascii(typed: str, kept: str) -> None:
    assert check_contact(typed, label="联系方式", max_chars=100) == kept
