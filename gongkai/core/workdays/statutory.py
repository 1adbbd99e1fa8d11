"""The statutory holidays (《全国年节及纪念日放假办法》第二条) of any year, from the rule.

Its own module because both the calendar (labelling days) and the sources (building
provisional years) need it, and neither may import the other in a circle.
"""

from __future__ import annotations

from datetime import date, timedelta

from lunardate import LunarDate

__all__ = ["qingming", "statutory_holidays"]


def qingming(year: int) -> date:
    """清明 (a solar term, 4 or 5 April) by the usual [Y·D + C] − L formula.

    D = 0.2422; C = 4.81 for 2001–2100 and 5.59 for 1901–2000; L = ⌊Y/4⌋ with
    Y the last two digits of the year (⌊(Y−1)/4⌋ is not needed after February).
    """
    y = year % 100
    c = 4.81 if year > 2000 else 5.59
    if year == 2000:
        y, c = 100, 5.59
    return date(year, 4, int(y * 0.2422 + c) - y // 4)


def _lunar(year: int, month: int, day: int) -> date:
    solar: date = LunarDate(year, month, day).to_solar_date()
    return solar


def statutory_holidays(year: int) -> dict[date, str]:
    """全体公民放假的节日 of 《全国年节及纪念日放假办法》第二条 for ``year``.

    From 2025: 元旦1、春节4（除夕、正月初一至初三）、清明1、劳动节2、端午1、中秋1、国庆3
    = 13 days. 2008–2024: 春节3（初一至初三）、劳动节1 = 11 days. Before 2008
    (1999 text): 元旦1、春节3、劳动节3、国庆3.
    """
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    new_year = _lunar(year, 1, 1)
    spring = [new_year + timedelta(days=i) for i in range(3)]
    if year >= 2025:
        spring.insert(0, new_year - timedelta(days=1))  # 除夕
    days.update(dict.fromkeys(spring, "春节"))
    if year >= 2008:
        days[qingming(year)] = "清明节"
        days[_lunar(year, 5, 5)] = "端午节"
        days[_lunar(year, 8, 15)] = "中秋节"
    labour = 2 if year >= 2025 else (1 if year >= 2008 else 3)
    days.update({date(year, 5, 1 + i): "劳动节" for i in range(labour)})
    days.update({date(year, 10, 1 + i): "国庆节" for i in range(3)})
    return {d: n for d, n in days.items() if d.year == year}
