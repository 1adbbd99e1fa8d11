"""How urgent an application is, read from its due date and today (never stored).

One rule for every place that says "due soon" (即将到期): the ledger's status
(``ledger._status``), the badge on the list and the case page, the list filter and
its label, the supervision dashboard. The threshold is
:data:`~gongkai.core.workdays.rules.DUE_SOON_WORKING_DAYS`.

* overdue (已超期): today is after the due date;
* due soon (即将到期): at most ``DUE_SOON_WORKING_DAYS`` working days left, counted
  as ``WorkCalendar.working_days_between(today, due)`` (today is day zero);
* on time (期限内): more left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from gongkai.core.workdays.calendar import WorkCalendar
from gongkai.core.workdays.rules import DUE_SOON_WORKING_DAYS

__all__ = [
    "DUE_SOON_LABEL",
    "URGENCY_FILTERS",
    "Urgency",
    "UrgencyKey",
    "due_soon_limit",
    "urgency_key",
    "urgency_of",
    "working_days_left",
]

UrgencyKey = Literal["closed", "unknown", "overdue", "due_soon", "on_time"]

# What the list filter offers (the empty choice, 全部, is the screen's).
DUE_SOON_LABEL = f"{DUE_SOON_WORKING_DAYS}个工作日内到期"
URGENCY_FILTERS: tuple[tuple[str, str], ...] = (
    ("on_time", "正常"),
    ("due_soon", DUE_SOON_LABEL),
    ("overdue", "已超期"),
    ("provisional", "期限为临时计算"),
)


@dataclass(frozen=True)
class Urgency:
    key: UrgencyKey
    label: str
    left: int | None  # working days left (negative: overdue by)


def urgency_key(
    left: int, *, overdue: bool, threshold: int = DUE_SOON_WORKING_DAYS
) -> Literal["overdue", "due_soon", "on_time"]:
    """The rule itself: ``overdue`` is "today is after the due date"."""
    if overdue:
        return "overdue"
    if left <= threshold:
        return "due_soon"
    return "on_time"


def working_days_left(
    due_on: date, today: date, calendar: WorkCalendar | None = None
) -> int:
    """Working days in ``(today, due_on]``; calendar days outside the calendar's span."""
    if calendar is None:
        return (due_on - today).days
    try:
        return calendar.working_days_between(today, due_on)
    except ValueError:  # CalendarRangeError: a year the calendar does not hold
        return (due_on - today).days


def urgency_of(
    due_on: date | None,
    today: date,
    calendar: WorkCalendar | None = None,
    *,
    concluded: bool = False,
    paused: bool = False,
) -> Urgency:
    """The badge of a case: key, Chinese label, working days left.

    The label begins with the ledger's words for the same status (期限内 / 即将到期 /
    已超期), so the badge and the deadline explanation read alike. ``paused``: the
    clock is paused (consultation, fee); the date holds if work resumes tomorrow.
    """
    if concluded:
        return Urgency("closed", "已办结", None)
    if due_on is None:
        return Urgency("unknown", "期限暂停或未定", None)
    left = working_days_left(due_on, today, calendar)
    key = urgency_key(left, overdue=due_on < today)
    if key == "overdue":
        return Urgency(key, f"已超期{-left}个工作日", left)
    note = "（计时暂停）" if paused else ""
    word = "即将到期" if key == "due_soon" else "期限内"
    return Urgency(key, f"{word}，剩余{left}个工作日{note}", left)


def due_soon_limit(today: date, calendar: WorkCalendar | None = None) -> date:
    """The last due date that is "due soon" on ``today``: a database filter
    ``today <= due_on <= due_soon_limit(today)`` selects exactly the cases
    :func:`urgency_of` calls due soon (the day before the (N+1)-th working day, so a
    due date on a rest day is counted like the working day before it)."""
    if calendar is not None:
        try:
            nxt = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS + 1)
            return nxt - timedelta(days=1)
        except ValueError:
            pass
    return today + timedelta(days=DUE_SOON_WORKING_DAYS)
