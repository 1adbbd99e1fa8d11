"""The one urgency rule (core/workdays/urgency.py), worked by hand on 2025 dates."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.identifiers import mask_email
from gongkai.core.inforequest_flow import CONCLUDED_STATUSES, OPEN_STATUSES, Status
from gongkai.core.workdays import default_calendar
from gongkai.core.workdays.rules import DUE_SOON_WORKING_DAYS, DeadlineSettings
from gongkai.core.workdays.urgency import (
    DUE_SOON_LABEL,
    due_soon_limit,
    urgency_key,
    urgency_of,
)

CAL = default_calendar()
DUE = date(2025, 3, 31)  # a Monday


def test_one_threshold_everywhere() -> None:
    assert DUE_SOON_WORKING_DAYS == 3
    assert DeadlineSettings().due_soon_working_days == DUE_SOON_WORKING_DAYS
    assert DUE_SOON_LABEL == "3个工作日内到期"


@pytest.mark.parametrize(
    ("today", "key", "label"),
    [
        # 3/24 (Mon): 3/25–28, 3/31 = 5 left.
        (date(2025, 3, 24), "on_time", "期限内，剩余5个工作日"),
        # 3/25: 3/26–28, 3/31 = 4 left.
        (date(2025, 3, 25), "on_time", "期限内，剩余4个工作日"),
        # 3/26: 3/27, 3/28, 3/31 = 3 left.
        (date(2025, 3, 26), "due_soon", "即将到期，剩余3个工作日"),
        # Saturday 3/29: only 3/31 is left.
        (date(2025, 3, 29), "due_soon", "即将到期，剩余1个工作日"),
        (date(2025, 3, 31), "due_soon", "即将到期，剩余0个工作日"),
        # 4/1: one working day over.
        (date(2025, 4, 1), "overdue", "已超期1个工作日"),
    ],
)
def test_urgency_of_by_hand(today: date, key: str, label: str) -> None:
    u = urgency_of(DUE, today, CAL)
    assert (u.key, u.label) == (key, label)


def test_closed_unknown_and_paused() -> None:
    assert urgency_of(DUE, date(2025, 3, 3), CAL, concluded=True).key == "closed"
    assert urgency_of(None, date(2025, 3, 3), CAL).key == "unknown"
    paused = urgency_of(DUE, date(2025, 3, 26), CAL, paused=True)
    assert paused.label == "即将到期，剩余3个工作日（计时暂停）"


def test_urgency_key_threshold() -> None:
    assert urgency_key(3, overdue=False) == "due_soon"
    assert urgency_key(4, overdue=False) == "on_time"
    assert urgency_key(0, overdue=True) == "overdue"


def test_due_soon_limit_matches_urgency_of_on_every_day() -> None:
    # 3/26 (Wed): the 4th working day after is 4/1, so due dates up to 3/31 are due soon.
    assert due_soon_limit(date(2025, 3, 26), CAL) == date(2025, 3, 31)
    for today in (date(2025, 3, d) for d in range(1, 32)):
        limit = due_soon_limit(today, CAL)
        for due in (date(2025, 3, d) for d in range(today.day, 32)):
            soon = urgency_of(due, today, CAL).key == "due_soon"
            assert soon == (due <= limit), (today, due)


def test_open_statuses_are_the_rest() -> None:
    assert set(OPEN_STATUSES) == set(Status) - CONCLUDED_STATUSES
    assert list(OPEN_STATUSES) == [s for s in Status if not s.is_concluded]


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("wang@example.com", "w***@example.com"),
        ("nodomain", "n***"),
        ("", ""),
    ],
)
def test_mask_email(value: str, masked: str) -> None:
    assert mask_email(value) == masked
