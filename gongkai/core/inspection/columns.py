"""When a column becomes overdue: pure date arithmetic over calendar days."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnState:
    last_update: datetime.date | None
    period_days: int
    overdue_on: datetime.date | None  # the first day the column counts as not updated
    days_left: int | None  # None: blank column; negative: overdue by that many days

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left <= 0

    @property
    def blank(self) -> bool:
        return self.last_update is None


def column_state(
    last_update: datetime.date | None, period_days: int, today: datetime.date
) -> ColumnState:
    """A column updated on ``last_update`` must be updated again within
    ``period_days`` ("2周内" = 14 days: updated 14 days ago is still in time; on the
    15th day it is overdue)."""
    if last_update is None:
        return ColumnState(None, period_days, None, None)
    overdue_on = last_update + datetime.timedelta(days=period_days + 1)
    return ColumnState(last_update, period_days, overdue_on, (overdue_on - today).days)
