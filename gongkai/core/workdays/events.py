"""Events of an application, and their JSON form (the input of the deadline ledger).

JSON: a list of objects (or ``{"today": "YYYY-MM-DD", "settings": {...},
"events": [...]}``), in the order they happened. Every object has ``kind`` and
``date`` (ISO ``YYYY-MM-DD``); the other keys depend on the kind::

    received              channel: in_person | registered_post | ordinary_letter
                                   | online | fax | oral  (default in_person)
                          signed_on / confirmed_on: the receipt date under 条例第三十一条
                          when it differs from the arrival date
    correction_requested  deadline (date) or period_working_days (int): the
                          applicant's 补正 period (条例第三十条 "合理的补正期限")
    correction_received   (none) — the 20 working days restart from this date
    extension             working_days (1–20), approver (required) — 条例第三十三条
    consultation_started  party: third_party (条例第三十二条) | other_agency (第三十四条);
                          ref (to match the end), delivered_on (the party's
                          receipt of the 征求意见书, default = date)
    consultation_ended    ref (needed when several consultations are open)
    fee_notice_sent       delivered_on (the applicant's receipt of the notice)
    fee_paid              (none)
    delay_agreed          new_due (date): 条例第三十五条 reasonable later date, notified
    replied               (none)
    closed                reason (text), e.g. 逾期不补正 / 逾期未缴费 / 撤回
    reopened              date = delivery of a 行政复议决定 / 判决 that orders a new
                          reply (责令重新答复); working_days: the period it gives
                          (default 20); ref: the appeal's number. Only after
                          replied / closed; the earlier events stay
Every kind also accepts ``note`` (text, shown in the staff explanation). Any other
key is refused (a misspelt ``confirmed_on`` must not silently change a deadline).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, cast

from gongkai.core.workdays.rules import DeadlineSettings, StartDayConvention

EventKind = Literal[
    "received",
    "correction_requested",
    "correction_received",
    "extension",
    "consultation_started",
    "consultation_ended",
    "fee_notice_sent",
    "fee_paid",
    "delay_agreed",
    "replied",
    "closed",
    "reopened",
]

EVENT_LABELS: Mapping[str, str] = {
    "received": "收到申请",
    "correction_requested": "告知补正",
    "correction_received": "收到补正",
    "extension": "延长答复期限",
    "consultation_started": "发出征求意见书",
    "consultation_ended": "收到意见（征求意见结束）",
    "fee_notice_sent": "发出收费通知",
    "fee_paid": "申请人缴费",
    "delay_agreed": "确定延迟答复期限",
    "replied": "作出答复",
    "closed": "结案（未答复）",
    "reopened": "依复议决定或判决重新办理",
}

CHANNEL_LABELS: Mapping[str, str] = {
    "in_person": "当面提交",
    "registered_post": "邮寄（需签收）",
    "ordinary_letter": "平常信函",
    "online": "互联网渠道",
    "fax": "传真",
    "oral": "口头申请（工作机构代为填写）",
}

PARTY_LABELS: Mapping[str, str] = {
    "third_party": "第三方",
    "other_agency": "其他行政机关",
}


JSON_KEYS = frozenset(
    {
        "kind",
        "date",
        "channel",
        "confirmed_on",
        "signed_on",
        "working_days",
        "period_working_days",
        "approver",
        "party",
        "ref",
        "delivered_on",
        "deadline",
        "new_due",
        "reason",
        "note",
    }
)


class LedgerError(ValueError):
    """Events that cannot be a real case; the Chinese message names the event."""

    def __init__(self, message: str, index: int | None = None, kind: str = "") -> None:
        where = ""
        if index is not None:
            label = EVENT_LABELS.get(kind, kind or "未知")
            where = f"第{index + 1}个事件（{label}）："
        super().__init__(where + message)
        self.index = index
        self.kind = kind


@dataclass(frozen=True)
class Event:
    """One thing that happened to an application (see the module doc for fields).

    ``until`` is the applicant's 补正 deadline (correction_requested) or the
    agreed date (delay_agreed); ``delivered_on`` is when the other side received
    a document (征求意见书, 收费通知); ``confirmed_on`` the 条例第三十一条 receipt date.
    """

    kind: EventKind
    date: dt.date
    channel: str = ""
    confirmed_on: dt.date | None = None
    working_days: int | None = None
    approver: str = ""
    party: str = ""
    ref: str = ""
    delivered_on: dt.date | None = None
    until: dt.date | None = None
    reason: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        return EVENT_LABELS[self.kind]


@dataclass(frozen=True)
class LedgerInput:
    """A JSON document read: events plus optional ``today`` and settings."""

    events: tuple[Event, ...]
    today: date | None
    settings: DeadlineSettings


def _date(value: object, what: str, index: int | None, kind: str) -> date:
    if not isinstance(value, str):
        raise LedgerError(f"{what}应为“YYYY-MM-DD”格式的日期。", index, kind)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise LedgerError(
            f"{what}“{value}”不是有效日期（YYYY-MM-DD）。", index, kind
        ) from None


def _opt_date(
    raw: Mapping[str, Any], key: str, what: str, i: int, kind: str
) -> date | None:
    return _date(raw[key], what, i, kind) if raw.get(key) is not None else None


def _opt_int(
    raw: Mapping[str, Any], key: str, what: str, i: int, kind: str
) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise LedgerError(f"{what}应为整数。", i, kind)
    return value


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    return "" if value is None else str(value).strip()


def event_from_json(raw: object, index: int) -> Event:
    """One JSON object → ``Event``; ``LedgerError`` names the event on bad input."""
    if not isinstance(raw, Mapping):
        raise LedgerError("每个事件应为一个 JSON 对象。", index)
    kind = raw.get("kind")
    if kind not in EVENT_LABELS:
        known = "、".join(EVENT_LABELS)
        raise LedgerError(f"未知的事件类型“{kind}”（可用：{known}）。", index)
    k = str(kind)
    unknown = sorted(str(key) for key in raw if key not in JSON_KEYS)
    if unknown:
        known = "、".join(sorted(JSON_KEYS))
        raise LedgerError(f"未知的字段“{unknown[0]}”（可用：{known}）。", index, k)
    when = _date(raw.get("date"), "日期", index, k)
    confirmed = _opt_date(raw, "confirmed_on", "确认日期", index, k) or _opt_date(
        raw, "signed_on", "签收日期", index, k
    )
    until = _opt_date(raw, "deadline", "补正期限", index, k) or _opt_date(
        raw, "new_due", "延迟答复期限", index, k
    )
    days = _opt_int(raw, "working_days", "工作日数", index, k)
    if days is None:
        days = _opt_int(raw, "period_working_days", "补正期限工作日数", index, k)
    return Event(
        kind=cast(EventKind, k),
        date=when,
        channel=_text(raw, "channel"),
        confirmed_on=confirmed,
        working_days=days,
        approver=_text(raw, "approver"),
        party=_text(raw, "party"),
        ref=_text(raw, "ref"),
        delivered_on=_opt_date(raw, "delivered_on", "送达日期", index, k),
        until=until,
        reason=_text(raw, "reason"),
        note=_text(raw, "note"),
    )


def _settings_from_json(raw: object) -> DeadlineSettings:
    if raw is None:
        return DeadlineSettings()
    if not isinstance(raw, Mapping):
        raise LedgerError("settings 应为 JSON 对象。")
    base = DeadlineSettings()
    try:
        start = StartDayConvention(raw.get("start_day", base.start_day.value))
    except ValueError:
        raise LedgerError("settings.start_day 应为 next_day 或 same_day。") from None
    pause = raw.get("pause_for_fee", base.pause_for_fee)
    soon = raw.get("due_soon_working_days", base.due_soon_working_days)
    if not isinstance(pause, bool) or not isinstance(soon, int):
        raise LedgerError(
            "settings.pause_for_fee 应为 true/false，due_soon_working_days 应为整数。"
        )
    return DeadlineSettings(
        start_day=start, pause_for_fee=pause, due_soon_working_days=soon
    )


def ledger_input_from_json(raw: object) -> LedgerInput:
    """Read the documented JSON (a list of events, or an object with ``events``)."""
    today: date | None = None
    settings = DeadlineSettings()
    items: object = raw
    if isinstance(raw, Mapping):
        items = raw.get("events")
        if raw.get("today") is not None:
            today = _date(raw["today"], "today", None, "")
        settings = _settings_from_json(raw.get("settings"))
    if not isinstance(items, list):
        raise LedgerError("输入应为事件列表，或含有“events”列表的 JSON 对象。")
    events = tuple(event_from_json(item, i) for i, item in enumerate(items))
    return LedgerInput(events, today, settings)


def event_to_json(event: Event) -> dict[str, object]:
    """``Event`` → the documented JSON object (only the keys that are set)."""
    out: dict[str, object] = {"kind": event.kind, "date": event.date.isoformat()}
    if event.channel:
        out["channel"] = event.channel
    if event.confirmed_on:
        out["confirmed_on"] = event.confirmed_on.isoformat()
    if event.working_days is not None:
        key = (
            "period_working_days"
            if event.kind == "correction_requested"
            else "working_days"
        )
        out[key] = event.working_days
    for key in ("approver", "party", "ref", "reason", "note"):
        if getattr(event, key):
            out[key] = getattr(event, key)
    if event.delivered_on:
        out["delivered_on"] = event.delivered_on.isoformat()
    if event.until:
        out["new_due" if event.kind == "delay_agreed" else "deadline"] = (
            event.until.isoformat()
        )
    return out
