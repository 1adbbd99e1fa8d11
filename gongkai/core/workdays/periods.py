"""Other periods around 政府信息公开: proactive publication, and the calendar-day and
month periods of the remedies that reply letters must state.

* Working-day periods cannot end on a non-working day (the n-th working day is one).
* Calendar-day and month periods that end on a day off move to the next working day:
  民法典第二百零三条 "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日";
  weekends and 调休 days off are treated as 休假日 too (docs/legal-notes.md §5.2).
* The start day is never counted (民法典第二百零一条); a month period ends on the
  corresponding day, or the last day of the month if there is none (第二百零二条).
"""

from __future__ import annotations

import calendar as _cal
from datetime import date, timedelta

from gongkai.core.workdays.calendar import WorkCalendar
from gongkai.core.workdays.rules import PROACTIVE_WORKING_DAYS

# 行政复议法（2023）第二十条: 自知道或者应当知道该行政行为之日起六十日内提出行政复议申请.
REVIEW_APPLICATION_DAYS = 60
# 行政诉讼法第四十六条: 直接起诉的，自知道或者应当知道作出行政行为之日起六个月内提出.
LAWSUIT_MONTHS = 6
# 行政诉讼法第四十五条: 不服复议决定的，可以在收到复议决定书之日起十五日内向人民法院提起诉讼.
LAWSUIT_AFTER_REVIEW_DAYS = 15


def publication_due(
    cal: WorkCalendar, formed_on: date, working_days: int = PROACTIVE_WORKING_DAYS
) -> date:
    """Last day to publish proactively: 20 working days after formation or change (条例第二十六条).

    ``working_days`` may be shorter where another law or the catalogue says so.
    """
    return cal.add_working_days(formed_on, working_days)


def roll_to_working_day(cal: WorkCalendar, d: date) -> date:
    """``d`` if it is a working day, else the first working day after it (民法典第二百零三条)."""
    return d if cal.is_working_day(d) else cal.add_working_days(d, 1)


def calendar_days_end(cal: WorkCalendar, start: date, days: int) -> date:
    """Last day of a period of ``days`` calendar days from ``start`` (start not counted)."""
    return roll_to_working_day(cal, start + timedelta(days=days))


def months_end(cal: WorkCalendar, start: date, months: int) -> date:
    """Last day of a period of ``months`` months from ``start`` (民法典第二百零二条, 第二百零三条)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, _cal.monthrange(year, month)[1])
    return roll_to_working_day(cal, date(year, month, day))


def review_application_end(cal: WorkCalendar, known_on: date) -> date:
    """行政复议 application deadline: 60 days from knowing of the act (行政复议法第二十条)."""
    return calendar_days_end(cal, known_on, REVIEW_APPLICATION_DAYS)


def lawsuit_end(cal: WorkCalendar, known_on: date) -> date:
    """Direct lawsuit deadline: 6 months from knowing of the act (行政诉讼法第四十六条)."""
    return months_end(cal, known_on, LAWSUIT_MONTHS)


def lawsuit_after_review_end(cal: WorkCalendar, decision_received_on: date) -> date:
    """Lawsuit after 复议: 15 days from receiving the decision (行政诉讼法第四十五条)."""
    return calendar_days_end(cal, decision_received_on, LAWSUIT_AFTER_REVIEW_DAYS)
