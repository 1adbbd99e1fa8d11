"""The deadline ledger of one application, computed from its events.

Rules (条例 2019; see ``docs/workdays.md``):

* receipt date by channel — 第三十一条; the receipt day is day zero
  (``StartDayConvention.NEXT_DAY``, 民法典第二百零一条) unless set otherwise;
* reply within 20 working days — 第三十三条第二款; one extension of at most
  20 working days approved by the head of the 工作机构, decided no later than
  the last day of the reply period then in force — same paragraph;
* 补正 notice within 7 working days of receipt, once — 第三十条; the reply
  period then runs from the receipt of the corrected application;
* time for third-party (第三十二条, 15-working-day window) and other-agency
  (第三十四条, 15 working days) consultation is not counted — 第三十三条第三款;
  a pause runs from the day after sending to the reply or the end of the window;
* fee notice to payment is not counted (setting, default on) and the applicant
  pays within 20 working days from the day after receiving the notice
  (国办函〔2020〕109号 as implemented regionally);
* an agreed later date under 第三十五条 replaces the due date (never earlier);
* a 行政复议决定 / 判决 that orders a new reply (行政复议法第六十四条, 行政诉讼法
  第七十条) reopens the case: the period it gives (else 20 working days) runs
  from its delivery; the earlier events stay, the conclusion clears.

The due date is the n-th *counted* day after the clock start: a working day
that is not inside a pause. While a pause is open, it is counted up to
``today``, so the due date shown is the one that holds if work resumes tomorrow.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TypeVar

from gongkai.core.workdays.calendar import CalendarRangeError, WorkCalendar
from gongkai.core.workdays.daybook import build_days
from gongkai.core.workdays.events import Event, LedgerError
from gongkai.core.workdays.model import (
    MAX_DAY_ROWS,
    PAUSE_LABELS,
    STATUS_LABELS,
    Clock,
    Ledger,
    LedgerDay,
    Pause,
    PauseKind,
    Status,
)
from gongkai.core.workdays.replay import State, replay
from gongkai.core.workdays.rules import (
    CORRECTION_NOTICE_WORKING_DAYS,
    REPLY_WORKING_DAYS,
    DeadlineSettings,
)
from gongkai.core.workdays.urgency import urgency_key

__all__ = [
    "MAX_DAY_ROWS",
    "PAUSE_LABELS",
    "STATUS_LABELS",
    "Clock",
    "Ledger",
    "LedgerDay",
    "Pause",
    "PauseKind",
    "Status",
    "compute_ledger",
    "recompute_ledgers",
]

K = TypeVar("K")


def _merged(pauses: Sequence[Pause]) -> list[tuple[date, date]]:
    """Counted pauses as disjoint ``(start, end]`` intervals (overlaps count once)."""
    out: list[tuple[date, date]] = []
    for p in sorted(
        (p for p in pauses if p.counted and p.end > p.start), key=lambda p: p.start
    ):
        if out and p.start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], p.end))
        else:
            out.append((p.start, p.end))
    return out


def _nth_counted(
    cal: WorkCalendar, anchor: date, n: int, merged: Sequence[tuple[date, date]]
) -> date:
    """The n-th working day after ``anchor`` that is not inside a merged pause."""
    cursor, remaining = anchor, n
    for s, e in merged:
        if e <= cursor:
            continue
        lo = max(s, cursor)
        available = cal.working_days_between(cursor, lo)
        if available >= remaining:
            break
        remaining -= available
        cursor = e
    return cal.add_working_days(cursor, remaining)


def _counted_between(
    cal: WorkCalendar, a: date, b: date, merged: Sequence[tuple[date, date]]
) -> int:
    """Counted working days in ``(a, b]`` (negative if ``b < a``)."""
    if b < a:
        return -_counted_between(cal, b, a, merged)
    total = cal.working_days_between(a, b)
    for s, e in merged:
        lo, hi = max(s, a), min(e, b)
        if hi > lo:
            total -= cal.working_days_between(lo, hi)
    return total


def compute_ledger(
    events: Sequence[Event],
    calendar: WorkCalendar,
    today: date,
    settings: DeadlineSettings | None = None,
    *,
    with_days: bool = True,
) -> Ledger:
    """The ledger of one application on ``today``; ``LedgerError`` on impossible events."""
    try:
        return _compute(
            events, calendar, today, settings or DeadlineSettings(), with_days
        )
    except CalendarRangeError as exc:
        raise LedgerError(str(exc)) from None


def _compute(
    events: Sequence[Event],
    calendar: WorkCalendar,
    today: date,
    s: DeadlineSettings,
    with_days: bool,
) -> Ledger:
    st = replay(events, calendar, today, s)
    assert st.received_on is not None and st.clock_start is not None
    _check_extension_in_time(events, calendar, s)
    merged = _merged(st.pauses)
    as_of = st.ended.date if st.ended else today
    notice_due = calendar.add_working_days(
        st.anchor(st.received_on), CORRECTION_NOTICE_WORKING_DAYS
    )
    allowed = st.reply_days + st.extension
    anchor = st.anchor(st.clock_start)
    statutory: date | None = None
    due: date | None = None
    used, left = 0, None
    paused_wd = 0
    if not st.awaiting_correction:
        statutory = _nth_counted(calendar, anchor, allowed, merged)
        due = max(statutory, st.delay_until) if st.delay_until else statutory
        used = max(0, _counted_between(calendar, anchor, as_of, merged))
        left = _counted_between(calendar, anchor, due, merged) - used
        paused_wd = calendar.working_days_between(anchor, statutory) - allowed
    if statutory is not None:
        _warn_late_pauses(st, statutory)
    base: date | None = None
    if st.extension_on and statutory:
        base = _nth_counted(calendar, anchor, REPLY_WORKING_DAYS, merged)
    status, clock = _status(st, due, left, as_of)
    horizon = max(
        d
        for d in (due, as_of, st.correction_deadline, st.fee_deadline, st.received_on)
        if d
    )
    prov = calendar.provisional_years(st.received_on, horizon)
    ledger = Ledger(
        today=today,
        settings=s,
        events=tuple(events),
        received_on=st.received_on,
        receipt_rule=st.receipt_rule,
        clock_start=None if st.awaiting_correction else st.clock_start,
        correction_notice_due=notice_due,
        correction_deadline=st.correction_deadline,
        payment_deadline=st.fee_deadline,
        statutory_due=statutory,
        due_date=due,
        allowed_working_days=allowed,
        extension_working_days=st.extension,
        extension_approver=st.approver,
        paused_working_days=max(0, paused_wd),
        used_working_days=used,
        left_working_days=left,
        status=status,
        clock=clock,
        provisional=bool(prov),
        provisional_years=prov,
        pauses=tuple(st.pauses),
        concluded_on=st.ended.date if st.ended else None,
        warnings=tuple(st.warnings),
        unextended_due=base,
    )
    if not with_days:
        return ledger
    return _with_days(ledger, build_days(ledger, calendar, merged, st.restarted))


def recompute_ledgers(
    cases: Iterable[tuple[K, Sequence[Event]]],
    calendar: WorkCalendar,
    today: date,
    settings: DeadlineSettings | None = None,
) -> Iterator[tuple[K, Ledger | LedgerError]]:
    """Recompute many cases (e.g. after a calendar change), without day rows.

    A case whose events are impossible yields its ``LedgerError`` instead of
    stopping the batch, so the caller can log it and go on.
    """
    for key, events in cases:
        try:
            yield (
                key,
                compute_ledger(events, calendar, today, settings, with_days=False),
            )
        except LedgerError as exc:
            yield key, exc


def _check_extension_in_time(
    events: Sequence[Event], calendar: WorkCalendar, s: DeadlineSettings
) -> None:
    """条例第三十三条第二款: the reply period can be extended only before it ends.

    The due date in force when the extension is decided is the ledger of the
    events before it, read on the day of the extension (pauses and an agreed
    later date under 第三十五条 included); that date is the last day to extend.
    """
    for i, e in enumerate(events):
        if e.kind != "extension":
            continue
        last = _compute(events[:i], calendar, e.date, s, False).due_date
        if last is not None and e.date > last:
            raise LedgerError(
                f"答复期限已于{_day(last)}届满，不能于{_day(e.date)}延长："
                f"条例第三十三条第二款只允许在答复期限届满前延长，"
                f"本申请最迟可在{_day(last)}决定延长。",
                i,
                e.kind,
            )


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _warn_late_pauses(st: State, statutory: date) -> None:
    """A pause cannot stop a clock that has already run out (条例第三十三条)."""
    for p in st.pauses:
        if p.start > statutory and p.counted:
            st.warnings.append(
                f"{p.label}于{p.start}开始，答复期限此前已于{statutory}届满，暂停不能延长已届满的期限。"
            )


def _with_days(ledger: Ledger, days: tuple[LedgerDay, ...]) -> Ledger:
    from dataclasses import replace

    return replace(ledger, days=days)


def _status(
    st: State, due: date | None, left: int | None, as_of: date
) -> tuple[Status, Clock]:
    if st.ended is not None:
        if st.ended.kind == "closed":
            return "closed", "stopped"
        assert due is not None
        return ("answered_on_time" if as_of <= due else "answered_late"), "stopped"
    if st.awaiting_correction:
        lapsed = (
            st.correction_deadline is not None and st.today > st.correction_deadline
        )
        return ("lapsed" if lapsed else "awaiting_applicant"), "awaiting_correction"
    fee_open = [p for p in st.pauses if p.kind == "fee" and p.open]
    since = st.reopened_on or date.min
    fee_lapsed = [
        p
        for p in st.pauses
        if p.kind == "fee" and not p.open and not st.fee_paid and p.start >= since
    ]
    if fee_lapsed:
        return "lapsed", "stopped"
    clock: Clock = (
        "paused" if any(p.open and p.counted for p in st.pauses) else "running"
    )
    if fee_open and st.settings.pause_for_fee:
        return "awaiting_applicant", clock
    assert due is not None and left is not None
    # The same rule as the badge on the screens (core/workdays/urgency.py).
    key = urgency_key(
        left, overdue=st.today > due, threshold=st.settings.due_soon_working_days
    )
    return key, clock
