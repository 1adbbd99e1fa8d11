"""When a column becomes overdue: pure date arithmetic over calendar days."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnState:
    last_update: datetime.date | None
    period_days: int
    overdue_on: datetime.date | None  # the first day the column counts as not updated
    # Days from today to the last day still in time (0: today is that day); None: a
    # blank column; negative: overdue by that many days.
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def blank(self) -> bool:
        return self.last_update is None


def column_state(
    last_update: datetime.date | None, period_days: int, today: datetime.date
) -> ColumnState:
    """A column updated on ``last_update`` must be updated again within
    ``period_days`` calendar days. The day of the update is not counted (民法典第二百零一条:
    开始的当日不计入, as every period of the platform): "2周内" = 14 days, so a column
    updated 14 days ago is still in time today, and overdue from tomorrow. Updated
    today, all ``period_days`` days of the period are still left."""
    if last_update is None:
        return ColumnState(None, period_days, None, None)
    last_in_time = last_update + datetime.timedelta(days=period_days)
    overdue_on = last_in_time + datetime.timedelta(days=1)
    return ColumnState(
        last_update, period_days, overdue_on, (last_in_time - today).days
    )
