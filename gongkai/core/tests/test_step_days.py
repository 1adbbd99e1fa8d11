"""``lawful_days``: which of the days a step may be dated (the case's last step to
today) its rule allows — today, none, or only days up to a last lawful day (补录).
No database; the rules are the module's own, with dates chosen by hand."""

from __future__ import annotations

from datetime import date

from gongkai.core.inforequest_rules import (
    StepRefused,
    check_clarification_lapsed,
    check_clarification_notice_in_time,
    lawful_days,
)

FIRST, TODAY = date(2026, 9, 18), date(2026, 9, 30)
NOTICE_DUE = date(2026, 9, 29)  # 7 working days from 2026-09-18 (holidays.md §5.6)


def notice(on: date) -> None:
    check_clarification_notice_in_time(on=on, notice_due=NOTICE_DUE)


def test_a_step_lawful_today_is_offered_as_usual() -> None:
    days = lawful_days(notice, FIRST, date(2026, 9, 29))
    assert days.today and days.refused is None and days.until is None


def test_a_step_lawful_only_before_today_is_a_record_up_to_its_last_day() -> None:
    days = lawful_days(notice, FIRST, TODAY)
    assert not days.today and days.refused is None
    assert days.until == NOTICE_DUE
    assert days.later is not None and days.later.article == "条例第三十条"
    assert "2026年9月29日" in days.help_text and "条例第三十条" in days.help_text


def test_a_step_lawful_on_no_day_is_refused_with_todays_refusal() -> None:
    days = lawful_days(notice, date(2026, 9, 30), date(2026, 10, 8))
    assert days.refused is not None and days.until is None
    assert "2026年9月29日" in days.refused.message


def test_a_rule_that_names_no_last_day_is_searched_for_it() -> None:
    """A rule whose refusal gives no ``possible_until`` (as the ledger's extension
    rule): the last lawful day is found by asking the rule, whatever the range."""
    for last_day in (FIRST, date(2026, 9, 19), date(2026, 9, 24), date(2026, 9, 29)):

        def rule(on: date, last_day: date = last_day) -> None:
            if on > last_day:
                raise StepRefused("已超过期限。", article="条例第三十三条第二款")

        days = lawful_days(rule, FIRST, TODAY)
        assert days.until == last_day, last_day


def test_a_wrong_hint_is_not_trusted() -> None:
    def rule(on: date) -> None:
        if on > date(2026, 9, 22):
            raise StepRefused("已超过期限。", article="条例第三十三条第二款")

    days = lawful_days(rule, FIRST, TODAY, until_hint=date(2026, 9, 25))
    assert days.until == date(2026, 9, 22)


def test_a_step_lawful_from_a_day_is_offered_today_once_that_day_came() -> None:
    def lapsed(on: date) -> None:
        check_clarification_lapsed(on=on, correction_deadline=date(2026, 9, 25))

    assert lawful_days(lapsed, FIRST, TODAY).today
    refused = lawful_days(lapsed, FIRST, date(2026, 9, 24)).refused
    assert refused is not None and refused.possible_from == date(2026, 9, 26)
