"""The working-day calendar (工作日历), built from data.

A date is a working day (工作日) iff (a) it is Monday–Friday and not an official
day off in that year's schedule, or (b) it is a weekend day designated 上班 in
that year's schedule (调休上班). Statutory holidays and the extra 调休 days off
are both non-working (《全国年节及纪念日放假办法》第二条、第六条、第七条 and the
annual 国务院办公厅 notice; see ``docs/workdays.md``).

Counting rule used by every period in this package: **the start date is day
zero**. ``add_working_days(start, n)`` returns the n-th working day strictly
after ``start`` and ``working_days_between(a, b)`` counts the working days in
the half-open interval ``(a, b]``. This follows 民法典第二百零一条 ("开始的当日
不计入，自下一日开始计算") as applied to 条例第三十三条's "自收到申请之日起20个工作日内";
the alternative convention is a setting of the ledger (``StartDayConvention``).

Because the n-th working day is by construction a working day, a period counted
in working days can never end on a non-working day.
"""

from __future__ import annotations

import functools
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from gongkai.core.workdays.statutory import statutory_holidays

MIN_YEAR = 1901
MAX_YEAR = 2099
# Years indexed on first use (then extended on demand).
INITIAL_SPAN = (2000, 2040)

DayKind = Literal[
    "workday",
    "weekend",
    "holiday",
    "rest_day",
    "substitute_holiday",
    "holiday_weekend",
    "makeup_workday",
    "provisional_workday",
]

DAY_KIND_LABELS: Mapping[DayKind, str] = {
    "workday": "工作日",
    "weekend": "周末",
    "holiday": "法定节假日",
    "rest_day": "调休休息日",
    "substitute_holiday": "补假",
    "holiday_weekend": "周末",
    "makeup_workday": "调休上班",
    # A weekend day of a provisional year that could be 调休上班 (provisional.py).
    "provisional_workday": "可能调休上班的周末",
}
# The kinds of a day off listed in a year's schedule (``holiday`` … ``holiday_weekend``).
SCHEDULED_OFF_KINDS: frozenset[DayKind] = frozenset(
    {"holiday", "rest_day", "substitute_holiday", "holiday_weekend"}
)
# How far from a break its 调休上班 days are looked for (days; the widest gap in
# the notices since 2008 is under three weeks, e.g. 2026-09-20 before 国庆).
_MAKEUP_REACH_DAYS = 31


class CalendarRangeError(ValueError):
    """A date outside the years this calendar can describe (1901–2099)."""


@dataclass(frozen=True)
class CalendarYear:
    """One year of the holiday schedule, as data.

    ``holidays`` are the official days off of the schedule (statutory days and
    调休 days off, including weekend days inside a 放假 range);
    ``extra_workdays`` are the weekend days designated 上班 (调休上班).
    A schedule may list a date of the neighbouring year (e.g. the 2019 notice
    gave 2018-12-30 off); such dates are honoured by ``WorkCalendar``.
    """

    year: int
    holidays: frozenset[date]
    extra_workdays: frozenset[date]
    source: str
    provisional: bool = False
    source_note: str = ""
    holiday_names: Mapping[date, str] = field(
        default_factory=dict, compare=False, hash=False
    )
    regional_holidays: frozenset[date] = field(
        default_factory=frozenset, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        both = self.holidays & self.extra_workdays
        if both:
            first = min(both).isoformat()
            raise ValueError(f"{self.year}年日历中 {first} 既是放假日又是上班日。")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise CalendarRangeError(
                f"不支持的年份：{self.year}（{MIN_YEAR}–{MAX_YEAR}）。"
            )

    def with_days_off(self, days: Mapping[date, str], note: str = "") -> CalendarYear:
        """This year plus extra days off, e.g. a region's 少数民族节日.

        《全国年节及纪念日放假办法》第四条 lets local governments of 聚居地区 add
        holidays; they are non-working for the agencies of that region. A day that
        was a 调休上班 day becomes a day off. These days are labelled 法定节假日
        (``regional_holidays``), not 调休休息日.
        """
        extra = {d: n for d, n in days.items() if d.year == self.year}
        return CalendarYear(
            year=self.year,
            holidays=self.holidays | frozenset(extra),
            extra_workdays=self.extra_workdays - frozenset(extra),
            source=self.source,
            provisional=self.provisional,
            source_note="；".join(x for x in (self.source_note, note) if x),
            holiday_names={**self.holiday_names, **extra},
            regional_holidays=self.regional_holidays | frozenset(extra),
        )

    def name_of(self, d: date) -> str:
        """The holiday a day off or a make-up working day belongs to, if known."""
        return self.holiday_names.get(d, "")


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one date.

    A day off of the schedule is one of (``WorkCalendar._off_kind``):

    * ``holiday`` 法定节假日 — a day of 《全国年节及纪念日放假办法》第二条 (13 days
      from 2025, 11 from 2008; ``statutory.statutory_holidays``) or a regional
      holiday (第四条, ``CalendarYear.with_days_off``), weekend or not;
    * ``holiday_weekend`` 周末（…假期） — a Saturday or Sunday inside a break;
    * ``substitute_holiday`` 补假 — a weekday off in a break that has no 调休上班
      day but a statutory day on a weekend (第六条), e.g. 2025-06-02 after 端午
      on Saturday 5/31;
    * ``rest_day`` 调休休息日 — any other weekday off: days moved by 调休 (第七条),
      e.g. 2025-02-03/04 for the Sundays/Saturdays 1/26 and 2/8. In a break with
      both 调休 and a statutory day on a weekend (2026 国庆) the notice does not
      say which weekday is the 补假, so they are all 调休休息日.
    """

    date: date
    working: bool
    kind: DayKind
    name: str
    provisional: bool
    source: str

    @property
    def label(self) -> str:
        """Chinese label such as ``法定节假日（春节）``, ``调休休息日（春节）``,
        ``周末（春节假期）`` or ``调休上班（国庆节）``."""
        base = DAY_KIND_LABELS[self.kind]
        if self.kind == "holiday_weekend":
            return f"{base}（{self.name}假期）" if self.name else f"{base}（放假期间）"
        return f"{base}（{self.name}）" if self.name else base

    @property
    def scheduled_off(self) -> bool:
        """A day off listed in the year's schedule (not an ordinary weekend)."""
        return self.kind in SCHEDULED_OFF_KINDS


@functools.cache
def _statutory_days(year: int) -> frozenset[date]:
    """The 全体公民放假的节日 of ``year`` (《全国年节及纪念日放假办法》第二条)."""
    try:
        return frozenset(statutory_holidays(year))
    except ValueError:  # outside the lunar tables
        return frozenset()


def weekends_only_year(year: int) -> CalendarYear:
    """A year with no holiday data at all: weekends off, flagged provisional."""
    return CalendarYear(year, frozenset(), frozenset(), "weekends_only", True)


def _jan1(year: int) -> int:
    return date(year, 1, 1).toordinal()


class WorkCalendar:
    """Working days from per-year data, with O(log n) arithmetic.

    ``years`` gives the schedule of each known year; any other year is asked of
    ``fallback`` (default: weekends only, provisional) when first needed.
    Internally a contiguous span of years is indexed as a cumulative count of
    working days per ordinal and a sorted list of working-day ordinals, so
    ``add_working_days`` is a list lookup and ``working_days_between`` two.
    """

    def __init__(
        self,
        years: Mapping[int, CalendarYear] | None = None,
        fallback: Callable[[int], CalendarYear] | None = None,
    ) -> None:
        self._given: dict[int, CalendarYear] = dict(years or {})
        self._fallback = fallback or weekends_only_year
        self._resolved: dict[int, CalendarYear] = {}
        self._lo_year = 0
        self._hi_year = -1  # empty span
        self._base = 0  # ordinal of 1 Jan of _lo_year
        self._cum: list[int] = []  # _cum[o - base] = working days in [base, o]
        self._work: list[int] = []  # ordinals of working days, ascending
        self._info: dict[int, tuple[DayKind, str]] = {}  # non-plain days only
        self._lock = threading.Lock()

    @classmethod
    def from_dates(
        cls,
        holidays: Iterable[date],
        extra_workdays: Iterable[date] = (),
        source: str = "data",
    ) -> WorkCalendar:
        """A calendar from two plain date sets (years not covered: weekends only)."""
        hol = frozenset(holidays)
        extra = frozenset(extra_workdays)
        years = {d.year for d in hol | extra}
        data = {
            y: CalendarYear(
                y,
                frozenset(d for d in hol if d.year == y),
                frozenset(d for d in extra if d.year == y),
                source,
            )
            for y in years
        }
        return cls(data)

    # -- per-year data ------------------------------------------------------

    def year(self, year: int) -> CalendarYear:
        """The schedule used for ``year`` (given data, else the fallback)."""
        found = self._resolved.get(year)
        if found is not None:
            return found
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise CalendarRangeError(
                f"日期超出可计算范围：{year}年（支持 {MIN_YEAR}–{MAX_YEAR} 年）。"
            )
        found = self._given.get(year) or self._fallback(year)
        self._resolved[year] = found
        return found

    def is_provisional_year(self, year: int) -> bool:
        """True if ``year`` is computed without a published official schedule."""
        return self.year(year).provisional

    def provisional_years(self, a: date, b: date) -> tuple[int, ...]:
        """Provisional years among those spanned by the dates ``a``..``b``."""
        lo, hi = min(a, b).year, max(a, b).year
        return tuple(y for y in range(lo, hi + 1) if self.is_provisional_year(y))

    def touches_provisional(self, a: date, b: date) -> bool:
        """True if a computation over ``a``..``b`` depends on a provisional year."""
        return bool(self.provisional_years(a, b))

    # -- the index ----------------------------------------------------------

    def _listed(self, year: int) -> dict[int, tuple[bool, str, bool]]:
        """Dates of ``year`` the schedules list: ordinal → (day off, name, regional)."""
        out: dict[int, tuple[bool, str, bool]] = {}
        if not MIN_YEAR <= year <= MAX_YEAR:
            return out
        for y in (year - 1, year, year + 1):
            if not MIN_YEAR <= y <= MAX_YEAR:
                continue
            if y != year and y not in self._given:
                continue  # spill-over dates only come from given (official) data
            cy = self.year(y)
            for d in cy.holidays:
                if d.year == year:
                    regional = d in cy.regional_holidays
                    out[d.toordinal()] = (True, cy.name_of(d), regional)
            for d in cy.extra_workdays:
                if d.year == year:
                    out[d.toordinal()] = (False, cy.name_of(d), False)
        return out

    def _year_days(
        self, year: int
    ) -> tuple[list[bool], dict[int, tuple[DayKind, str]]]:
        """Working flags for each day of ``year`` and the labels of special days."""
        start = _jan1(year)
        n = _jan1(year + 1) - start
        flags = [((start + i) % 7) not in (0, 6) for i in range(n)]  # ord%7: 0=Sun
        info: dict[int, tuple[DayKind, str]] = {}
        listed = self._listed(year)
        for o, (off, _name, _regional) in listed.items():
            flags[o - start] = not off
        near: dict[int, dict[int, tuple[bool, str, bool]]] = {year: listed}
        for o, (off, name, regional) in listed.items():
            if off:
                d = date.fromordinal(o)
                info[o] = (self._off_kind(d, name, regional, near), name)
            else:
                info[o] = ("makeup_workday", name)
        return flags, info

    # -- what kind of day off ---------------------------------------------------

    def _off_kind(
        self,
        d: date,
        name: str,
        regional: bool,
        near: dict[int, dict[int, tuple[bool, str, bool]]],
    ) -> DayKind:
        """法定节假日, 周末 in a break, 补假 or 调休休息日 (see ``DayInfo``)."""
        if regional or d in _statutory_days(d.year):
            return "holiday"
        if d.weekday() >= 5:
            return "holiday_weekend"
        run = self._off_run(d, near)
        weekend_statutory = any(
            x.weekday() >= 5 and x in _statutory_days(x.year) for x in run
        )
        if weekend_statutory and not self._has_makeup_days(run, near):
            return "substitute_holiday"
        return "rest_day"

    def _entry(
        self, d: date, near: dict[int, dict[int, tuple[bool, str, bool]]]
    ) -> tuple[bool, str, bool] | None:
        if d.year not in near:
            near[d.year] = self._listed(d.year)
        return near[d.year].get(d.toordinal())

    def _off_run(
        self, d: date, near: dict[int, dict[int, tuple[bool, str, bool]]]
    ) -> list[date]:
        """The consecutive non-working days around ``d`` (one break, weekends included)."""

        def off(x: date) -> bool:
            entry = self._entry(x, near)
            return entry[0] if entry is not None else x.weekday() >= 5

        run = [d]
        step = timedelta(days=1)
        while len(run) < 2 * _MAKEUP_REACH_DAYS and off(run[0] - step):
            run.insert(0, run[0] - step)
        while len(run) < 2 * _MAKEUP_REACH_DAYS and off(run[-1] + step):
            run.append(run[-1] + step)
        return run

    def _has_makeup_days(
        self, run: list[date], near: dict[int, dict[int, tuple[bool, str, bool]]]
    ) -> bool:
        """Whether a 调休上班 day of the same holiday lies near the break ``run``."""
        names = {e[1] for x in run if (e := self._entry(x, near)) and e[1]}
        reach = timedelta(days=_MAKEUP_REACH_DAYS)
        x = run[0] - reach
        while x <= run[-1] + reach:
            entry = self._entry(x, near)
            same = entry is not None and (
                not names or not entry[1] or entry[1] in names
            )
            if entry is not None and not entry[0] and same:
                return True
            x += timedelta(days=1)
        return False

    def _append_year(self, year: int) -> None:
        flags, info = self._year_days(year)
        self._mark_possible_workdays(year, flags, info)
        start = _jan1(year)
        running = self._cum[-1] if self._cum else 0
        for i, working in enumerate(flags):
            if working:
                running += 1
                self._work.append(start + i)
            self._cum.append(running)
        self._info.update(info)

    def _mark_possible_workdays(
        self, year: int, flags: list[bool], info: dict[int, tuple[DayKind, str]]
    ) -> None:
        """Count the possible 调休上班 days of a provisional year as working days.

        A provisional year's ``extra_workdays`` are not announced 上班 days but
        weekend days that *could* be (``provisional.py``): they count, so that a
        provisional due date is never later than the official one, and are labelled
        ``provisional_workday``. In a provisional year this includes those of the
        next provisional year (a 元旦 调休上班 day in late December). A published
        year is left as published.
        """
        if not self.year(year).provisional:
            return
        start = _jan1(year)
        possible: dict[int, str] = {}
        for y in (year - 1, year, year + 1):
            if not MIN_YEAR <= y <= MAX_YEAR:
                continue
            cy = self.year(y)
            if cy.provisional:
                for d in cy.extra_workdays:
                    if d.year == year:
                        possible[d.toordinal()] = cy.name_of(d)
        for o, name in possible.items():
            if o in info and not flags[o - start]:
                continue  # a day off (a statutory day, or listed by a published year)
            flags[o - start] = True
            info[o] = ("provisional_workday", name)

    def _covers(self, lo: int, hi: int) -> bool:
        return self._lo_year <= lo and hi <= self._hi_year

    def _ensure_years(self, lo: int, hi: int) -> None:
        """Index the years ``lo``..``hi`` (at least ``INITIAL_SPAN`` on first use).

        The index only grows, under a lock; within ``INITIAL_SPAN`` it is built once
        and then read-only, so one calendar can be shared by threads. Reaching
        before the indexed span rebuilds it (rare: dates before 2000).
        """
        if self._covers(lo, hi):
            return
        for y in (lo, hi):
            if not MIN_YEAR <= y <= MAX_YEAR:
                raise CalendarRangeError(
                    f"日期超出可计算范围：{y}年（支持 {MIN_YEAR}–{MAX_YEAR} 年）。"
                )
        with self._lock:
            if self._covers(lo, hi):
                return
            if self._hi_year < self._lo_year:
                lo, hi = min(lo, INITIAL_SPAN[0]), max(hi, INITIAL_SPAN[1])
            self._extend(lo, hi)

    def _extend(self, lo: int, hi: int) -> None:
        if self._hi_year < self._lo_year or lo < self._lo_year:
            new_lo = lo if self._hi_year < self._lo_year else min(lo, self._lo_year)
            new_hi = max(hi, self._hi_year)
            self._lo_year, self._hi_year = new_lo, new_lo - 1
            self._base = _jan1(new_lo)
            self._cum, self._work, self._info = [], [], {}
            hi = new_hi
        for y in range(self._hi_year + 1, hi + 1):
            self._append_year(y)
        self._hi_year = max(self._hi_year, hi)

    def _ensure(self, *dates: date) -> None:
        lo, hi = self._base, self._base + len(self._cum)
        for d in dates:
            if not lo <= d.toordinal() < hi:  # outside the indexed span: extend it
                years = [x.year for x in dates]
                self._ensure_years(min(years), max(years))
                return

    def _rank(self, ordinal: int) -> int:
        """Working days in [start of span, ordinal]."""
        return self._cum[ordinal - self._base]

    # -- public arithmetic --------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """工作日: Mon–Fri not off in the schedule, or a weekend 调休上班 day."""
        self._ensure(d)
        o = d.toordinal()
        i = o - self._base
        prev = self._cum[i - 1] if i > 0 else 0
        return self._cum[i] > prev

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]`` (``a`` is day zero); negative if ``b < a``.

        ``working_days_between(d, add_working_days(d, n)) == n`` for every n ≥ 0.
        """
        self._ensure(a, b)
        return self._rank(b.toordinal()) - self._rank(a.toordinal())

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start``; ``start`` itself is day zero.

        This is "自…之日起n个工作日内" with the start day not counted (民法典第二百零一条).
        ``n == 0`` returns ``start``; a negative ``n`` counts backwards (the
        |n|-th working day strictly before ``start``).
        """
        if n == 0:
            return start
        self._ensure(start)
        if n > 0:
            index = self._rank(start.toordinal()) + n - 1
            while index >= len(self._work):
                self._ensure_years(self._lo_year, self._hi_year + 1)
        else:
            before = (
                self._rank(start.toordinal() - 1)
                if start.toordinal() > self._base
                else 0
            )
            index = before + n
            while index < 0:
                self._ensure_years(self._lo_year - 1, self._hi_year)
                before = self._rank(start.toordinal() - 1)
                index = before + n
        return date.fromordinal(self._work[index])

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def working_days_in(self, a: date, b: date) -> list[date]:
        """The working days in ``(a, b]``, ascending."""
        self._ensure(a, b)
        lo = bisect_right(self._work, a.toordinal())
        hi = bisect_right(self._work, b.toordinal())
        return [date.fromordinal(o) for o in self._work[lo:hi]]

    def day_info(self, d: date) -> DayInfo:
        """Kind and name of a date, for explanations (周末 / 法定节假日（春节） / …)."""
        working = self.is_working_day(d)
        cy = self.year(d.year)
        special = self._info.get(d.toordinal())
        kind: DayKind
        if special is not None:
            kind, name = special
        else:
            kind, name = ("workday" if working else "weekend"), ""
        return DayInfo(d, working, kind, name, cy.provisional, cy.source)

    def describe(self, a: date, b: date) -> list[DayInfo]:
        """``day_info`` for every date in ``[a, b]``, in one pass over the index."""
        self._ensure(a, b)
        years = {y: self.year(y) for y in range(a.year, b.year + 1)}
        out: list[DayInfo] = []
        prev = self._rank(a.toordinal() - 1) if a.toordinal() > self._base else 0
        for o in range(a.toordinal(), b.toordinal() + 1):
            rank = self._cum[o - self._base]
            working, prev = rank > prev, rank
            d = date.fromordinal(o)
            cy = years[d.year]
            special = self._info.get(o)
            kind: DayKind
            if special is not None:
                kind, name = special
            else:
                kind, name = ("workday" if working else "weekend"), ""
            out.append(DayInfo(d, working, kind, name, cy.provisional, cy.source))
        return out

    def span_days(self, a: date, b: date) -> Iterable[date]:
        """Every calendar date in ``[a, b]``."""
        for i in range((b - a).days + 1):
            yield a + timedelta(days=i)
