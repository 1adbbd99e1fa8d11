"""A stoppable working-day clock as a value: ``Deadline``.

``compute_ledger`` is the full rule set for an application; ``Deadline`` is the
small building block for any other working-day period that can be stopped and
extended (e.g. a proactive-publication item awaiting approval, an internal
milestone). The start date is day zero (民法典第二百零一条); the days of a pause
``(paused_on, resumed_on]`` are not counted, as 条例第三十三条第三款 does for
consultations; overlapping pauses cannot occur (one at a time).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from gongkai.core.workdays.calendar import WorkCalendar


class DeadlineError(ValueError):
    """An impossible clock operation; the message is Chinese."""


@dataclass(frozen=True)
class Deadline:
    """``working_days`` counted after ``start``, minus paused days."""

    start: date
    working_days: int
    pauses: tuple[tuple[date, date | None], ...] = ()

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None

    def pause(self, on: date) -> Deadline:
        """Stop the clock; ``on`` itself still counts."""
        if self.paused:
            raise DeadlineError("期限已处于暂停状态，不能再次暂停。")
        last = self.pauses[-1][1] if self.pauses else self.start
        if last is not None and on < last:
            raise DeadlineError(f"暂停日期{on}早于上一次恢复或起算日期{last}。")
        return replace(self, pauses=(*self.pauses, (on, None)))

    def resume(self, on: date) -> Deadline:
        """Restart the clock; ``on`` is the last day not counted."""
        if not self.paused:
            raise DeadlineError("期限未暂停，不能恢复。")
        since = self.pauses[-1][0]
        if on < since:
            raise DeadlineError(f"恢复日期{on}早于暂停日期{since}。")
        return replace(self, pauses=(*self.pauses[:-1], (since, on)))

    def extend(self, working_days: int) -> Deadline:
        """Add working days (e.g. an approved extension)."""
        if working_days < 0:
            raise DeadlineError("延长的工作日数不能为负数。")
        return replace(self, working_days=self.working_days + working_days)

    def due(self, cal: WorkCalendar, today: date | None = None) -> date:
        """The due date; an open pause counts up to ``today`` (required while paused)."""
        if self.paused and today is None:
            raise DeadlineError("期限暂停中：请给出计算日（today）。")
        cursor, remaining = self.start, self.working_days
        for since, until in self.pauses:
            end = until if until is not None else max(today or since, since)
            available = cal.working_days_between(cursor, max(since, cursor))
            if available >= remaining:
                break
            remaining -= available
            cursor = max(end, cursor)
        return cal.add_working_days(cursor, remaining)
