"""The day-by-day rows of a ledger: which days counted, and why the others did not."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from gongkai.core.workdays.calendar import WorkCalendar
from gongkai.core.workdays.model import MAX_DAY_ROWS, PAUSE_LABELS, Ledger, LedgerDay
from gongkai.core.workdays.rules import StartDayConvention


def _in(merged: Sequence[tuple[date, date]], d: date) -> bool:
    return any(s < d <= e for s, e in merged)


def _pause_reason(ledger: Ledger, d: date) -> str:
    names = [
        PAUSE_LABELS[p.kind]
        for p in ledger.pauses
        if p.counted and p.start < d <= p.end
    ]
    return "暂停：" + "、".join(dict.fromkeys(names))


def _uncounted_fee(ledger: Ledger, d: date) -> bool:
    return any(not p.counted and p.start < d <= p.end for p in ledger.pauses)


def _marks(ledger: Ledger) -> dict[date, tuple[str, ...]]:
    """Events and deadlines falling on each date, for the day rows."""
    marks: dict[date, list[str]] = {}
    for e in ledger.events:
        marks.setdefault(e.date, []).append(e.label)
    if not any(
        e.kind == "received" and e.date == ledger.received_on for e in ledger.events
    ):
        marks.setdefault(ledger.received_on, []).append("收到申请（确认/签收）")
    asked = any(e.kind == "correction_requested" for e in ledger.events)
    deadlines: tuple[tuple[date | bool | None, str], ...] = (
        (asked and ledger.correction_notice_due, "补正告知期限届满（条例第三十条）"),
        (ledger.correction_deadline, "补正期限届满"),
        (ledger.payment_deadline, "缴费期限届满"),
        (ledger.unextended_due, "原答复期限（20个工作日）届满"),
        (ledger.due_date, "答复期限届满"),
    )
    for when, label in deadlines:
        if isinstance(when, date):
            marks.setdefault(when, []).append(label)
    return {d: tuple(v) for d, v in marks.items()}


def build_days(
    ledger: Ledger,
    cal: WorkCalendar,
    merged: Sequence[tuple[date, date]],
    restarted: bool,
) -> tuple[LedgerDay, ...]:
    """One row per calendar day from receipt to the later of the due date and today."""
    start = ledger.received_on
    ends = [
        ledger.due_date,
        ledger.concluded_on or ledger.today,
        ledger.correction_deadline,
    ]
    end = max(d for d in ends if d is not None)
    end = min(end, start + timedelta(days=MAX_DAY_ROWS - 1))
    same_day = ledger.settings.start_day is StartDayConvention.SAME_DAY
    clock = ledger.clock_start
    anchor = (
        None if clock is None else (clock - timedelta(days=1) if same_day else clock)
    )
    rows: list[LedgerDay] = []
    n = 0
    marks = _marks(ledger)
    # A row depends on every year counted before it (provisional years are ascending).
    first_prov = min(ledger.provisional_years, default=10_000)
    for info in cal.describe(start, end):
        d = info.date
        counted, number = False, None
        if d == start and not same_day:
            reason = "收到申请之日（第0日，不计入；条例第三十三条、民法典第二百零一条）"
        elif restarted and d == clock and not same_day:
            reason = "收到补正之日（答复期限重新起算的第0日，不计入；条例第三十条）"
        elif anchor is None or d <= anchor:
            reason = _before_clock(ledger, info.working, info.label, restarted)
        elif not info.working:
            reason = info.label
        elif _in(merged, d):
            reason = _pause_reason(ledger, d)
        else:
            n += 1
            counted, number = True, n
            reason = _counted_reason(ledger, d, info.kind, info.label)
        if d > ledger.today and ledger.concluded_on is None:
            reason = f"（预计）{reason}"
        rows.append(
            LedgerDay(
                d, counted, number, reason, marks.get(d, ()), d.year >= first_prov
            )
        )
    return tuple(rows)


def _before_clock(ledger: Ledger, working: bool, label: str, restarted: bool) -> str:
    if restarted or ledger.clock_start is None:
        tail = (
            "答复期限自收到补正之日起重新计算"
            if restarted
            else "答复期限待收到补正后起算"
        )
        return f"{label}：补正前，不计入（{tail}，条例第三十条）"
    return label if not working else f"{label}：不计入"


def _counted_reason(ledger: Ledger, d: date, kind: str, label: str) -> str:
    special = kind in ("makeup_workday", "provisional_workday")
    text = f"{label}，计入" if special else "工作日，计入"
    if ledger.due_date is not None and d > ledger.due_date:
        text += "（已超过答复期限）"
    if _uncounted_fee(ledger, d):
        text += "（等待缴费，按设置不暂停）"
    return text
