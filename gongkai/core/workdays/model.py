"""The values a deadline ledger is made of (see ``ledger.py`` for the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from gongkai.core.workdays.events import Event
from gongkai.core.workdays.rules import DeadlineSettings

Status = Literal[
    "on_time",
    "due_soon",
    "overdue",
    "answered_on_time",
    "answered_late",
    "awaiting_applicant",
    "lapsed",
    "closed",
]
STATUS_LABELS: dict[str, str] = {
    "on_time": "期限内",
    "due_soon": "即将到期",
    "overdue": "已超期",
    "answered_on_time": "已按期答复",
    "answered_late": "逾期答复",
    "awaiting_applicant": "等待申请人（补正或缴费）",
    "lapsed": "申请人逾期未补正或未缴费，应予结案",
    "closed": "已结案",
}
Clock = Literal["running", "paused", "awaiting_correction", "stopped"]
PauseKind = Literal["third_party", "other_agency", "fee"]
PAUSE_LABELS: dict[str, str] = {
    "third_party": "征求第三方意见（条例第三十二条）",
    "other_agency": "征求其他机关意见（条例第三十四条）",
    "fee": "等待缴纳信息处理费",
}
MAX_DAY_ROWS = 1000


@dataclass(frozen=True)
class Pause:
    """A stopped-clock interval: days in ``(start, end]`` are not counted."""

    kind: PauseKind
    start: date
    end: date
    window_end: date
    open: bool
    counted: bool
    ref: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        return PAUSE_LABELS[self.kind]


@dataclass(frozen=True)
class LedgerDay:
    """One calendar day of the ledger: counted or not, and why."""

    date: date
    counted: bool
    number: int | None
    reason: str
    events: tuple[str, ...] = ()
    provisional: bool = False


@dataclass(frozen=True)
class Ledger:
    """Everything known about the deadlines of one application on ``today``."""

    today: date
    settings: DeadlineSettings
    events: tuple[Event, ...]
    received_on: date
    receipt_rule: str
    clock_start: date | None
    correction_notice_due: date
    correction_deadline: date | None
    payment_deadline: date | None
    statutory_due: date | None
    due_date: date | None
    allowed_working_days: int
    extension_working_days: int
    extension_approver: str
    paused_working_days: int
    used_working_days: int
    left_working_days: int | None
    status: Status
    clock: Clock
    provisional: bool
    provisional_years: tuple[int, ...]
    pauses: tuple[Pause, ...]
    concluded_on: date | None
    warnings: tuple[str, ...]
    unextended_due: date | None = None
    days: tuple[LedgerDay, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]
