"""WorkCalendar: counting rules, official schedules, sources and provisional years.

Expected dates come from the official schedules written out in
``../shared/spec/holidays.md`` §3, §4, §4a and the hand-checked table §5.6;
each row below repeats the reasoning.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.workdays import (
    CalendarRangeError,
    CalendarYear,
    WorkCalendar,
    calendar_from_sources,
    default_calendar,
    provisional_year,
    statutory_holidays,
)
from gongkai.core.workdays.sources import package_year
from gongkai.core.workdays.statutory import qingming

D = date.fromisoformat


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return calendar_from_sources({})


# spec holidays.md §5.6: received, +7, +15, +20, +40 working days (receipt day not counted).
SPEC_TABLE = [
    # 2025-01-20: 1/21–24 (4), 1/26 Sun 上班 (5), 1/27 (6), 1/28–2/4 春节 off, 2/5 (7) …
    ("2025-01-20", "2025-02-05", "2025-02-14", "2025-02-21", "2025-03-21"),
    # the day before the Spring Festival break: 2/5,6,7, 2/8 Sat 上班, 2/10,11,12 → +7 = 2/12
    ("2025-01-27", "2025-02-12", "2025-02-24", "2025-03-03", "2025-03-31"),
    # 5/1–5/5 劳动节 off; 4/27 Sun 上班 is before the start so does not help
    ("2025-04-25", "2025-05-08", "2025-05-20", "2025-05-27", "2025-06-25"),
    # 9/22–26 (5), 9/28 Sun 上班 (6), 9/29 (7) → +7 = 9/29; then 10/1–10/8 off
    ("2025-09-19", "2025-09-29", "2025-10-16", "2025-10-23", "2025-11-20"),
    # the spec's worked row: 9/28=1, 9/29=2, 9/30=3, 10/9=4, 10/10=5, 10/11 Sat 上班=6 … 10/30=20
    ("2025-09-26", "2025-10-13", "2025-10-23", "2025-10-30", "2025-11-27"),
    # across the year end: 2026-01-01–03 元旦 off, 1/4 Sun 上班 counts
    ("2025-12-22", "2025-12-31", "2026-01-13", "2026-01-20", "2026-02-24"),
    # 2/14 Sat 上班, 2/15–2/23 春节 off (9 days), 2/28 Sat 上班
    ("2026-01-30", "2026-02-10", "2026-02-27", "2026-03-05", "2026-04-02"),
    ("2026-02-13", "2026-03-02", "2026-03-12", "2026-03-19", "2026-04-17"),
    # 9/20 Sun 上班 counts; 9/25–27 中秋 and 10/1–10/7 国庆 off; 10/10 Sat 上班
    ("2026-09-18", "2026-09-29", "2026-10-15", "2026-10-22", "2026-11-19"),
    ("2026-09-30", "2026-10-15", "2026-10-27", "2026-11-03", "2026-12-01"),
]


@pytest.mark.parametrize(("received", "d7", "d15", "d20", "d40"), SPEC_TABLE)
def test_add_working_days_matches_the_spec_table(
    cal: WorkCalendar, received: str, d7: str, d15: str, d20: str, d40: str
) -> None:
    start = D(received)
    got = [cal.add_working_days(start, n) for n in (7, 15, 20, 40)]
    assert got == [D(d7), D(d15), D(d20), D(d40)]


@pytest.mark.parametrize(
    ("year", "expected"),
    # spec §3, §4, §4a: Mon–Fri minus days off plus 调休上班 days
    [(2024, 251), (2025, 248), (2026, 248)],
)
def test_working_days_in_a_year_match_the_spec(
    cal: WorkCalendar, year: int, expected: int
) -> None:
    assert (
        cal.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == expected
    )


@pytest.mark.parametrize(
    ("day", "working", "label"),
    [
        ("2025-01-26", True, "调休上班（春节）"),  # Sunday designated 上班
        ("2025-01-29", False, "法定节假日（春节）"),
        ("2025-02-01", False, "周末（春节假期）"),  # a Saturday inside the break
        ("2025-02-03", False, "调休休息日（春节）"),  # moved by 调休, not statutory
        ("2025-01-25", False, "周末"),
        ("2025-01-24", True, "工作日"),
        ("2026-01-04", True, "调休上班（元旦）"),
        ("2025-10-11", True, "调休上班（国庆节）"),
    ],
)
def test_day_info_names_each_kind_of_day(
    cal: WorkCalendar, day: str, working: bool, label: str
) -> None:
    info = cal.day_info(D(day))
    assert info.working is working
    assert info.label == label


def test_a_holiday_start_date_counts_from_the_first_working_day_after(
    cal: WorkCalendar,
) -> None:
    # 2025-10-01 (国庆) is day zero; 10/1–10/8 off, so 10/9 is the first working day.
    assert cal.add_working_days(D("2025-10-01"), 1) == D("2025-10-09")
    assert cal.add_working_days(D("2025-10-01"), 3) == D("2025-10-11")  # Sat 上班


def test_zero_and_negative_counts(cal: WorkCalendar) -> None:
    assert cal.add_working_days(D("2025-10-04"), 0) == D("2025-10-04")
    # backwards from 10/9: the last working day before the break is 9/30
    assert cal.add_working_days(D("2025-10-09"), -1) == D("2025-09-30")
    assert cal.working_days_between(D("2025-10-09"), D("2025-09-30")) == -1


def test_a_period_never_ends_on_a_non_working_day(cal: WorkCalendar) -> None:
    start = D("2024-12-01")
    for n in range(1, 400):
        assert cal.is_working_day(cal.add_working_days(start, n))


# -- sources and precedence -------------------------------------------------


def test_package_years_are_used_when_no_admin_data() -> None:
    cal = calendar_from_sources({})
    assert cal.year(2025).source == "chinesecalendar"
    assert not cal.is_provisional_year(2026)
    assert cal.is_provisional_year(2027)  # the package stops at 2026


def test_an_admin_year_overrides_the_package() -> None:
    # Invented data: an administrator marks 2025-03-03 (a Monday) off.
    admin = CalendarYear(2025, frozenset({D("2025-03-03")}), frozenset(), "admin")
    cal = calendar_from_sources({2025: admin})
    assert not cal.is_working_day(D("2025-03-03"))
    # and the package's 2025 data is no longer used: 1/26 (Sun) is not 上班 here
    assert not cal.is_working_day(D("2025-01-26"))
    assert default_calendar().is_working_day(D("2025-01-26"))


def test_an_admin_year_replaces_a_provisional_one() -> None:
    # Invented 2027 data for the test: 2027-02-04 … 2027-02-11 off, 2027-02-13 (Sat) 上班.
    off = frozenset(D("2027-02-04") + timedelta(days=i) for i in range(8))
    admin = CalendarYear(2027, off, frozenset({D("2027-02-13")}), "admin")
    cal = calendar_from_sources({2027: admin})
    assert not cal.touches_provisional(D("2026-12-01"), D("2027-03-01"))
    assert cal.is_working_day(D("2027-02-13"))
    assert not cal.is_working_day(D("2027-02-10"))


def test_a_provisional_year_has_13_statutory_days_and_possible_makeup_days() -> None:
    year = provisional_year(2027)
    assert year.provisional and year.source == "provisional"
    assert len(year.holidays) == 13
    # Saturdays and Sundays that could be 调休上班 (provisional.py): within 6 days of
    # 元旦 (Fri 1/1), 清明 (Mon 4/5), 端午 (Wed 6/9), 中秋 (Wed 9/15); within 10 days of
    # 春节 (2/5–2/8), 劳动节 (5/1–5/2), 国庆节 (10/1–10/3); never a statutory day.
    assert sorted(year.extra_workdays) == [
        D(x)
        for x in (
            "2026-12-26", "2026-12-27", "2027-01-02", "2027-01-03",  # 元旦
            "2027-01-30", "2027-01-31", "2027-02-13", "2027-02-14",  # 春节
            "2027-04-03", "2027-04-04", "2027-04-10", "2027-04-11",  # 清明节
            "2027-04-24", "2027-04-25", "2027-05-08", "2027-05-09",  # 劳动节
            "2027-06-05", "2027-06-06", "2027-06-12", "2027-06-13",  # 端午节
            "2027-09-11", "2027-09-12", "2027-09-18", "2027-09-19",  # 中秋节
            "2027-09-25", "2027-09-26", "2027-10-09", "2027-10-10",  # 国庆节
        )
    ]  # fmt: skip
    # 2027: 除夕 = 2027-02-05, 正月初一 = 2027-02-06 (lunar new year), 端午 6/9, 中秋 9/15
    assert {
        D("2027-02-05"),
        D("2027-02-06"),
        D("2027-02-07"),
        D("2027-02-08"),
    } <= year.holidays
    assert D("2027-06-09") in year.holidays
    assert D("2027-09-15") in year.holidays
    assert D("2027-04-05") in year.holidays  # 清明


def test_before_2025_the_statutory_list_has_11_days() -> None:
    # 2013 text: 春节 only 初一至初三, 劳动节 only 5/1
    assert len(statutory_holidays(2024)) == 11
    assert len(statutory_holidays(2025)) == 13


@pytest.mark.parametrize(
    "year", [1901, 1950, 1999, 2000, 2001, *range(2004, 2031), 2040, 2099]
)
def test_qingming_agrees_with_the_solar_term_tables(year: int) -> None:
    # chinese_calendar computes solar terms by its own table; ours is the [Y·D+C]−L formula.
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    assert terms[0][0] == qingming(year)


@pytest.mark.parametrize("year", range(2004, 2027))
def test_statutory_days_are_days_off_in_each_official_schedule(year: int) -> None:
    # Every statutory holiday of our list is a non-working day in every published
    # schedule (the pre-2025 除夕 was not statutory and our list leaves it out).
    assert package_year(year) is not None
    cal = default_calendar()
    assert [d for d in statutory_holidays(year) if cal.is_working_day(d)] == []


def test_a_schedule_may_give_a_date_of_the_previous_year() -> None:
    # The 2019 notice gave 2018-12-30 and 12-31 off and 2018-12-29 (Sat) 上班.
    y2019 = CalendarYear(
        2019,
        frozenset({D("2018-12-30"), D("2018-12-31"), D("2019-01-01")}),
        frozenset({D("2018-12-29")}),
        "admin",
    )
    cal = calendar_from_sources({2019: y2019})
    assert not cal.is_working_day(D("2018-12-31"))
    assert cal.is_working_day(D("2018-12-29"))


def test_years_outside_1901_2099_are_refused() -> None:
    with pytest.raises(CalendarRangeError):
        default_calendar().is_working_day(date(2100, 1, 4))


def test_from_dates_builds_a_plain_calendar() -> None:
    cal = WorkCalendar.from_dates([D("2030-01-02")], [D("2030-01-05")])
    assert not cal.is_working_day(D("2030-01-02"))
    assert cal.is_working_day(D("2030-01-05"))
    assert cal.add_working_days(D("2029-12-31"), 2) == D("2030-01-03")


def test_a_calendar_reaching_backwards_rebuilds_its_index() -> None:
    cal = calendar_from_sources({})
    assert cal.add_working_days(D("2025-09-26"), 20) == D("2025-10-30")
    assert cal.add_working_days(D("2010-01-04"), 1) == D("2010-01-05")
    assert cal.add_working_days(D("2025-09-26"), 20) == D("2025-10-30")


# -- properties ---------------------------------------------------------------

_dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31))


@settings(max_examples=300, deadline=None)
@given(d=_dates, n=st.integers(min_value=0, max_value=400))
def test_between_inverts_add(d: date, n: int) -> None:
    cal = default_calendar()
    assert cal.working_days_between(d, cal.add_working_days(d, n)) == n


@settings(max_examples=200, deadline=None)
@given(a=_dates, b=_dates, c=_dates)
def test_between_is_additive(a: date, b: date, c: date) -> None:
    cal = default_calendar()
    assert cal.working_days_between(a, b) + cal.working_days_between(b, c) == (
        cal.working_days_between(a, c)
    )


def _walk(d: date, n: int) -> date:
    """The spec §5.2 loop, on chinese_calendar.is_workday (an independent oracle)."""
    k = 0
    while k < n:
        d += timedelta(days=1)
        if chinese_calendar.is_workday(d):
            k += 1
    return d


@settings(max_examples=200, deadline=None)
@given(
    d=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30)),
    n=st.integers(min_value=1, max_value=60),
)
def test_add_agrees_with_a_day_by_day_walk_on_the_package(d: date, n: int) -> None:
    assert default_calendar().add_working_days(d, n) == _walk(d, n)


def test_one_calendar_can_be_shared_by_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    starts = [D("2004-01-05") + timedelta(days=37 * i) for i in range(200)]
    expected = [_walk(d, 25) for d in starts if d.year <= 2026]
    cal = calendar_from_sources({})  # fresh: the index is built by the racing threads
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(
            pool.map(
                lambda d: cal.add_working_days(d, 25),
                [d for d in starts if d.year <= 2026],
            )
        )
    assert got == expected


def test_a_regional_holiday_is_added_to_the_national_year() -> None:
    # Invented regional day off for the test: Monday 2025-03-10.
    national = package_year(2025)
    assert national is not None
    regional = national.with_days_off(
        {D("2025-03-10"): "地方节日"}, note="某自治州规定"
    )
    cal = calendar_from_sources({2025: regional})
    assert not cal.is_working_day(D("2025-03-10"))
    assert cal.day_info(D("2025-03-10")).label == "法定节假日（地方节日）"
    assert cal.is_working_day(D("2025-01-26"))  # the national 调休上班 day is kept
    # 2025-03-03 + 5: 3/4,5,6,7, [3/10 off], 3/11
    assert cal.add_working_days(D("2025-03-03"), 5) == D("2025-03-11")
    assert "某自治州规定" in regional.source_note
