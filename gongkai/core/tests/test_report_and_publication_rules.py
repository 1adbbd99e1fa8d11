"""The lawful-step rules of the annual report and of a publication's 成文日期."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.publication_rules import EARLIEST_FORMED_ON, check_formed_on
from gongkai.core.report_rules import StepRefused, check_report_year_ended


def test_a_report_cannot_be_submitted_before_its_year_has_ended() -> None:
    with pytest.raises(StepRefused) as refused:
        check_report_year_ended(year=2026, on=date(2026, 12, 7))
    assert refused.value.possible_from == date(2027, 1, 1)
    assert refused.value.article == "条例第四十九条"
    assert "2027年1月1日起可以提交审核" in refused.value.message


def test_the_last_day_of_the_year_is_still_too_early() -> None:
    with pytest.raises(StepRefused):
        check_report_year_ended(year=2026, on=date(2026, 12, 31))


@pytest.mark.parametrize("on", [date(2027, 1, 1), date(2027, 1, 31), date(2030, 6, 1)])
def test_from_the_first_of_january_the_report_may_go_forward(on: date) -> None:
    check_report_year_ended(year=2026, on=on)


def test_the_refusal_names_the_step_it_refuses() -> None:
    with pytest.raises(StepRefused) as refused:
        check_report_year_ended(year=2026, on=date(2026, 3, 1), step="公开")
    assert "方可公开" in refused.value.message


def test_a_future_formed_on_is_refused_and_today_is_allowed() -> None:
    today = date(2026, 12, 7)
    check_formed_on(formed_on=today, today=today)
    check_formed_on(formed_on=date(2004, 1, 1), today=today)
    with pytest.raises(StepRefused) as refused:
        check_formed_on(formed_on=date(2030, 1, 1), today=today)
    assert refused.value.field == "formed_on"
    assert "不能晚于今天（2026年12月7日）" in refused.value.message


def test_an_implausibly_old_formed_on_is_refused_in_plain_words() -> None:
    with pytest.raises(StepRefused) as refused:
        check_formed_on(formed_on=date(1900, 1, 1), today=date(2026, 12, 7))
    message = refused.value.message
    assert "早于中华人民共和国成立之日（1949年10月1日）" in message
    # Plain words: no "range", and no hint that the next year would do.
    assert "可计算范围" not in message and "1901" not in message
    assert refused.value.field == "formed_on"
    with pytest.raises(StepRefused):
        check_formed_on(formed_on=date(1949, 9, 30), today=date(2026, 12, 7))
    check_formed_on(formed_on=date(1949, 10, 1), today=date(2026, 12, 7))


def test_the_earliest_formed_on_can_be_counted_by_the_calendar() -> None:
    from gongkai.core.workdays.calendar import MIN_YEAR

    assert EARLIEST_FORMED_ON.year > MIN_YEAR
