"""The case's event log and its deadline: the ``CaseEvent`` rows are the ledger's
input (``gongkai.core.workdays``), and the due date stored on the case is the ledger's."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.calendars.selectors import work_calendar
from gongkai.core.workdays import (
    Event,
    Ledger,
    compute_ledger,
    event_from_json,
    event_to_json,
)
from gongkai.inforequests.models import CaseEvent, InfoRequest

# Timeline entries that are not steps of the case and may be dated after a step
# recorded later for an earlier day: the handler's assignment, the applicant's
# downloads, the platform's 电子送达, a file added for disclosure.
BOOKKEEPING_ACTIONS = (
    "assign",
    "applicant_download",
    "electronic_delivery",
    "release_file",
)


def local_today() -> date:
    """Today in the configured time zone (the day every step is dated by default)."""
    return timezone.localdate()


def ledger_events(request: InfoRequest) -> list[Event]:
    """The ledger's input, numbered among ledger events only (errors name the right one).

    Sorted in Python so a ``prefetch_related("events")`` is used, not re-queried.
    """
    rows = sorted(request.events.all(), key=lambda e: (e.on, e.pk))
    with_ledger = [e.data["ledger"] for e in rows if "ledger" in e.data]
    return [event_from_json(raw, i) for i, raw in enumerate(with_ledger)]


def inforequest_ledger(
    request: InfoRequest, today: date | None = None, *, with_days: bool = True
) -> Ledger:
    """The deadline ledger of an application, from its events and the current calendar."""
    return compute_ledger(
        ledger_events(request),
        work_calendar(),
        today or local_today(),
        with_days=with_days,
    )


def store_deadline(request: InfoRequest, today: date) -> None:
    ledger = inforequest_ledger(request, today, with_days=False)
    request.due_on = ledger.due_date
    request.due_provisional = ledger.provisional


def append_event(
    request: InfoRequest,
    *,
    actor: Actor,
    action: str,
    on: date,
    from_status: str,
    to_status: str,
    ledger_event: Event | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    payload = dict(data or {})
    if ledger_event is not None:
        payload["ledger"] = event_to_json(ledger_event)
    return CaseEvent.objects.create(
        request=request,
        on=on,
        actor=stored_user(actor),
        action=action,
        from_status=from_status,
        to_status=to_status,
        data=payload,
    )


def reopenings(request: InfoRequest) -> list[dict[str, Any]]:
    """The replies a 纠正 set aside (责令重新答复), oldest first: each REOPEN event's
    data — ``previous_outcome``, ``previous_outcome_note``, ``previous_concluded_on``,
    the decision's ``decided_on``, ``delivered_on``, ``period_working_days``,
    ``appeal_ref``. Empty if the case was never reopened."""
    rows = sorted(
        (e for e in request.events.all() if e.action == "reopen"),
        key=lambda e: (e.on, e.pk),
    )
    return [dict(e.data) for e in rows]


def first_outcome(request: InfoRequest) -> str:
    """The outcome of the first reply, kept when a 纠正 reopened the case."""
    history = reopenings(request)
    return str(history[0]["previous_outcome"]) if history else request.outcome


def note_on_case(
    request: InfoRequest,
    *,
    actor: Actor,
    action: str,
    on: date,
    data: dict[str, Any] | None = None,
    ledger_event: Event | None = None,
) -> CaseEvent:
    """A timeline entry that moves no status (a transfer, a 协办, one of several
    consultations ending); ``ledger_event`` if the deadline ledger needs it."""
    return append_event(
        request,
        actor=actor,
        action=action,
        on=on,
        from_status=request.status,
        to_status=request.status,
        ledger_event=ledger_event,
        data=data,
    )
