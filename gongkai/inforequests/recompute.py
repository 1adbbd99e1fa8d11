"""Recomputing every open application's due date after a holiday-calendar change."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import OPEN_STATUSES
from gongkai.core.workdays import compute_ledger, event_from_json
from gongkai.inforequests.caselog import local_today as _today
from gongkai.inforequests.models import CaseEvent, DeadlineChange, InfoRequest

RECOMPUTE_CHUNK = 2000


def inforequest_recompute_open_deadlines(
    *, reason: str, today: date | None = None
) -> int:
    """Recompute every open application's due date (after a calendar change); log each move.

    Reads plain values in chunks (no model objects, no per-case queries) and writes
    the moved dates in bulk: each move gets a ``DeadlineChange`` row for its handler,
    and the run one audit row listing the cases it moved.
    """
    today = today or _today()
    calendar = work_calendar()  # one calendar for the whole run
    open_ids = list(
        InfoRequest.objects.filter(status__in=OPEN_STATUSES)
        .order_by("id")
        .values_list("id", flat=True)
    )
    moved: list[tuple[int, date | None, date | None, bool]] = []
    for start in range(0, len(open_ids), RECOMPUTE_CHUNK):
        chunk = open_ids[start : start + RECOMPUTE_CHUNK]
        moved.extend(_recompute_chunk(chunk, calendar, today))
    if moved:
        _store_moves(moved, reason)
    return len(moved)


def _recompute_chunk(
    ids: list[int], calendar: Any, today: date
) -> list[tuple[int, date | None, date | None, bool]]:
    """(id, old due, new due, provisional) of the cases in ``ids`` whose date moved."""
    events: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    rows = (
        CaseEvent.objects.filter(request_id__in=ids)
        .order_by("request_id", "on", "id")
        .values_list("request_id", "data")
    )
    for request_id, data in rows:
        if "ledger" in data:
            events[request_id].append(data["ledger"])
    current = InfoRequest.objects.filter(id__in=ids).values_list(
        "id", "due_on", "due_provisional"
    )
    moved = []
    for request_id, due_on, provisional in current:
        raw = events[request_id]
        ledger = compute_ledger(
            [event_from_json(e, n) for n, e in enumerate(raw)],
            calendar,
            today,
            with_days=False,
        )
        if ledger.due_date != due_on or ledger.provisional != provisional:
            moved.append((request_id, due_on, ledger.due_date, ledger.provisional))
    return moved


@transaction.atomic
def _store_moves(
    moved: list[tuple[int, date | None, date | None, bool]], reason: str
) -> None:
    updates = [
        InfoRequest(id=i, due_on=new, due_provisional=prov)
        for i, _old, new, prov in moved
    ]
    InfoRequest.objects.bulk_update(
        updates, ["due_on", "due_provisional"], batch_size=1000
    )
    DeadlineChange.objects.bulk_create(
        [
            DeadlineChange(request_id=i, old_due=old, new_due=new, reason=reason)
            for i, old, new, _p in moved
        ],
        batch_size=1000,
    )
    audit_record(
        action="inforequest.deadlines_recomputed",
        details={
            "reason": reason,
            "moved": len(moved),
            "cases": [[i, str(old), str(new)] for i, old, new, _p in moved[:5000]],
        },
    )
