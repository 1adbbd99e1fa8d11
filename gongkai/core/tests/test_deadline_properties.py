"""Property tests of the deadline ledger over random but possible event histories.

Events are appended in real time: the ledger before and after an event is read
on the day of that event. Then adding an event never moves the due date
earlier — except a 补正 restart (条例第三十条), which is allowed to. An extension
after the due date then in force is refused (条例第三十三条第二款) and not appended.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.workdays import Event, LedgerError, compute_ledger, default_calendar
from gongkai.core.workdays.events import EventKind

RESTART_KINDS = {"correction_requested", "correction_received"}


def _options(events: list[Event]) -> list[EventKind]:
    kinds = [e.kind for e in events]
    if kinds[-1] in ("replied", "closed"):
        return []
    asked = "correction_requested" in kinds
    awaiting = asked and "correction_received" not in kinds
    open_refs = _open_refs(events)
    out: list[EventKind] = ["closed", "consultation_started"]
    if not awaiting:
        out.append("replied")
    if not awaiting and "extension" not in kinds:
        out.append("extension")
    if not asked:
        out.append("correction_requested")
    if awaiting:
        out.append("correction_received")
    if open_refs:
        out.append("consultation_ended")
    if "fee_notice_sent" not in kinds:
        out.append("fee_notice_sent")
    elif "fee_paid" not in kinds:
        out.append("fee_paid")
    if not awaiting and "delay_agreed" not in kinds:
        out.append("delay_agreed")
    return out


def _open_refs(events: list[Event]) -> list[str]:
    started = [e.ref for e in events if e.kind == "consultation_started"]
    ended = {e.ref for e in events if e.kind == "consultation_ended"}
    return [r for r in started if r not in ended]


def _too_late(event: Event, due_in_force: date | None) -> bool:
    """An extension after the due date in force is refused (条例第三十三条第二款)."""
    return (
        event.kind == "extension"
        and due_in_force is not None
        and event.date > due_in_force
    )


def _event(
    data: st.DataObject, kind: EventKind, when: date, events: list[Event]
) -> Event:
    if kind == "extension":
        n = data.draw(st.integers(1, 20))
        return Event("extension", when, working_days=n, approver="负责人")
    if kind == "correction_requested":
        return Event(kind, when, working_days=data.draw(st.integers(5, 15)))
    if kind == "consultation_started":
        party = data.draw(st.sampled_from(["third_party", "other_agency"]))
        return Event(kind, when, party=party, ref=f"c{len(events)}")
    if kind == "consultation_ended":
        return Event(kind, when, ref=data.draw(st.sampled_from(_open_refs(events))))
    if kind == "delay_agreed":
        return Event(
            kind, when, until=when + timedelta(days=data.draw(st.integers(1, 120)))
        )
    return Event(kind, when)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_adding_an_event_never_moves_the_due_date_earlier(data: st.DataObject) -> None:
    cal = default_calendar()
    start = data.draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 9, 30)))
    events = [Event("received", start)]
    when = start
    for _ in range(data.draw(st.integers(1, 8))):
        options = _options(events)
        if not options:
            break
        when += timedelta(days=data.draw(st.integers(0, 12)))
        event = _event(data, data.draw(st.sampled_from(options)), when, events)
        before = compute_ledger(events, cal, when, with_days=False)
        if _too_late(event, before.due_date):
            with pytest.raises(LedgerError, match="条例第三十三条第二款"):
                compute_ledger([*events, event], cal, when, with_days=False)
            continue
        after = compute_ledger([*events, event], cal, when, with_days=False)
        if event.kind not in RESTART_KINDS and before.due_date and after.due_date:
            assert after.due_date >= before.due_date, (events, event)
        events.append(event)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_used_plus_left_is_the_allowed_period_and_pauses_only_extend(
    data: st.DataObject,
) -> None:
    cal = default_calendar()
    start = data.draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 9, 30)))
    events = [Event("received", start)]
    when = start
    for _ in range(data.draw(st.integers(0, 6))):
        options = [
            o
            for o in _options(events)
            if o not in ("delay_agreed", "correction_requested")
        ]
        if not options:
            break
        when += timedelta(days=data.draw(st.integers(0, 10)))
        event = _event(data, data.draw(st.sampled_from(options)), when, events)
        if _too_late(event, compute_ledger(events, cal, when).due_date):
            continue
        events.append(event)
    today = when + timedelta(days=data.draw(st.integers(0, 40)))
    result = compute_ledger(events, cal, today)
    assert result.due_date is not None and result.left_working_days is not None
    if result.concluded_on is None or result.concluded_on >= result.received_on:
        assert (
            result.used_working_days + result.left_working_days
            == result.allowed_working_days
        )
    assert result.due_date >= cal.add_working_days(
        result.received_on, result.allowed_working_days
    )
    counted = [r for r in result.days if r.counted and r.date <= result.due_date]
    assert len(counted) == result.allowed_working_days
    assert counted[-1].date == result.due_date
