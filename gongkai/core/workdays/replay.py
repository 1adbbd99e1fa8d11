"""Replaying an application's events into the state the ledger is computed from.

Each handler applies one event kind and enforces its rule (条例第三十条 一次性补正,
第三十三条 one extension of at most 20 working days with an approver, …), raising
``LedgerError`` that names the event. Nothing is computed from impossible input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from gongkai.core.workdays.calendar import CalendarRangeError, WorkCalendar
from gongkai.core.workdays.events import (
    CHANNEL_LABELS,
    PARTY_LABELS,
    Event,
    LedgerError,
)
from gongkai.core.workdays.model import Pause, PauseKind
from gongkai.core.workdays.rules import (
    CORRECTION_NOTICE_WORKING_DAYS,
    FEE_PAYMENT_WORKING_DAYS,
    MAX_EXTENSION_WORKING_DAYS,
    OTHER_AGENCY_WORKING_DAYS,
    REPLY_WORKING_DAYS,
    THIRD_PARTY_WORKING_DAYS,
    DeadlineSettings,
    StartDayConvention,
)

_RECEIPT_RULES: dict[str, str] = {
    "in_person": "条例第三十一条第（一）项：当面提交的，以提交之日为收到申请之日",
    "oral": "条例第二十九条、第三十一条第（一）项：口头提出、由工作机构代为填写的，以提出之日为收到申请之日",
    "registered_post": "条例第三十一条第（二）项：邮寄提交的，以行政机关签收之日为收到申请之日",
    "ordinary_letter": "条例第三十一条第（二）项：平常信函应于收到当日与申请人确认，以确认之日为收到申请之日",
    "online": "条例第三十一条第（三）项：通过互联网渠道提交的，以双方确认之日为收到申请之日",
    "fax": "条例第三十一条第（三）项：通过传真提交的，以双方确认之日为收到申请之日",
}


@dataclass
class State:
    calendar: WorkCalendar
    settings: DeadlineSettings
    today: date
    received_on: date | None = None
    receipt_rule: str = ""
    clock_start: date | None = None
    restarted: bool = False
    correction_asked: date | None = None
    correction_deadline: date | None = None
    awaiting_correction: bool = False
    extension: int = 0
    approver: str = ""
    extension_on: date | None = None
    delay_until: date | None = None
    pauses: list[Pause] = field(default_factory=list)
    fee_deadline: date | None = None
    fee_paid: bool = False
    ended: Event | None = None
    # 责令重新答复: the period the decision gives replaces the 20 working days,
    # counted from its delivery (``clock_start``); earlier pauses lie before it.
    reply_days: int = REPLY_WORKING_DAYS
    reopened_on: date | None = None
    warnings: list[str] = field(default_factory=list)

    def anchor(self, d: date) -> date:
        """Day zero of a "自…之日起" period starting on ``d`` (the convention)."""
        if self.settings.start_day is StartDayConvention.SAME_DAY:
            return d - timedelta(days=1)
        return d

    def open_pauses(self, kinds: tuple[str, ...]) -> list[int]:
        return [i for i, p in enumerate(self.pauses) if p.open and p.kind in kinds]


def _on_received(st: State, e: Event, i: int) -> None:
    channel = e.channel or "in_person"
    if channel not in CHANNEL_LABELS:
        known = "、".join(CHANNEL_LABELS)
        raise LedgerError(f"未知的提交渠道“{channel}”（可用：{known}）。", i, e.kind)
    if e.confirmed_on and e.confirmed_on < e.date:
        raise LedgerError("确认或签收日期早于申请到达日期。", i, e.kind)
    if e.confirmed_on and e.confirmed_on > st.today:
        raise LedgerError(
            f"确认或签收日期{e.confirmed_on}晚于今天（{st.today}）。", i, e.kind
        )
    st.received_on = e.confirmed_on or e.date
    st.clock_start = st.received_on
    st.receipt_rule = _RECEIPT_RULES[channel]
    if channel == "ordinary_letter" and e.confirmed_on and e.confirmed_on > e.date:
        st.warnings.append(
            f"平常信函于{e.date}收到，{e.confirmed_on}才与申请人确认；条例第三十一条要求当日确认。"
        )


def _on_correction_requested(st: State, e: Event, i: int) -> None:
    if st.correction_asked is not None:
        raise LedgerError(
            "条例第三十条要求“一次性”告知补正，不能再次告知补正。", i, e.kind
        )
    assert st.received_on is not None
    due = st.calendar.add_working_days(
        st.anchor(st.received_on), CORRECTION_NOTICE_WORKING_DAYS
    )
    if e.date > due:
        st.warnings.append(
            f"补正告知于{e.date}发出，晚于条例第三十条规定的7个工作日（应不晚于{due}）。"
        )
    if e.until is not None:
        if e.until <= e.date:
            raise LedgerError("补正期限应晚于告知补正之日。", i, e.kind)
        st.correction_deadline = e.until
    else:
        n = e.working_days or st.settings.default_correction_period
        if n < 1:
            raise LedgerError("补正期限的工作日数应为正数。", i, e.kind)
        st.correction_deadline = st.calendar.add_working_days(e.date, n)
    st.correction_asked = e.date
    st.awaiting_correction = True


def _on_correction_received(st: State, e: Event, i: int) -> None:
    if not st.awaiting_correction:
        raise LedgerError("此前没有告知补正，不能记录收到补正。", i, e.kind)
    if st.correction_deadline and e.date > st.correction_deadline:
        st.warnings.append(
            f"补正于{e.date}收到，晚于补正期限{st.correction_deadline}（条例第三十条：无正当理由逾期不补正的视为放弃申请）。"
        )
    st.awaiting_correction = False
    st.clock_start = e.date
    st.restarted = True


def _on_extension(st: State, e: Event, i: int) -> None:
    if st.reopened_on is not None:
        raise LedgerError(
            "重新答复的期限由行政复议决定或判决确定，不适用条例第三十三条的延长。",
            i,
            e.kind,
        )
    if st.awaiting_correction:
        raise LedgerError("等待补正期间答复期限尚未起算，不能延长。", i, e.kind)
    if st.extension:
        raise LedgerError(
            "条例第三十三条只允许延长一次答复期限，此前已延长。", i, e.kind
        )
    n = e.working_days
    if n is None or n < 1:
        raise LedgerError("请填写延长的工作日数（working_days，1至20）。", i, e.kind)
    if n > MAX_EXTENSION_WORKING_DAYS:
        raise LedgerError(
            f"延长{n}个工作日超过条例第三十三条规定的最长20个工作日。", i, e.kind
        )
    if not e.approver:
        raise LedgerError(
            "延长须经政府信息公开工作机构负责人同意（条例第三十三条），请填写批准人（approver）。",
            i,
            e.kind,
        )
    st.extension, st.approver, st.extension_on = n, e.approver, e.date


def _on_consultation_started(st: State, e: Event, i: int) -> None:
    if e.party not in PARTY_LABELS:
        raise LedgerError(
            "征求意见对象 party 应为 third_party（第三方）或 other_agency（其他机关）。",
            i,
            e.kind,
        )
    delivered = e.delivered_on or e.date
    if delivered < e.date:
        raise LedgerError("对方收到征求意见书的日期早于发出日期。", i, e.kind)
    n = (
        THIRD_PARTY_WORKING_DAYS
        if e.party == "third_party"
        else OTHER_AGENCY_WORKING_DAYS
    )
    window = st.calendar.add_working_days(st.anchor(delivered), n)
    kind: PauseKind = "third_party" if e.party == "third_party" else "other_agency"
    st.pauses.append(Pause(kind, e.date, e.date, window, True, True, e.ref, e.note))


def _on_consultation_ended(st: State, e: Event, i: int) -> None:
    open_ = st.open_pauses(("third_party", "other_agency"))
    if e.ref:
        open_ = [j for j in open_ if st.pauses[j].ref == e.ref]
    if not open_:
        raise LedgerError("没有与之对应的正在进行的征求意见。", i, e.kind)
    if len(open_) > 1:
        raise LedgerError(
            "有多项征求意见正在进行，请用 ref 指明结束的是哪一项。", i, e.kind
        )
    if e.delivered_on is not None:
        _set_delivery(st, open_[0], e, i)
    _close_pause(st, open_[0], e.date)


def _set_delivery(st: State, j: int, e: Event, i: int) -> None:
    """The party's receipt of the 征求意见书, learnt only at the end: the 15 working
    days of 第三十二条 / 第三十四条 run from it, not from the day it was sent."""
    p = st.pauses[j]
    assert e.delivered_on is not None
    if e.delivered_on < p.start:
        raise LedgerError("对方收到征求意见书的日期早于发出日期。", i, e.kind)
    n = (
        THIRD_PARTY_WORKING_DAYS
        if p.kind == "third_party"
        else OTHER_AGENCY_WORKING_DAYS
    )
    window = st.calendar.add_working_days(st.anchor(e.delivered_on), n)
    st.pauses[j] = replace(p, window_end=window)


def _close_pause(st: State, j: int, when: date) -> None:
    p = st.pauses[j]
    end, note = when, p.note
    if when > p.window_end:
        end = p.window_end
        if p.kind == "third_party":
            note = f"第三方逾期（期满日{p.window_end}）未提出意见，由行政机关依法决定是否公开"
        elif p.kind == "other_agency":
            note = f"被征求意见机关逾期（期满日{p.window_end}）未提出意见，视为同意公开"
        else:
            note = f"申请人未在缴费期限（{p.window_end}）内缴费，视为放弃申请"
    st.pauses[j] = Pause(
        p.kind, p.start, max(end, p.start), p.window_end, False, p.counted, p.ref, note
    )


def _on_fee_notice(st: State, e: Event, i: int) -> None:
    if st.fee_deadline is not None:
        raise LedgerError("本申请已发出过收费通知，不能再次发出。", i, e.kind)
    delivered = e.delivered_on or e.date
    if delivered < e.date:
        raise LedgerError("申请人收到收费通知的日期早于发出日期。", i, e.kind)
    # "收到收费通知次日起20个工作日内": always the day after, whatever the convention.
    st.fee_deadline = st.calendar.add_working_days(delivered, FEE_PAYMENT_WORKING_DAYS)
    counted = st.settings.pause_for_fee
    st.pauses.append(
        Pause("fee", e.date, e.date, st.fee_deadline, True, counted, "", e.note)
    )


def _on_fee_paid(st: State, e: Event, i: int) -> None:
    open_ = st.open_pauses(("fee",))
    if not open_:
        raise LedgerError("此前没有未缴费的收费通知。", i, e.kind)
    if st.fee_deadline and e.date > st.fee_deadline:
        st.warnings.append(
            f"申请人于{e.date}缴费，晚于缴费期限{st.fee_deadline}；逾期未缴纳的视为放弃申请。"
        )
    st.fee_paid = True
    _close_pause(st, open_[0], e.date)


def _on_delay_agreed(st: State, e: Event, i: int) -> None:
    if st.delay_until is not None:
        raise LedgerError(
            "已确定过延迟答复期限（条例第三十五条），不能再次确定。", i, e.kind
        )
    if st.awaiting_correction:
        raise LedgerError("等待补正期间不能确定延迟答复期限。", i, e.kind)
    if e.until is None or e.until <= e.date:
        raise LedgerError("请填写晚于当日的延迟答复期限（new_due）。", i, e.kind)
    st.delay_until = e.until


def _on_end(st: State, e: Event, i: int) -> None:
    if e.kind == "replied" and st.awaiting_correction:
        raise LedgerError(
            "等待补正期间不能作出答复：请先记录收到补正；申请人逾期不补正的，请记录结案（closed）。",
            i,
            e.kind,
        )
    st.ended = e


def _on_reopened(st: State, e: Event, i: int) -> None:
    """行政复议法第六十四条 / 行政诉讼法第七十条: a decision orders a new reply.

    The period it gives (else 20 working days) runs from its delivery (``date``);
    the earlier reply or closing stays in the events, only the clock restarts.
    """
    if st.ended is None:
        raise LedgerError(
            "只有已答复或已结案的申请才能依复议决定或判决重新办理。", i, e.kind
        )
    n = REPLY_WORKING_DAYS if e.working_days is None else e.working_days
    if n < 1:
        raise LedgerError("重新答复期限的工作日数应为正数。", i, e.kind)
    for j in st.open_pauses(("third_party", "other_agency", "fee")):
        _close_pause(st, j, st.ended.date)
    st.ended = None
    st.reopened_on = st.clock_start = e.date
    st.reply_days = n
    st.awaiting_correction = False
    st.extension, st.approver, st.extension_on = 0, "", None
    st.delay_until = None


_HANDLERS = {
    "received": _on_received,
    "correction_requested": _on_correction_requested,
    "correction_received": _on_correction_received,
    "extension": _on_extension,
    "consultation_started": _on_consultation_started,
    "consultation_ended": _on_consultation_ended,
    "fee_notice_sent": _on_fee_notice,
    "fee_paid": _on_fee_paid,
    "delay_agreed": _on_delay_agreed,
    "replied": _on_end,
    "closed": _on_end,
    "reopened": _on_reopened,
}


def _check_order(events: Sequence[Event], today: date) -> None:
    if not events:
        raise LedgerError("没有任何事件；第一个事件应为“收到申请”（received）。")
    for i, e in enumerate(events):
        if i == 0 and e.kind != "received":
            raise LedgerError(
                "第一个事件应为“收到申请”（received）：任何处理都不能早于收到申请。",
                i,
                e.kind,
            )
        if i > 0 and e.kind == "received":
            raise LedgerError("一件申请只能有一个“收到申请”事件。", i, e.kind)
        if i > 0 and e.date < events[i - 1].date:
            prev = events[i - 1]
            raise LedgerError(
                f"日期{e.date}早于前一个事件（{prev.label}，{prev.date}）；事件应按发生顺序排列。",
                i,
                e.kind,
            )
        if e.date > today:
            raise LedgerError(f"日期{e.date}晚于今天（{today}）。", i, e.kind)
        ended = i > 0 and events[i - 1].kind in ("replied", "closed")
        if ended and e.kind != "reopened":
            raise LedgerError(
                "答复或结案之后不能再有事件（依复议决定或判决重新办理的除外）。",
                i,
                e.kind,
            )


def replay(
    events: Sequence[Event], cal: WorkCalendar, today: date, s: DeadlineSettings
) -> State:
    _check_order(events, today)
    st = State(cal, s, today)
    for i, e in enumerate(events):
        if st.received_on is not None and e.date < st.received_on:
            raise LedgerError(
                f"日期{e.date}早于收到申请之日（{st.received_on}）。", i, e.kind
            )
        try:
            _HANDLERS[e.kind](st, e, i)
        except CalendarRangeError as exc:
            raise LedgerError(str(exc), i, e.kind) from None
    as_of = st.ended.date if st.ended else today
    for j, p in enumerate(st.pauses):
        if p.open:
            _close_pause(st, j, as_of)
            q = st.pauses[j]
            st.pauses[j] = Pause(
                q.kind,
                q.start,
                q.end,
                q.window_end,
                as_of <= q.window_end and not st.ended,
                q.counted,
                q.ref,
                q.note,
            )
    return st
