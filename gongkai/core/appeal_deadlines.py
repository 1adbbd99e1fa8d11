"""The body's reply period in a 行政复议 or 行政诉讼 about disclosure (pure, no Django).

- 行政复议 — 《行政复议法》(2023) 第四十八条: the 被申请人 answers in writing within
  十日 of receiving the copy of the application (申请书副本或者申请笔录复印件); 第八十八条:
  the law's periods of "三日、五日、七日、十日" are working days (工作日, 不含法定休假日).
  So: 10 working days, the day of receipt is day zero.
  (The same 十日 reply appears in the pre-2023 law's 第二十三条, whose 第四十条 made
  only 五日/七日 working days; the 2023 article numbers are as cited in issue 19.)
- 行政诉讼 — 《行政诉讼法》第六十七条: the 被告 files its 答辩状 and evidence within
  十五日 of receiving the copy of the complaint (起诉状副本). Calendar days, the day of
  receipt not counted; a last day that is a 法定休假日 (a weekend or holiday not
  worked) moves to the next working day (《民事诉讼法》第八十五条, applied through
  《行政诉讼法》第一百零一条).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

REVIEW_REPLY_WORKING_DAYS = 10  # 行政复议法 第四十八条, 第八十八条
SUIT_DEFENCE_CALENDAR_DAYS = 15  # 行政诉讼法 第六十七条

REVIEW = "review"
SUIT_DIRECT = "suit_direct"
SUIT_AFTER_REVIEW = "suit_after_review"
SUITS = frozenset({SUIT_DIRECT, SUIT_AFTER_REVIEW})


class Calendar(Protocol):
    def is_working_day(self, d: date) -> bool: ...

    def add_working_days(self, start: date, n: int) -> date: ...


def review_reply_due(received_on: date, calendar: Calendar) -> date:
    """书面答复 due: the 10th working day after receipt (receipt day is day zero)."""
    return calendar.add_working_days(received_on, REVIEW_REPLY_WORKING_DAYS)


def suit_defence_due(received_on: date, calendar: Calendar) -> date:
    """答辩状 due: receipt + 15 calendar days, moved forward off a day not worked."""
    due = received_on + timedelta(days=SUIT_DEFENCE_CALENDAR_DAYS)
    while not calendar.is_working_day(due):
        due += timedelta(days=1)
    return due


def reply_due(kind: str, received_on: date, calendar: Calendar) -> date:
    """The due date of the body's 答复 (复议) or 答辩状 (诉讼) for a case of ``kind``."""
    if kind == REVIEW:
        return review_reply_due(received_on, calendar)
    if kind in SUITS:
        return suit_defence_due(received_on, calendar)
    raise ValueError(f"unknown appeal kind: {kind!r}")


def reply_article(kind: str) -> str:
    """The article behind the period, as shown next to the countdown."""
    if kind == REVIEW:
        return "《行政复议法》第四十八条：收到申请书副本之日起10个工作日内提出书面答复"
    return "《行政诉讼法》第六十七条：收到起诉状副本之日起15日内提出答辩状"


def days_left(due: date, today: date) -> int:
    """Calendar days from ``today`` to ``due`` (negative once overdue)."""
    return (due - today).days
