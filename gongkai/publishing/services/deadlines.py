"""条例第二十六条: the due date of a proactive item."""

from __future__ import annotations

from datetime import date

from gongkai.calendars.selectors import work_calendar
from gongkai.core.workdays import PROACTIVE_WORKING_DAYS, WorkCalendar, default_calendar
from gongkai.publishing.models import Publication

# ------------------------------------------------------------------ Art. 26


def publication_due_date(formed_on: date, days: int = PROACTIVE_WORKING_DAYS) -> date:
    """条例第二十六条: formation/change date + 20 working days (the day itself not counted).

    The one place that reaches the working-day engine; a catalogue row may set a
    shorter period (e.g. 7 working days for 行政执法决定).
    """
    try:
        # The administrators' calendar (holiday notices entered in the back office).

        calendar = work_calendar()
    except ImportError:  # pragma: no cover - the calendars app is optional
        calendar = default_calendar()
    return calendar.add_working_days(formed_on, days)


def publication_due_provisional(
    start: date, due_on: date, calendar: WorkCalendar | None = None
) -> bool:
    """True if the due date was counted over a year whose official holiday schedule
    is not entered (the calendar's 临时 years): it may move once the notice is
    imported, and the screens mark it as the case list does. A list passes the one
    ``calendar`` it read for all its rows."""
    try:
        return (calendar or work_calendar()).touches_provisional(start, due_on)
    except ValueError:  # a date outside the calendar's range: nothing to mark
        return False


def publication_due_is_provisional(
    pub: Publication, calendar: WorkCalendar | None = None
) -> bool:
    """Whether a publication's 应公开日期 is 临时: counted from its change date, else
    its 成文日期 (条例第二十六条)."""
    if pub.due_on is None:
        return False
    return publication_due_provisional(
        pub.changed_on or pub.formed_on, pub.due_on, calendar
    )
