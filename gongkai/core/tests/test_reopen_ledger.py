"""责令重新答复 (行政复议法第六十四条, 行政诉讼法第七十条): a ``reopened`` event.

The period the decision gives (else 20 working days) runs from its delivery, the
delivery day being day zero; the earlier reply stays in the events and the
conclusion clears. Dates worked by hand from the 2026 schedule: 9-20 (Sun) and
10-10 (Sat) are working days, 9-25 (中秋) and 10-1..10-7 (国庆) are not.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.inforequest_flow import (
    Action,
    IllegalTransition,
    Status,
    allowed_actions,
    transition,
)
from gongkai.core.workdays import (
    Event,
    LedgerError,
    compute_ledger,
    default_calendar,
    event_from_json,
    event_to_json,
    explain_for_staff,
)
from gongkai.core.workdays.ledger import Ledger

D = date.fromisoformat

FIRST = [Event("received", D("2026-08-03")), Event("replied", D("2026-08-20"))]


def ledger(events: list[Event], today: str) -> Ledger:
    return compute_ledger(events, default_calendar(), D(today))


def reopened(day: str, n: int | None = None) -> Event:
    return Event("reopened", D(day), working_days=n, ref="洛复决〔2026〕7号")


def test_reopen_is_allowed_only_from_a_reply_or_a_closing() -> None:
    assert transition(Status.REPLIED, Action.REOPEN) is Status.IN_PROGRESS
    assert transition(Status.CLOSED, Action.REOPEN) is Status.IN_PROGRESS
    assert Action.REOPEN in allowed_actions(Status.REPLIED)
    assert Action.REOPEN.label == "依复议决定或判决重新办理"
    for status in (Status.WITHDRAWN, Status.IN_PROGRESS, Status.DECIDED):
        with pytest.raises(IllegalTransition):
            transition(status, Action.REOPEN)


def test_default_period_is_20_working_days_from_delivery() -> None:
    # Delivered Mon 9-14 (day 0): 9-15..18 = 4, 9-20 (Sun 上班) = 5, 9-21..24 = 9,
    # [9-25 中秋], 9-28..30 = 12, [10-1..7 国庆], 10-8, 10-9 = 14, 10-10 (Sat 上班) = 15,
    # 10-12..16 = 20.
    result = ledger([*FIRST, reopened("2026-09-14")], "2026-09-14")
    assert result.due_date == D("2026-10-16")
    assert result.allowed_working_days == 20
    assert result.concluded_on is None
    assert result.clock_start == D("2026-09-14")
    assert result.status == "on_time"
    assert [e.kind for e in result.events] == ["received", "replied", "reopened"]


def test_the_period_the_decision_gives() -> None:
    # 10 working days from 9-14: 9-15..18 = 4, 9-20 = 5, 9-21..24 = 9, 9-28 = 10.
    result = ledger([*FIRST, reopened("2026-09-14", 10)], "2026-09-15")
    assert result.due_date == D("2026-09-28")
    assert result.used_working_days == 1


def test_answered_again_concludes_on_the_new_reply() -> None:
    events = [*FIRST, reopened("2026-09-14", 10), Event("replied", D("2026-09-29"))]
    result = ledger(events, "2026-10-12")
    assert result.concluded_on == D("2026-09-29")
    assert result.status == "answered_late"  # due 9-28
    on_time = [*events[:-1], Event("replied", D("2026-09-28"))]
    assert ledger(on_time, "2026-10-12").status == "answered_on_time"


def test_reopen_needs_a_conclusion_and_keeps_order() -> None:
    with pytest.raises(LedgerError, match="只有已答复或已结案"):
        ledger([FIRST[0], reopened("2026-09-14")], "2026-09-14")
    with pytest.raises(LedgerError, match="早于前一个事件"):
        ledger([*FIRST, reopened("2026-08-19")], "2026-09-14")
    with pytest.raises(LedgerError, match="答复或结案之后不能再有事件"):
        ledger([*FIRST, Event("fee_paid", D("2026-09-14"))], "2026-09-14")
    with pytest.raises(LedgerError, match="应为正数"):
        ledger([*FIRST, reopened("2026-09-14", 0)], "2026-09-14")


def test_no_article_33_extension_of_the_period_the_decision_gives() -> None:
    ext = Event("extension", D("2026-09-15"), working_days=5, approver="王科长")
    with pytest.raises(LedgerError, match="不适用条例第三十三条"):
        ledger([*FIRST, reopened("2026-09-14"), ext], "2026-09-15")


def test_a_case_closed_for_no_fee_reopens_running() -> None:
    events = [
        Event("received", D("2026-08-03")),
        Event("fee_notice_sent", D("2026-08-05")),
        Event("closed", D("2026-09-03"), reason="逾期未缴费"),
        reopened("2026-09-14", 10),
    ]
    result = ledger(events, "2026-09-15")
    assert result.status == "on_time"
    assert result.clock == "running"
    assert result.due_date == D("2026-09-28")


def test_json_round_trip_and_explanation() -> None:
    raw = {"kind": "reopened", "date": "2026-09-14", "working_days": 10, "ref": "x"}
    event = event_from_json(raw, 2)
    assert event_to_json(event) == raw
    text = explain_for_staff(ledger([*FIRST, reopened("2026-09-14", 10)], "2026-09-15"))
    assert "依复议决定或判决重新办理：10个工作日内重新答复" in text
    assert "期限自决定送达之日2026年9月14日" in text
    assert "答复期限：10个工作日（复议决定/判决确定）" in text
