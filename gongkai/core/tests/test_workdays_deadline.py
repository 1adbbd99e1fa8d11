"""``Deadline``: a stoppable working-day clock as a value."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.workdays import Event, compute_ledger, default_calendar
from gongkai.core.workdays.deadline import Deadline, DeadlineError

D = date.fromisoformat


def test_a_plain_deadline() -> None:
    # spec §5.6: 2025-09-26 + 20 working days = 2025-10-30
    assert Deadline(D("2025-09-26"), 20).due(default_calendar()) == D("2025-10-30")


def test_pause_and_resume_skip_the_paused_working_days() -> None:
    # 2025-03-03 + 20 = 3/31; paused (3/10, 3/14] = 4 working days →
    # 4/1, 4/2, 4/3, [清明 4/4–4/6], 4/7.
    d = Deadline(D("2025-03-03"), 20).pause(D("2025-03-10")).resume(D("2025-03-14"))
    assert not d.paused
    assert d.due(default_calendar()) == D("2025-04-07")


def test_an_open_pause_counts_up_to_today() -> None:
    d = Deadline(D("2025-03-03"), 20).pause(D("2025-03-10"))
    assert d.paused
    assert d.due(default_calendar(), today=D("2025-03-14")) == D("2025-04-07")
    with pytest.raises(DeadlineError):
        d.due(default_calendar())


def test_extend_adds_working_days() -> None:
    # 2025-01-20 + 40 = 2025-03-21 (spec §5.6)
    assert Deadline(D("2025-01-20"), 20).extend(20).due(default_calendar()) == D(
        "2025-03-21"
    )


@pytest.mark.parametrize(
    "operation",
    [
        lambda d: d.resume(D("2025-03-10")),  # not paused
        lambda d: d.pause(D("2025-03-10")).pause(D("2025-03-11")),  # twice
        lambda d: d.pause(D("2025-03-10")).resume(D("2025-03-09")),  # before the pause
        lambda d: d.pause(D("2025-03-01")),  # before the start
        lambda d: d.extend(-1),
    ],
)
def test_impossible_operations_are_refused(
    operation: Callable[[Deadline], Deadline],
) -> None:
    with pytest.raises(DeadlineError):
        operation(Deadline(D("2025-03-03"), 20))


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 6, 30)),
    gaps=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 10)), max_size=4),
)
def test_deadline_agrees_with_the_ledger(
    start: date, gaps: list[tuple[int, int]]
) -> None:
    # Consultations with other agencies shorter than their 15-working-day window
    # pause the ledger exactly as pause/resume pause a Deadline.
    cal = default_calendar()
    deadline = Deadline(start, 20)
    events = [Event("received", start)]
    when = start
    for i, (before, length) in enumerate(gaps):
        when += timedelta(days=before)
        deadline = deadline.pause(when)
        events.append(
            Event("consultation_started", when, party="other_agency", ref=str(i))
        )
        when += timedelta(days=length)
        deadline = deadline.resume(when)
        events.append(Event("consultation_ended", when, ref=str(i)))
    ledger = compute_ledger(events, cal, when, with_days=False)
    assert deadline.due(cal) == ledger.due_date
