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


def test_a_major_decision_is_open_at_least_thirty_days() -> None:
    # 1–30 November: 30 days, both counted.
    check_consultation_period(
        opens_on=date(2024, 11, 1),
        closes_on=date(2024, 11, 30),
        is_major=True,
        min_days_major=30,
    )
    with pytest.raises(StepRefused) as refused:
        check_consultation_period(
            opens_on=date(2024, 11, 1),
            closes_on=date(2024, 11, 29),
            is_major=True,
            min_days_major=30,
        )
    assert "第十四条" in refused.value.message
    assert "2024年11月30日" in refused.value.message
    assert refused.value.possible_from == date(2024, 11, 30)
    # Not a 重大行政决策: a short period is allowed; a reversed one never.
    check_consultation_period(
        opens_on=date(2024, 11, 1),
        closes_on=date(2024, 11, 7),
        is_major=False,
        min_days_major=30,
    )
    with pytest.raises(StepRefused):
        check_consultation_period(
            opens_on=date(2024, 11, 7),
            closes_on=date(2024, 11, 1),
            is_major=False,
            min_days_major=30,
        )
    # Configurable: 45 days.
    with pytest.raises(StepRefused):
        check_consultation_period(
            opens_on=date(2024, 11, 1),
            closes_on=date(2024, 11, 30),
            is_major=True,
            min_days_major=45,
        )


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
            check_consultation_period(
                opens_on=opens, closes_on=closes, is_major=False, min_days_major=30
            )
