"""Where each year's schedule comes from, in order of precedence.

1. a year entered or imported by an administrator (passed in as data);
2. the bundled data of the ``chinesecalendar`` package (2004–2026 in 1.11.0);
3. a provisional year built from the statutory list of 《全国年节及纪念日放假办法》
   第二条 (13 days from 2025, 11 before), lunar dates computed with ``lunardate``,
   weekends off except those that could be 调休上班 (``provisional.py``: a provisional
   due date is never later than the official one). Every date depending on it is
   flagged provisional.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date

from gongkai.core.workdays.calendar import CalendarYear, WorkCalendar
from gongkai.core.workdays.provisional import possible_makeup_days
from gongkai.core.workdays.statutory import statutory_holidays

SOURCE_ADMIN = "admin"
SOURCE_PACKAGE = "chinesecalendar"
SOURCE_PROVISIONAL = "provisional"

SOURCE_LABELS: Mapping[str, str] = {
    SOURCE_ADMIN: "管理员录入或导入的国务院办公厅通知",
    SOURCE_PACKAGE: "chinesecalendar 软件包内置的历年放假安排",
    SOURCE_PROVISIONAL: "临时日历（法定节日不计入，节日前后可能调休上班的周末暂计为工作日；官方安排尚未发布）",
    "weekends_only": "仅周末（无节假日数据）",
}

# 《全国年节及纪念日放假办法》 2024-11-10 revision, in force 2025-01-01.
STATUTORY_DAYS_FROM_2025 = 13
STATUTORY_DAYS_2008_TO_2024 = 11


def _chinese_names() -> dict[str, str]:
    from chinese_calendar.constants import Holiday

    # The package says 清明/端午/中秋; the State Council notices say 清明节/端午节/中秋节.
    official = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
    return {h.value: official.get(h.chinese, h.chinese) for h in Holiday}


@functools.cache
def _package_tables() -> dict[int, CalendarYear]:
    """All years of the chinesecalendar data, grouped by year, read once."""
    from chinese_calendar.constants import holidays, workdays

    names = _chinese_names()
    off: dict[int, dict[date, str]] = {}
    on: dict[int, dict[date, str]] = {}
    for d, english in holidays.items():
        off.setdefault(d.year, {})[d] = names.get(english, english)
    for d, english in workdays.items():
        on.setdefault(d.year, {})[d] = names.get(english, english)
    out: dict[int, CalendarYear] = {}
    for y in sorted(set(off) | set(on)):
        labels = {**off.get(y, {}), **on.get(y, {})}
        out[y] = CalendarYear(
            year=y,
            holidays=frozenset(off.get(y, {})),
            extra_workdays=frozenset(on.get(y, {})),
            source=SOURCE_PACKAGE,
            source_note="chinesecalendar 1.11.0",
            holiday_names=labels,
        )
    return out


def package_year(year: int) -> CalendarYear | None:
    """The chinesecalendar schedule of ``year``, or None outside its data."""
    return _package_tables().get(year)


def package_years() -> tuple[int, ...]:
    """Years for which the chinesecalendar package has data."""
    return tuple(sorted(_package_tables()))


def provisional_year(year: int) -> CalendarYear:
    """A year without an official schedule, never later than the official one.

    Days off: the statutory days only. ``extra_workdays``: every Saturday or Sunday
    that could be 调休上班 (``provisional.possible_makeup_days``), some of them in
    late December of the year before (a 元旦 调休上班 day).
    """
    names = statutory_holidays(year)
    possible = possible_makeup_days(names)
    return CalendarYear(
        year=year,
        holidays=frozenset(names),
        extra_workdays=frozenset(possible),
        source=SOURCE_PROVISIONAL,
        provisional=True,
        source_note="《全国年节及纪念日放假办法》第二条（临时推算，可能调休上班的周末暂计为工作日）",
        holiday_names={**possible, **names},
    )


def resolve_year(year: int, admin_years: Mapping[int, CalendarYear]) -> CalendarYear:
    """The schedule of ``year`` by precedence: admin > chinesecalendar > provisional."""
    admin = admin_years.get(year)
    if admin is not None:
        return admin
    return package_year(year) or provisional_year(year)


def calendar_from_sources(
    admin_years: Mapping[int, CalendarYear] | None = None,
    years: Iterable[int] = (),
) -> WorkCalendar:
    """A ``WorkCalendar`` applying the precedence admin > chinesecalendar > provisional.

    ``years`` are resolved eagerly (so their data is checked now); any other
    year is resolved the same way when a computation first reaches it.
    """
    admin = dict(admin_years or {})
    given = {y: resolve_year(y, admin) for y in years}
    given.update(admin)
    given.update({y: cy for y, cy in _package_tables().items() if y not in admin})
    return WorkCalendar(given, fallback=lambda y: resolve_year(y, admin))


@functools.cache
def default_calendar() -> WorkCalendar:
    """The calendar with no administrator data (package data, then provisional)."""
    return calendar_from_sources({})
