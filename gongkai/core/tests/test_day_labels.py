"""Labels of days off: 法定节假日 only for the statutory days, 调休休息日 / 补假 / 周末 otherwise.

Hand-checked against the notices in ``../shared/spec/holidays.md`` §3–§4 and
《全国年节及纪念日放假办法》第二条 (2024 revision: 除夕 is statutory from 2025).
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.workdays import (
    calendar_from_sources,
    default_calendar,
    package_year,
    statutory_holidays,
)
from gongkai.core.workdays.calendar import SCHEDULED_OFF_KINDS

D = date.fromisoformat


def labels(first: str, last: str) -> dict[str, str]:
    cal = default_calendar()
    return {i.date.isoformat(): i.label for i in cal.describe(D(first), D(last))}


def test_the_2025_spring_festival_break() -> None:
    # 1/28 (除夕, Tue) to 2/4 (初七, Tue) off, 8 days; 1/26 (Sun) and 2/8 (Sat) 上班.
    # Statutory: 除夕 1/28 and 初一–初三 1/29–1/31; 2/3–2/4 are the two days moved.
    assert labels("2025-01-26", "2025-02-08") == {
        "2025-01-26": "调休上班（春节）",
        "2025-01-27": "工作日",
        "2025-01-28": "法定节假日（春节）",
        "2025-01-29": "法定节假日（春节）",
        "2025-01-30": "法定节假日（春节）",
        "2025-01-31": "法定节假日（春节）",
        "2025-02-01": "周末（春节假期）",
        "2025-02-02": "周末（春节假期）",
        "2025-02-03": "调休休息日（春节）",
        "2025-02-04": "调休休息日（春节）",
        "2025-02-05": "工作日",
        "2025-02-06": "工作日",
        "2025-02-07": "工作日",
        "2025-02-08": "调休上班（春节）",
    }


def test_the_2026_mid_autumn_and_national_day_breaks() -> None:
    # 中秋 (农历八月十五 = 9/25, Fri) 9/25–9/27 off, 3 days, no 调休.
    # 国庆 10/1 (Thu) – 10/7 (Wed) off, 7 days; 9/20 (Sun) and 10/10 (Sat) 上班.
    # Statutory: 10/1–10/3 (10/3 a Saturday); 10/5–10/7 are the days moved (and
    # the 补假 of 10/3, which the notice does not single out).
    got = labels("2026-09-20", "2026-10-11")
    assert got["2026-09-20"] == "调休上班（国庆节）"
    assert got["2026-09-24"] == "工作日"
    assert got["2026-09-25"] == "法定节假日（中秋节）"
    assert got["2026-09-26"] == "周末（中秋节假期）"
    assert got["2026-09-27"] == "周末（中秋节假期）"
    assert got["2026-09-28"] == "工作日"
    assert [got[f"2026-10-0{d}"] for d in range(1, 8)] == [
        "法定节假日（国庆节）",
        "法定节假日（国庆节）",
        "法定节假日（国庆节）",  # Saturday, still a statutory day
        "周末（国庆节假期）",
        "调休休息日（国庆节）",
        "调休休息日（国庆节）",
        "调休休息日（国庆节）",
    ]
    assert got["2026-10-08"] == "工作日"
    assert got["2026-10-10"] == "调休上班（国庆节）"
    assert got["2026-10-11"] == "周末"


def test_the_2025_national_day_and_mid_autumn_break() -> None:
    # 10/1–10/8 off; statutory 10/1–10/3 and 中秋 10/6 (Mon); 9/28, 10/11 上班.
    got = labels("2025-10-01", "2025-10-08")
    assert [got[f"2025-10-0{d}"] for d in range(1, 9)] == [
        "法定节假日（国庆节）",
        "法定节假日（国庆节）",
        "法定节假日（国庆节）",
        "周末（国庆节假期）",
        "周末（国庆节假期）",
        "法定节假日（中秋节）",
        "调休休息日（国庆节）",
        "调休休息日（国庆节）",
    ]


@pytest.mark.parametrize(
    ("day", "label"),
    [
        # 端午 2025 = 5/31 (Sat); 5/31–6/2 off, no 上班 day: 6/2 is the 补假 (第六条).
        ("2025-05-31", "法定节假日（端午节）"),
        ("2025-06-01", "周末（端午节假期）"),
        ("2025-06-02", "补假（端午节）"),
        # 清明 2026 = 4/5 (Sun); 4/4–4/6 off, no 上班 day: 4/6 is the 补假.
        ("2026-04-04", "周末（清明节假期）"),
        ("2026-04-05", "法定节假日（清明节）"),
        ("2026-04-06", "补假（清明节）"),
        # 劳动节 2025: 5/1–5/2 statutory, 5/5 moved for the 上班 Sunday 4/27.
        ("2025-05-02", "法定节假日（劳动节）"),
        ("2025-05-05", "调休休息日（劳动节）"),
        # 元旦 2026: 1/1 statutory, 1/2 moved for the 上班 Sunday 1/4.
        ("2026-01-01", "法定节假日（元旦）"),
        ("2026-01-02", "调休休息日（元旦）"),
        ("2026-01-03", "周末（元旦假期）"),
        # Before 2025 除夕 was not statutory and 春节 had 3 days: 2024-02-10–12.
        ("2024-02-12", "法定节假日（春节）"),
        ("2024-02-13", "调休休息日（春节）"),
        ("2025-01-25", "周末"),  # an ordinary weekend
    ],
)
def test_each_kind_of_day_off(day: str, label: str) -> None:
    assert default_calendar().day_info(D(day)).label == label


def test_the_statutory_days_of_2025_are_those_of_the_notice() -> None:
    # holidays.md §3: 1/1; 1/28 (除夕), 1/29–1/31; 4/4; 5/1–5/2; 5/31; 10/1–10/3; 10/6.
    expected = {
        "2025-01-01",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-01-31",
        "2025-04-04",
        "2025-05-01",
        "2025-05-02",
        "2025-05-31",
        "2025-10-01",
        "2025-10-02",
        "2025-10-03",
        "2025-10-06",
    }
    assert {d.isoformat() for d in statutory_holidays(2025)} == expected
    cal = default_calendar()
    days = cal.describe(D("2025-01-01"), D("2025-12-31"))
    assert {i.date.isoformat() for i in days if i.kind == "holiday"} == expected


def test_only_the_label_changes_not_the_working_days() -> None:
    cal = default_calendar()
    for info in cal.describe(D("2025-01-01"), D("2026-12-31")):
        off = info.kind == "weekend" or info.kind in SCHEDULED_OFF_KINDS
        assert info.working is not off
        assert info.scheduled_off is (not info.working and info.kind != "weekend")


def test_a_regional_holiday_stays_a_holiday() -> None:
    # 第四条: a region's own day off (invented for the test: Monday 2025-03-10).
    national = package_year(2025)
    assert national is not None
    cal = calendar_from_sources(
        {2025: national.with_days_off({D("2025-03-10"): "地方节日"})}
    )
    assert cal.day_info(D("2025-03-10")).label == "法定节假日（地方节日）"
    assert cal.day_info(D("2025-02-03")).label == "调休休息日（春节）"


def test_the_statutory_days_of_a_provisional_year_are_holidays() -> None:
    # 2027 has no schedule yet: its statutory days are computed from 第二条.
    cal = default_calendar()
    for day, name in statutory_holidays(2027).items():
        assert cal.day_info(day).label == f"法定节假日（{name}）"
