"""Per organisation and year tallies of applications (``RequestTally``).

The supervision dashboard sums these rows over a subtree instead of scanning every
application below it: a province has 10^4 units and 10^6 applications, and the page
must still answer in well under a second (docs/benchmarks.md).

A tally row is never adjusted by +1/-1: it is recounted from the records whenever an
application of that organisation and year is saved or deleted, so a missed update is
healed by the next one, and ``rebuild`` (``manage.py rebuild_request_tallies``) restores
everything. Recounting locks the tally row first, so two concurrent saves for one unit
and year are serialised and the second counts what the first committed.

Years: ``received`` and ``statuses`` belong to the year the application was received
(收到申请之日); ``concluded``, ``outcomes`` and ``handling_days`` to the year it was
concluded. Handling days are working days from receipt to conclusion under the current
calendar, which is why a calendar change rebuilds the years from the changed one on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_migrate, post_save

from gongkai.calendars.selectors import work_calendar
from gongkai.inforequests.models import NOT_TALLIED, InfoRequest, RequestTally

Pair = tuple[int, int]  # (organisation_id, year)


@dataclass
class _Figures:
    received: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    concluded: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    handling_days: Counter[str] = field(default_factory=Counter)

    def as_fields(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "statuses": dict(self.statuses),
            "concluded": self.concluded,
            "outcomes": dict(self.outcomes),
            "handling_days": dict(self.handling_days),
        }


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def count_figures(requests: QuerySet[InfoRequest]) -> dict[Pair, _Figures]:
    """Group ``requests`` into tallies, three GROUP BY queries whatever their number."""
    figures: dict[Pair, _Figures] = defaultdict(_Figures)
    by_received = (
        requests.annotate(y=ExtractYear("received_on"))
        .values("organisation_id", "y", "status")
        .order_by()
        .annotate(n=Count("id"))
    )
    for row in by_received:
        tally = figures[(row["organisation_id"], row["y"])]
        tally.received += row["n"]
        tally.statuses[row["status"]] += row["n"]
    concluded = requests.filter(concluded_on__isnull=False).annotate(
        y=ExtractYear("concluded_on")
    )
    for by_outcome in (
        concluded.values("organisation_id", "y", "outcome")
        .order_by()
        .annotate(n=Count("id"))
    ):
        tally = figures[(by_outcome["organisation_id"], by_outcome["y"])]
        tally.concluded += by_outcome["n"]
        tally.outcomes[by_outcome["outcome"]] += by_outcome["n"]
    calendar = work_calendar()
    days_between: dict[tuple[date, date | None], str] = {}
    for by_span in (
        concluded.values("organisation_id", "y", "received_on", "concluded_on")
        .order_by()
        .annotate(n=Count("id"))
    ):
        span = (by_span["received_on"], by_span["concluded_on"])
        if span not in days_between:
            days_between[span] = str(calendar.working_days_between(*span))  # type: ignore[arg-type]
        figures[(by_span["organisation_id"], by_span["y"])].handling_days[
            days_between[span]
        ] += by_span["n"]
    return figures


def _requests_touching(organisation_id: int, year: int) -> QuerySet[InfoRequest]:
    start, end = _year_range(year)
    return InfoRequest.objects.filter(
        Q(received_on__range=(start, end)) | Q(concluded_on__range=(start, end)),
        organisation_id=organisation_id,
    )


@transaction.atomic
def refresh(pairs: Iterable[Pair]) -> None:
    """Recount the tallies of these (organisation, year) pairs from the records."""
    for organisation_id, year in sorted(set(pairs)):
        RequestTally.objects.bulk_create(
            [RequestTally(organisation_id=organisation_id, year=year)],
            ignore_conflicts=True,
        )
        # Lock before counting: a concurrent save of the same unit and year waits here,
        # then counts what this transaction committed.
        tally = RequestTally.objects.select_for_update().get(
            organisation_id=organisation_id, year=year
        )
        counted = count_figures(_requests_touching(organisation_id, year)).get(
            (organisation_id, year), _Figures()
        )
        # An emptied tally keeps its row (zeros): deleting it would leave a concurrent
        # save, queued on this row's lock, with no row to lock.
        for name, value in counted.as_fields().items():
            setattr(tally, name, value)
        tally.save()


def _pairs_of(
    organisation_id: int | None, received_on: date | None, concluded_on: date | None
) -> set[Pair]:
    if organisation_id is None:
        return set()
    return {(organisation_id, day.year) for day in (received_on, concluded_on) if day}


def refresh_for_request(
    request: InfoRequest, before: tuple[int, date, date | None] | None
) -> None:
    """After a save: recount the years the application is in now and was in before."""
    pairs = _pairs_of(
        request.organisation_id, request.received_on, request.concluded_on
    )
    if before is not None:
        pairs |= _pairs_of(*before)
    refresh(pairs)


def _after_delete(sender: Any, instance: InfoRequest, **kwargs: Any) -> None:
    refresh(
        _pairs_of(instance.organisation_id, instance.received_on, instance.concluded_on)
    )


def _after_save(sender: Any, instance: InfoRequest, **kwargs: Any) -> None:
    before = getattr(instance, "_tally_before", None)
    if before is NOT_TALLIED or kwargs.get("raw"):
        return
    refresh_for_request(instance, before)


def rebuild_if_empty(**kwargs: Any) -> None:
    """After ``migrate``: a table emptied (or just created) by a migration is recounted.

    Migrations only empty the tallies and never import this module, so an old
    migration keeps working whatever this code becomes.
    """
    if RequestTally.objects.exists() or not InfoRequest.objects.exists():
        return
    rebuild()


def connect_receivers() -> None:
    """Keep the tallies current on every save and delete (called from ready())."""
    post_save.connect(
        _after_save, sender=InfoRequest, dispatch_uid="request_tallies_save"
    )
    post_delete.connect(
        _after_delete, sender=InfoRequest, dispatch_uid="request_tallies"
    )
    post_migrate.connect(rebuild_if_empty, dispatch_uid="request_tallies_migrate")


@transaction.atomic
def rebuild(
    since_year: int | None = None,
    *,
    request_model: Any = InfoRequest,
    tally_model: Any = RequestTally,
) -> int:
    """Recount every tally (or those of ``since_year`` and later); returns the rows kept.

    The models are parameters so the migration that adds the table can fill it with
    its historical models.
    """
    requests = request_model.objects.all()
    stale = tally_model.objects.all()
    if since_year is not None:
        start = date(since_year, 1, 1)
        requests = requests.filter(
            Q(received_on__gte=start) | Q(concluded_on__gte=start)
        )
        stale = stale.filter(year__gte=since_year)
    figures = count_figures(requests)
    stale.delete()
    rows = [
        tally_model(organisation_id=org_id, year=year, **counted.as_fields())
        for (org_id, year), counted in figures.items()
        if since_year is None or year >= since_year
    ]
    tally_model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
