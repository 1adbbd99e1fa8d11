"""Reply periods of 复议 and 诉讼, hand-worked around 国庆 2026.

Calendar: 2026-10-01 (Thu) … 10-07 off, Saturday 10-10 is a 调休 working day.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.appeal_deadlines import (
    days_left,
    reply_due,
    review_reply_due,
    suit_defence_due,
)
from gongkai.core.workdays import WorkCalendar

CAL = WorkCalendar.from_dates(
    [date(2026, 10, d) for d in range(1, 8)], extra_workdays=[date(2026, 10, 10)]
)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # 9-30 (1), 10-8 (2), 10-9 (3), Sat 10-10 (4), 10-12..16 (5..9), 10-19 (10)
        (date(2026, 9, 29), date(2026, 10, 19)),
        # received on a holiday: 10-8 (1), 10-9, 10-10 (3), 10-12..16 (8), 10-19, 10-20
        (date(2026, 10, 3), date(2026, 10, 20)),
        # before the holiday: 9-28..30 (3), 10-8, 10-9, 10-10 (6), 10-12..15 (10)
        (date(2026, 9, 25), date(2026, 10, 15)),
        # an ordinary fortnight
        (date(2026, 11, 2), date(2026, 11, 16)),
    ],
)
def test_the_review_reply_is_due_on_the_tenth_working_day(received, due):
    assert review_reply_due(received, CAL) == due
    assert reply_due("review", received, CAL) == due


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # 9-16 + 15 = 10-1, a holiday: moved to 10-8
        (date(2026, 9, 16), date(2026, 10, 8)),
        # 9-25 + 15 = Saturday 10-10, a working day: stays
        (date(2026, 9, 25), date(2026, 10, 10)),
        # 10-3 + 15 = Sunday 10-18: moved to Monday 10-19
        (date(2026, 10, 3), date(2026, 10, 19)),
        # 9-20 + 15 = 10-5 (holiday) -> 10-8; holidays inside the period still count
        (date(2026, 9, 20), date(2026, 10, 8)),
        # 9-22 + 15 = 10-7, last day of the holiday -> 10-8
        (date(2026, 9, 22), date(2026, 10, 8)),
        # 9-23 + 15 = 10-8, a working day
        (date(2026, 9, 23), date(2026, 10, 8)),
    ],
)
def test_the_defence_is_due_fifteen_calendar_days_later_off_a_holiday(received, due):
    assert suit_defence_due(received, CAL) == due
    assert reply_due("suit_direct", received, CAL) == due
    assert reply_due("suit_after_review", received, CAL) == due


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown"):
        reply_due("mediation", date(2026, 1, 5), CAL)


def test_days_left_counts_calendar_days_and_goes_negative():
    assert days_left(date(2026, 10, 8), date(2026, 10, 1)) == 7
    assert days_left(date(2026, 10, 8), date(2026, 10, 9)) == -1
