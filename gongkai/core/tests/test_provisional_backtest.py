"""Back-test: a provisional year never gives a later date than its official schedule.

For each year Y that ``chinesecalendar`` covers (2004–2026), pretend that Y's holiday
notice is not out yet, as a body would compute before it is published: the years
before Y keep their official schedule; Y and every later year are provisional, built
exactly as the platform builds an unpublished year (``provisional_year``, the fallback
of ``calendar_from_sources``).

A receipt on every day of Y is counted 20 working days (条例第三十三条; the receipt day
is day zero) in that calendar. The expected official date is counted independently on
``chinese_calendar.is_workday`` (the published schedules), never on the code under
test. Receipts whose official date would fall after 2026 (no published schedule) are
left out.
"""

from __future__ import annotations

import functools
import statistics
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
import pytest
from chinese_calendar.constants import Holiday, holidays, workdays

from gongkai.core.workdays import (
    CalendarYear,
    WorkCalendar,
    compute_ledger,
    explain_for_applicant,
    explain_for_staff,
    provisional_date_note,
    provisional_year,
    statutory_holidays,
)
from gongkai.core.workdays.events import Event
from gongkai.core.workdays.rules import (
    CORRECTION_NOTICE_WORKING_DAYS,
    MAX_EXTENSION_WORKING_DAYS,
    REPLY_WORKING_DAYS,
    THIRD_PARTY_WORKING_DAYS,
)

D = date.fromisoformat

FIRST, LAST = 2004, 2026  # the years chinesecalendar 1.11.0 covers
YEARS = range(FIRST, LAST + 1)
# The one 调休上班 day of 2004–2026 that belongs to no holiday of 第二条: Sunday
# 2015-09-06, for the one-off 抗战胜利70周年纪念日 break of 9/3–9/5.
ONE_OFF_MAKEUP_DAYS = frozenset({D("2015-09-06")})


# -- the official side: chinese_calendar only ---------------------------------


@functools.cache
def official_working_days() -> list[int]:
    """Ordinals of every official working day 2004–2026 (chinese_calendar.is_workday)."""
    first, last = date(FIRST, 1, 1).toordinal(), date(LAST, 12, 31).toordinal()
    return [
        o
        for o in range(first, last + 1)
        if chinese_calendar.is_workday(date.fromordinal(o))
    ]


def official_due(received: date, n: int) -> date | None:
    """The n-th official working day after ``received``; None past 2026."""
    work = official_working_days()
    i = bisect_right(work, received.toordinal()) + n - 1
    return date.fromordinal(work[i]) if i < len(work) else None


def official_year(year: int, *, without_next_notice: bool) -> CalendarYear:
    """One published year as data, straight from chinesecalendar's tables.

    ``without_next_notice`` drops the December 元旦 dates, which the next year's
    notice added (e.g. 2018-12-29/30/31 from the 2019 notice).
    """

    def keep(d: date, holiday: str) -> bool:
        if d.year != year:
            return False
        late_new_year = d.month == 12 and holiday == Holiday.new_years_day.value
        return not (without_next_notice and late_new_year)

    return CalendarYear(
        year,
        frozenset(d for d, h in holidays.items() if keep(d, h)),
        frozenset(d for d, h in workdays.items() if keep(d, h)),
        "chinesecalendar",
    )


# -- the provisional side: the code under test ---------------------------------


def unpublished_from(year: int, *, strict: bool = False) -> WorkCalendar:
    """The calendar a body has while ``year``'s notice is not out.

    ``strict`` also removes from the year before the December dates that ``year``'s
    notice added to it (not known yet either).
    """
    known = {
        y: official_year(y, without_next_notice=strict and y == year - 1)
        for y in range(FIRST, year)
    }
    return WorkCalendar(known, fallback=provisional_year)


def old_provisional_year(year: int) -> CalendarYear:
    """The method before this change: statutory days and weekends, nothing else."""
    return CalendarYear(year, frozenset(statutory_holidays(year)), frozenset(), "old")


@dataclass(frozen=True)
class Case:
    received: date
    provisional: date
    official: date

    @property
    def earlier_by(self) -> int:
        return (self.official - self.provisional).days


def backtest(
    n: int, calendars: dict[int, WorkCalendar], *, december_before: bool = False
) -> list[Case]:
    """Every receipt of each year Y (or of the December before Y) in Y's calendar."""
    cases = []
    for year in YEARS:
        cal = calendars[year]
        if december_before:
            if year == FIRST:
                continue
            d, last = date(year - 1, 12, 1), date(year - 1, 12, 31)
        else:
            d, last = date(year, 1, 1), date(year, 12, 31)
        while d <= last:
            expected = official_due(d, n)
            if expected is not None:
                cases.append(Case(d, cal.add_working_days(d, n), expected))
            d += timedelta(days=1)
    return cases


@functools.cache
def new_calendars() -> dict[int, WorkCalendar]:
    return {y: unpublished_from(y) for y in YEARS}


@functools.cache
def cases_for(n: int) -> list[Case]:
    return backtest(n, new_calendars())


# -- the requirement -----------------------------------------------------------


def test_no_provisional_reply_date_is_later_than_the_official_one() -> None:
    cases = cases_for(REPLY_WORKING_DAYS)
    assert len(cases) == 8373  # every day 2004-01-01 … 2026-11-30
    late = [c for c in cases if c.provisional > c.official]
    assert late == []


@pytest.mark.parametrize(
    "n",
    [
        CORRECTION_NOTICE_WORKING_DAYS,  # 7, 条例第三十条
        THIRD_PARTY_WORKING_DAYS,  # 15, 条例第三十二条
        REPLY_WORKING_DAYS + MAX_EXTENSION_WORKING_DAYS,  # 40, 条例第三十三条第二款
    ],
)
def test_no_other_statutory_period_ends_later_either(n: int) -> None:
    late = [c for c in cases_for(n) if c.provisional > c.official]
    # Only across the one-off 2015-09-06 上班 (announced in May 2015, long after that
    # year's notice): received 9/4 or 9/5, +7 is 9/14 officially, 9/15 provisionally.
    assert all(c.received < min(ONE_OFF_MAKEUP_DAYS) < c.official for c in late)
    assert len(late) == (2 if n == CORRECTION_NOTICE_WORKING_DAYS else 0)


def test_every_official_working_day_is_a_provisional_one() -> None:
    # The reason behind the back-test: the official working days are a subset of
    # the provisional ones, so the n-th provisional one is never later, for any n.
    work = {date.fromordinal(o) for o in official_working_days()}
    missing = []
    for year in YEARS:
        cal = new_calendars()[year]
        d = date(year, 1, 1)
        while d.year == year:
            if d in work and not cal.is_working_day(d):
                missing.append(d)
            d += timedelta(days=1)
    assert set(missing) == ONE_OFF_MAKEUP_DAYS


def test_the_provisional_date_stays_close() -> None:
    # How much earlier than the official date (calendar days), over 8,373 receipts.
    # A rule counting far more weekend days would pass the back-test and fail here.
    early = [c.earlier_by for c in cases_for(REPLY_WORKING_DAYS)]
    assert round(statistics.mean(early), 2) == 3.13
    assert statistics.median(early) == 2
    assert max(early) == 15
    assert sum(1 for e in early if e == 0) == 3636  # exactly the official date


def test_the_old_method_fails_the_same_back_test() -> None:
    # Statutory days and weekends only (no possible 调休上班 day): too late in 360 cases.
    old = {
        y: WorkCalendar(
            {x: official_year(x, without_next_notice=False) for x in range(FIRST, y)},
            fallback=old_provisional_year,
        )
        for y in YEARS
    }
    late = [c for c in backtest(REPLY_WORKING_DAYS, old) if c.provisional > c.official]
    assert len(late) == 360
    assert Case(D("2024-01-15"), D("2024-02-13"), D("2024-02-09")) in late


# -- the case of the issue: received 2024-01-15 -----------------------------------


def test_received_2024_01_15_official_date() -> None:
    # Published 2024 schedule: 2/4 (Sun) 上班, 2/10–2/17 春节 off. From Mon 1/15 (day
    # zero): 1/16–19 (4), 1/22–26 (9), 1/29–2/2 (14), 2/4 Sun 上班 (15), 2/5–2/8 (19),
    # 2/9 Fri (20; 除夕 was a working day in 2024).
    assert official_due(D("2024-01-15"), 20) == D("2024-02-09")


def test_received_2024_01_15_provisional_date_is_one_day_earlier() -> None:
    # 2024 unpublished: statutory 春节 2/10–2/12 (初一至初三, the 2013 text); possible
    # 调休上班 weekends within 10 days: 2/3–2/4 and 2/17–2/18. From 1/15: 1/16–2/2 (14),
    # 2/3 Sat (15), 2/4 Sun (16), 2/5–2/8 (20) → 2/8, one day before the official 2/9
    # (the old method gave 2/13, four days late).
    cal = unpublished_from(2024)
    assert cal.add_working_days(D("2024-01-15"), 20) == D("2024-02-08")
    info = cal.day_info(D("2024-02-03"))
    assert (info.working, info.kind, info.name, info.provisional) == (
        True,
        "provisional_workday",
        "春节",
        True,
    )
    assert info.label == "可能调休上班的周末（春节）"
    assert not cal.is_working_day(D("2024-02-10"))  # 正月初一, statutory


def test_received_2024_01_15_ledger_is_marked_provisional() -> None:
    cal = unpublished_from(2024)
    ledger = compute_ledger([Event("received", D("2024-01-15"))], cal, D("2024-01-15"))
    assert ledger.due_date == D("2024-02-08")
    assert ledger.provisional and ledger.provisional_years == (2024,)
    rows = {r.date: r for r in ledger.days}
    assert rows[D("2024-02-03")].counted and rows[D("2024-02-03")].number == 15
    assert rows[D("2024-02-03")].reason.endswith("可能调休上班的周末（春节），计入")
    assert rows[D("2024-02-03")].provisional
    staff = explain_for_staff(ledger)
    assert "答复期限：【临时】2024年2月8日（周四）" in staff
    assert "可能调休上班的周六、周日" in staff and "不会晚于官方安排" in staff
    assert "未含调休" not in staff
    applicant = explain_for_applicant(ledger)
    assert "2024年的法定节假日安排尚未公布" in applicant and "暂定" in applicant


# -- 元旦 调休上班 days in December ------------------------------------------------


def test_a_possible_makeup_day_of_next_years_new_year_counts_in_december() -> None:
    # 2018 and 2019 both unpublished. The 2019 notice would make Saturday 2018-12-29
    # 上班 (元旦 on Tuesday): officially a receipt on Mon 2018-12-03 is due on 12/29
    # (12/4–28 = 19, 12/29 = 20). The provisional 2019 counts the weekend before its
    # 元旦 (12/29–30, within 6 days), and the provisional 2018 counts it too: 12/29.
    assert official_due(D("2018-12-03"), 20) == D("2018-12-29")
    cal = unpublished_from(2018)
    assert cal.add_working_days(D("2018-12-03"), 20) == D("2018-12-29")
    info = cal.day_info(D("2018-12-29"))
    assert (info.kind, info.name, info.provisional) == (
        "provisional_workday",
        "元旦",
        True,
    )


def test_a_published_year_is_left_as_published() -> None:
    # 2027 has no notice; its 元旦 is Friday 1/1, so 2026-12-26/27 could be 上班 —
    # but 2026 is published and keeps its 248 working days; 1/2–1/3 count in 2027.
    from gongkai.core.workdays import default_calendar

    cal = default_calendar()
    assert not cal.is_working_day(D("2026-12-26"))
    assert cal.working_days_between(D("2025-12-31"), D("2026-12-31")) == 248
    assert cal.day_info(D("2027-01-02")).kind == "provisional_workday"


def test_known_limit_december_dates_of_the_next_notice() -> None:
    # A notice may put a 元旦 调休上班 day in December of the published year before
    # (the 2019 notice, published 2018-12-06, made 2018-12-29 上班). Until it is out,
    # that December is taken as published, so a receipt in early December can be
    # due later than it turns out: 5 receipts in 23 years, by 2 or 3 calendar days.
    cals = {y: unpublished_from(y, strict=True) for y in YEARS}
    cases = backtest(REPLY_WORKING_DAYS, cals, december_before=True)
    late = [c for c in cases if c.provisional > c.official]
    assert [(c.received, c.official, c.earlier_by) for c in late] == [
        (D("2006-12-04"), D("2006-12-30"), -3),
        (D("2006-12-05"), D("2006-12-31"), -3),
        (D("2007-12-03"), D("2007-12-29"), -2),
        (D("2011-12-05"), D("2011-12-31"), -2),
        (D("2018-12-03"), D("2018-12-29"), -2),
    ]


# -- the sentence for letters -------------------------------------------------------


def test_the_letter_note_says_the_date_is_provisional_and_will_be_confirmed() -> None:
    assert provisional_date_note([2027]) == (
        "该日期为暂定日期：2027年国务院办公厅节假日安排尚未公布，"
        "本机关将在安排公布后予以确认。"
    )
    assert provisional_date_note((2028, 2027, 2027)).startswith(
        "该日期为暂定日期：2027、2028年"
    )
    assert "相关年度" in provisional_date_note()


def test_a_provisional_date_on_a_weekend_carries_the_reason() -> None:
    from gongkai.core.workdays import provisional_weekend_note

    saturday, sunday, monday = date(2027, 1, 2), date(2027, 1, 3), date(2027, 1, 4)
    note = provisional_weekend_note(saturday, True)
    assert note.startswith("临时日期（周六）")
    assert "节日前后可能调休上班的周末暂计为工作日" in note
    assert provisional_weekend_note(sunday, True).startswith("临时日期（周日）")
    assert provisional_weekend_note(monday, True) == ""  # a weekday needs no reason
    assert provisional_weekend_note(saturday, False) == ""  # an official date
    assert provisional_weekend_note(None, True) == ""
