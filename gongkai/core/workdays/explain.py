"""The ledger in words (Chinese): in full for staff, in plain words for the applicant,
and as JSON for machines."""

from __future__ import annotations

from datetime import date

from gongkai.core.workdays.events import (
    CHANNEL_LABELS,
    EVENT_LABELS,
    PARTY_LABELS,
    event_to_json,
)
from gongkai.core.workdays.model import STATUS_LABELS, Ledger, LedgerDay
from gongkai.core.workdays.provisional import PROVISIONAL_METHOD
from gongkai.core.workdays.rules import StartDayConvention

WEEKDAYS = "一二三四五六日"
PROVISIONAL_MARK = "【临时】"


def fmt(d: date | None) -> str:
    """``2025年1月20日（周一）``; an empty string for None."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日（周{WEEKDAYS[d.weekday()]}）"


def depends_on_provisional(ledger: Ledger, d: date | None) -> bool:
    """A date computed by counting from receipt depends on every year up to its own."""
    return d is not None and any(y <= d.year for y in ledger.provisional_years)


def _pf(ledger: Ledger, d: date | None) -> str:
    """``fmt`` with the 【临时】 mark when the date depends on a provisional year."""
    return (PROVISIONAL_MARK if depends_on_provisional(ledger, d) else "") + fmt(d)


def _provisional_line(ledger: Ledger) -> str:
    years = "、".join(str(y) for y in ledger.provisional_years)
    return (
        f"{PROVISIONAL_MARK}{years}年国务院办公厅节假日安排尚未录入，相关日期临时推算："
        f"{PROVISIONAL_METHOD}。官方安排录入后将重新计算，日期可能推后。"
    )


def _convention_text(ledger: Ledger) -> str:
    if ledger.settings.start_day is StartDayConvention.SAME_DAY:
        return "起算规则：收到申请当日如为工作日即计为第1日（本机关设置）。"
    return "起算规则：收到申请当日不计入，自次日起计算（民法典第二百零一条；条例未明确规定）。"


def _headline(ledger: Ledger) -> list[str]:
    lines = [f"状态：{STATUS_LABELS[ledger.status]}"]
    if ledger.due_date:
        lines.append(f"答复期限：{_pf(ledger, ledger.due_date)}")
    if ledger.left_working_days is not None and ledger.concluded_on is None:
        if ledger.left_working_days >= 0:
            lines.append(
                f"已用{ledger.used_working_days}个工作日，剩余{ledger.left_working_days}个工作日"
                f"（共{ledger.allowed_working_days}个）"
            )
        else:
            lines.append(
                f"已用{ledger.used_working_days}个工作日，已超期{-ledger.left_working_days}个工作日"
            )
    return lines


def _event_line(i: int, ledger: Ledger) -> str:
    e = ledger.events[i]
    text = f"{i + 1}. {fmt(e.date)} {EVENT_LABELS[e.kind]}"
    if e.kind == "received":
        text += f"：{CHANNEL_LABELS.get(e.channel or 'in_person', e.channel)}"
        if e.confirmed_on:
            text += f"，确认/签收于{fmt(e.confirmed_on)}"
    elif e.kind == "extension":
        text += f"：延长{e.working_days}个工作日，批准人{e.approver}"
    elif e.kind == "consultation_started":
        text += f"：征求{PARTY_LABELS.get(e.party, e.party)}意见" + (
            f"（{e.ref}）" if e.ref else ""
        )
    elif e.kind == "reopened":
        text += f"：{e.working_days or 20}个工作日内重新答复" + (
            f"（{e.ref}）" if e.ref else ""
        )
    elif e.kind in ("delay_agreed", "correction_requested") and e.until:
        text += f"：期限至{fmt(e.until)}"
    if e.reason:
        text += f"；理由：{e.reason}"
    if e.note:
        text += f"；备注：{e.note}"
    return text


def _facts(ledger: Ledger) -> list[str]:
    lines = [
        f"收到申请之日：{fmt(ledger.received_on)}（{ledger.receipt_rule}）",
        _convention_text(ledger),
        f"补正告知期限：{_pf(ledger, ledger.correction_notice_due)}（条例第三十条：收到申请之日起7个工作日内，一次性告知）",
    ]
    if ledger.correction_deadline:
        lines.append(f"申请人补正期限：{_pf(ledger, ledger.correction_deadline)}")
    reopened = [e for e in ledger.events if e.kind == "reopened"]
    if reopened and ledger.concluded_on is None:
        lines.append(
            f"依复议决定/判决重新答复：期限自决定送达之日{fmt(reopened[-1].date)}起算"
            f"，{ledger.allowed_working_days}个工作日（行政复议法第六十四条、行政诉讼法第七十条）"
        )
    elif ledger.clock_start and ledger.clock_start != ledger.received_on:
        lines.append(
            f"答复期限自收到补正之日{fmt(ledger.clock_start)}重新起算（条例第三十条）"
        )
    lines.append(
        f"答复期限：{ledger.allowed_working_days - ledger.extension_working_days}个工作日"
        + ("（复议决定/判决确定）" if reopened else "（条例第三十三条）")
        + (
            f" + 延长{ledger.extension_working_days}个工作日（批准人：{ledger.extension_approver}）"
            if ledger.extension_working_days
            else ""
        )
    )
    for p in ledger.pauses:
        state = "进行中" if p.open else "已结束"
        counted = "不计入答复期限" if p.counted else "按设置计入答复期限"
        lines.append(
            f"{p.label}：{fmt(p.start)}发出，暂停至{_pf(ledger, p.end)}（{state}；对方期限至{_pf(ledger, p.window_end)}；{counted}）"
            + (f"；{p.note}" if p.note else "")
        )
    if ledger.paused_working_days:
        lines.append(
            f"暂停的工作日合计：{ledger.paused_working_days}个（重叠部分只计一次）"
        )
    if ledger.payment_deadline:
        lines.append(
            f"缴费期限：{_pf(ledger, ledger.payment_deadline)}（收到收费通知次日起20个工作日）"
        )
    if (
        ledger.statutory_due
        and ledger.due_date
        and ledger.due_date != ledger.statutory_due
    ):
        lines.append(
            f"依条例第三十五条确定的延迟答复期限：{_pf(ledger, ledger.due_date)}（法定期限本为{_pf(ledger, ledger.statutory_due)}）"
        )
    return lines


def _day_line(row: LedgerDay) -> str:
    number = f"第{row.number:>2}日" if row.number else "     "
    events = f"  ← {'、'.join(row.events)}" if row.events else ""
    mark = PROVISIONAL_MARK if row.provisional else ""
    return f"{fmt(row.date)} {number} {mark}{row.reason}{events}"


def explain_for_staff(ledger: Ledger) -> str:
    """Full explanation for staff: facts, rules with articles, events, every day."""
    lines = [f"依申请公开期限台账（计算日：{fmt(ledger.today)}）", *_headline(ledger)]
    if ledger.provisional:
        lines.append(_provisional_line(ledger))
    lines += ["", "【计算依据】", *_facts(ledger)]
    if ledger.warnings:
        lines += ["", "【提示】", *ledger.warnings]
    lines += ["", "【事件】"]
    lines += [_event_line(i, ledger) for i in range(len(ledger.events))]
    if ledger.days:
        lines += ["", "【逐日明细】", *(_day_line(r) for r in ledger.days)]
    return "\n".join(lines) + "\n"


def explain_for_applicant(ledger: Ledger) -> str:
    """Plain words for the applicant: when we received it, by when we answer, why."""
    lines = [f"我们于{fmt(ledger.received_on)}收到您的政府信息公开申请。"]
    if ledger.correction_deadline and ledger.clock_start is None:
        lines.append(_correction_sentence(ledger))
    elif ledger.clock_start and ledger.clock_start != ledger.received_on:
        lines.append(
            f"我们于{fmt(ledger.clock_start)}收到您补正后的申请，答复期限从这一天起重新计算。"
        )
    if ledger.due_date and ledger.concluded_on is None and ledger.status != "lapsed":
        lines.append(
            f"按照《中华人民共和国政府信息公开条例》第三十三条，我们应在20个工作日内答复您"
            f"（收到当日不算，周末和法定节假日不算，调休上班日算）。目前答复期限为{fmt(ledger.due_date)}。"
        )
    lines += _applicant_reasons(ledger)
    if ledger.concluded_on:
        word = "答复" if ledger.status.startswith("answered") else "办结"
        lines.append(f"我们已于{fmt(ledger.concluded_on)}{word}您的申请。")
    if ledger.provisional:
        years = "、".join(str(y) for y in ledger.provisional_years)
        lines.append(
            f"说明：{years}年的法定节假日安排尚未公布，上述日期为暂定"
            "（节日前后可能调休上班的周末已先按工作日计算）；安排公布后我们将重新确认。"
        )
    return "\n".join(lines) + "\n"


def _correction_sentence(ledger: Ledger) -> str:
    deadline = fmt(ledger.correction_deadline)
    if ledger.concluded_on or ledger.status == "lapsed":
        return (
            f"您的申请内容需要补正，补正期限为{deadline}；"
            "无正当理由逾期不补正的，视为放弃申请（条例第三十条）。"
        )
    return (
        f"您的申请内容需要补正，请在{deadline}前提交补正材料；"
        "我们收到补正后，答复期限重新计算。"
    )


def _applicant_reasons(ledger: Ledger) -> list[str]:
    out = []
    if ledger.extension_working_days:
        out.append(
            f"因情况需要，经负责人同意，答复期限延长了{ledger.extension_working_days}个工作日。"
        )
    kinds = {p.kind for p in ledger.pauses if p.counted}
    if kinds & {"third_party", "other_agency"}:
        out.append(
            "我们需要征求有关方面的意见，征求意见期间不计入答复期限（条例第三十三条第三款）。"
        )
    fee = [p for p in ledger.pauses if p.kind == "fee"]
    if fee and (ledger.status == "lapsed" or (ledger.concluded_on and fee[0].open)):
        out.append(
            f"我们向您发出了信息处理费缴费通知，缴费期限{fmt(ledger.payment_deadline)}已过；"
            "逾期未缴费的，视为放弃申请。"
        )
    elif fee and fee[0].open:
        out.append(
            f"我们向您发出了信息处理费缴费通知，请在{fmt(ledger.payment_deadline)}前缴费；"
            + ("等待缴费期间不计入答复期限，" if fee[0].counted else "")
            + "逾期未缴费的视为放弃申请。"
        )
    elif fee and fee[0].counted:
        out.append("您已缴纳信息处理费；从发出缴费通知到您缴费的期间不计入答复期限。")
    if (
        ledger.statutory_due
        and ledger.due_date
        and ledger.due_date != ledger.statutory_due
    ):
        out.append(
            f"根据条例第三十五条，我们已告知您延迟至{fmt(ledger.due_date)}前答复。"
        )
    return out


_DATE_FIELDS = (
    "due_date",
    "statutory_due",
    "unextended_due",
    "correction_notice_due",
    "correction_deadline",
    "payment_deadline",
)


def ledger_to_json(ledger: Ledger) -> dict[str, object]:
    """The ledger as JSON-ready data (ISO dates, stable keys)."""

    def iso(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "today": iso(ledger.today),
        "status": ledger.status,
        "status_label": STATUS_LABELS[ledger.status],
        "clock": ledger.clock,
        "received_on": iso(ledger.received_on),
        "clock_start": iso(ledger.clock_start),
        "due_date": iso(ledger.due_date),
        "statutory_due": iso(ledger.statutory_due),
        "unextended_due": iso(ledger.unextended_due),
        "correction_notice_due": iso(ledger.correction_notice_due),
        "correction_deadline": iso(ledger.correction_deadline),
        "payment_deadline": iso(ledger.payment_deadline),
        "allowed_working_days": ledger.allowed_working_days,
        "extension_working_days": ledger.extension_working_days,
        "extension_approver": ledger.extension_approver or None,
        "paused_working_days": ledger.paused_working_days,
        "used_working_days": ledger.used_working_days,
        "left_working_days": ledger.left_working_days,
        "provisional": ledger.provisional,
        "provisional_years": list(ledger.provisional_years),
        "provisional_fields": [
            name
            for name in _DATE_FIELDS
            if depends_on_provisional(ledger, getattr(ledger, name))
        ],
        "start_day": ledger.settings.start_day.value,
        "pauses": [
            {
                "kind": p.kind,
                "start": iso(p.start),
                "end": iso(p.end),
                "window_end": iso(p.window_end),
                "open": p.open,
                "counted": p.counted,
                "ref": p.ref or None,
                "note": p.note or None,
            }
            for p in ledger.pauses
        ],
        "warnings": list(ledger.warnings),
        "events": [event_to_json(e) for e in ledger.events],
        "days": [
            {
                "date": iso(r.date),
                "counted": r.counted,
                "number": r.number,
                "reason": r.reason,
                "events": list(r.events),
                "provisional": r.provisional,
            }
            for r in ledger.days
        ],
    }
