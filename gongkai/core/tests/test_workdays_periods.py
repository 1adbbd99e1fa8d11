"""Calendar-day and month periods (remedies) and the Art. 26 publication period.

Expected dates are worked out by hand with the official 2025/2026 schedules
(holidays.md §3–§4); the start day is never counted.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.workdays import default_calendar
from gongkai.core.workdays.periods import (
    calendar_days_end,
    lawsuit_after_review_end,
    lawsuit_end,
    months_end,
    publication_due,
    review_application_end,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("known", "expected"),
    [
        # 8/2 + 60 days = 10/1 (29 days to 8/31, 30 in September, 1): 国庆 10/1–10/8 off → 10/9
        ("2025-08-02", "2025-10-09"),
        # 3/3 + 60 = 5/2 (28 + 30 + 2): 劳动节 5/1–5/5 off → 5/6
        ("2025-03-03", "2025-05-06"),
        # 6/1 + 60 = 7/31 (Thu), a working day → unchanged
        ("2025-06-01", "2025-07-31"),
    ],
)
def test_review_application_period_of_60_days(known: str, expected: str) -> None:
    assert review_application_end(default_calendar(), D(known)) == D(expected)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (
            "2025-01-20",
            "2025-02-05",
        ),  # 1/20 + 15 = 2/4, last day of 春节 1/28–2/4 → 2/5
        ("2025-03-10", "2025-03-25"),  # a Tuesday, unchanged
        ("2025-03-07", "2025-03-24"),  # 3/22 is a Saturday → Monday 3/24
    ],
)
def test_lawsuit_after_review_within_15_days(received: str, expected: str) -> None:
    assert lawsuit_after_review_end(default_calendar(), D(received)) == D(expected)


@pytest.mark.parametrize(
    ("known", "expected"),
    [
        # no 31 February: last day of the month, 2026-02-28, a Saturday designated 上班 → stays
        ("2025-08-31", "2026-02-28"),
        # corresponding day 2025-10-01 is 国庆 → 10/9
        ("2025-04-01", "2025-10-09"),
        ("2025-03-15", "2025-09-15"),  # Monday, unchanged
    ],
)
def test_lawsuit_within_6_months(known: str, expected: str) -> None:
    assert lawsuit_end(default_calendar(), D(known)) == D(expected)


def test_month_and_day_periods_cross_the_year_end() -> None:
    cal = default_calendar()
    # 2025-12-31 + 1 day = 2026-01-01 元旦 (1/1–1/3 off), 1/4 Sunday 上班 → 1/4
    assert calendar_days_end(cal, D("2025-12-31"), 1) == D("2026-01-04")
    # 2025-11-30 + 1 month = 2025-12-30 (Tue)
    assert months_end(cal, D("2025-11-30"), 1) == D("2025-12-30")


def test_publication_due_is_20_working_days_after_formation() -> None:
    # spec §5.6 worked row: 2025-09-26 + 20 working days = 2025-10-30
    assert publication_due(default_calendar(), D("2025-09-26")) == D("2025-10-30")
    assert publication_due(default_calendar(), D("2025-09-26"), 7) == D("2025-10-13")
