"""The provisional method for a year whose holiday notice is not out yet.

Until the 国务院办公厅 publishes 《关于YYYY年部分节假日安排的通知》 (October–December of
the year before), a deadline reaching into that year is computed provisionally. The
one requirement: **a provisional due date is never later than the official one**, or
the body would be told it has days it does not have.

The official schedule differs from "weekdays minus the statutory days" in two ways:

* extra weekdays off (调休 days off, 补假 of 第六条) — they make the official count
  *slower*, so counting them as working days is on the safe side;
* 调休上班 Saturdays and Sundays — they make the official count *faster*. Leaving them
  out made the old provisional reply date later than the official one for 360 of
  8,373 back-tested receipts (e.g. received 2024-01-15: provisional 02-13, official
  02-09).

So a provisional year counts as a working day every day the official schedule might
count: every weekday except the statutory days of 《全国年节及纪念日放假办法》第二条
(a day off in every schedule), and every Saturday or Sunday that could be 调休上班 —
those near a statutory holiday, because 调休 only swaps days of the break with the
weekends around it (第七条: "可合理安排统一放假调休…法定节假日假期前后连续工作一般
不超过6天"). The official working days are then a subset of the provisional ones, so
the n-th provisional working day after any date is never later than the n-th
official one, for every n (7, 15, 20, 40 …).

How near (``possible_makeup_days``):

* 春节、劳动节、国庆节 (breaks of 5–9 days: "春节自农历除夕起放假调休8天，国庆节自10月1日起
  放假调休7天，劳动节放假调休5天", 国办发明电〔2024〕12号) — a Saturday or Sunday within
  ``LONG_REACH_DAYS`` (10) days before the first or after the last statutory day;
* 元旦、清明节、端午节、中秋节 ("分别放假调休或连休3天") — within ``SHORT_REACH_DAYS`` (6)
  days, i.e. the weekend just before and just after; such a day within 10 days of a
  long holiday's statutory day counts as part of it (中秋 next to 国庆: the 2026
  国庆 调休上班 day 9/20 lies before the 中秋 break, 11 days before 10/1).

The 调休上班 days of every notice 2004–2026 (``chinesecalendar``) lie at most 8 days
before (2023-04-23) and 10 days after (2024-05-11) a long holiday's statutory days,
and at most 5 days from a short one's (2013-01-06; 2026-09-20, 11 days before 国庆,
is 5 days before 中秋). The one exception, 2015-09-06, belonged to the one-off
抗战胜利70周年纪念日 holiday announced in May 2015, not to a 第二条 holiday.
``gongkai/core/tests/test_provisional_backtest.py`` replays every year as if its notice
were not out: no receipt gets a later reply date (20 working days), nor a later 15-
or 40-day date; for 7 days only two receipts across that one-off day do.

A 元旦 调休上班 day may fall in December of the year before (2018-12-29 for 2019), so a
provisional year's possible days can lie in the year before. ``WorkCalendar`` counts
them there when that year is provisional too; a published year is left as published
(its yearly figures stay those of its notice). Known limit: until the next notice is
out, a receipt in early December of the last published year can be due a few days
later than that notice will make it (5 receipts in 2004–2026, e.g. 2018-12-03).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

# The holidays whose break is arranged over a week or more (国办发明电〔2024〕12号).
LONG_HOLIDAYS = frozenset({"春节", "劳动节", "国庆节"})
LONG_REACH_DAYS = 10
SHORT_REACH_DAYS = 6

PROVISIONAL_METHOD = (
    "法定节日（《全国年节及纪念日放假办法》第二条）不计入；节日前后可能调休上班的周六、周日"
    f"（春节、劳动节、国庆节前后{LONG_REACH_DAYS}日内，元旦、清明节、端午节、中秋节前后"
    f"{SHORT_REACH_DAYS}日内）暂计为工作日，因此暂定日期不会晚于官方安排下的日期"
)


def possible_makeup_days(statutory: Mapping[date, str]) -> dict[date, str]:
    """Saturdays and Sundays that could be 调休上班 around the given statutory days.

    ``statutory`` maps each statutory day of a year to its holiday's name (as
    ``statutory.statutory_holidays`` gives it); the result maps each possible 调休上班
    day to the holiday it would belong to. Statutory days themselves are never in
    the result. See the module docstring for the rule and its sources.
    """
    long_days = [d for d, name in statutory.items() if name in LONG_HOLIDAYS]
    out: dict[date, str] = {}
    for day, name in sorted(statutory.items()):
        near_long = name in LONG_HOLIDAYS or any(
            abs((day - other).days) <= LONG_REACH_DAYS for other in long_days
        )
        reach = LONG_REACH_DAYS if near_long else SHORT_REACH_DAYS
        for k in range(-reach, reach + 1):
            d = day + timedelta(days=k)
            if d.weekday() >= 5 and d not in statutory:
                out.setdefault(d, name)
    return out


def provisional_date_note(years: Iterable[int] = ()) -> str:
    """The sentence a letter prints next to a provisional date (暂定, to be confirmed)."""
    listed = "、".join(str(y) for y in sorted(set(years)))
    which = f"{listed}年" if listed else "相关年度"
    return f"该日期为暂定日期：{which}国务院办公厅节假日安排尚未公布，本机关将在安排公布后予以确认。"


WEEKDAY_NAMES = "一二三四五六日"


def provisional_weekend_note(day: date | None, provisional: bool) -> str:
    """Why a 临时 date falls on a Saturday or Sunday ("" for any other date).

    While a year's schedule is not entered, the weekends that could be 调休上班
    around its holidays count as working days (``PROVISIONAL_METHOD``: the
    conservative rule, so a provisional date is never later than the official one),
    and a deadline counted over them can end on one. Every screen that shows such a
    date says so next to it, in these words."""
    if not provisional or day is None or day.weekday() < 5:
        return ""
    return (
        f"临时日期（周{WEEKDAY_NAMES[day.weekday()]}）：节假日安排尚未录入，"
        "节日前后可能调休上班的周末暂计为工作日"
    )
