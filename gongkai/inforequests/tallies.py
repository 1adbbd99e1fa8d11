"""Per organisation and year tallies of applications (``RequestTally``).

The supervision dashboard sums these rows over a subtree instead of scanning every
application below it: a province has 10^4 units and 10^6 applications, and the page
must still answer in well under a second (docs/benchmarks.md).

A save or delete adds a difference: where the application counted before (read from
its row, under the row's lock, by ``InfoRequest.save`` or the ``pre_delete`` receiver)
is taken off, where it counts now is added, and only the one or two tally rows of
those organisations and years change — a constant cost whatever the unit holds. "Now"
is that row with the fields the save wrote (``place_written``; the row stays locked
until the transaction ends, so nothing else can have changed it), so a stale instance,
a save with ``update_fields`` or a concurrent save of the same application cannot add
a wrong difference; each tally row is locked before it is read (on PostgreSQL by the
one UPDATE that adds the difference), so concurrent saves of one unit add their
differences one after the other.
A difference that would leave a count below zero (a tally that was already wrong) is
not added: that tally is recounted from the records instead. ``refresh`` recounts
given tallies after a raw ``queryset.update()`` that bypassed ``save()``, and
``rebuild`` (``manage.py rebuild_request_tallies``, nightly) recounts everything.

Years: ``received`` and ``statuses`` belong to the year the application was received
(收到申请之日); ``concluded``, ``outcomes`` and ``handling_days`` to the year it was
concluded. Handling days are working days from receipt to conclusion under the current
calendar, which is why a calendar change rebuilds the years from the changed one on.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Field, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.utils import timezone

from gongkai.calendars.selectors import work_calendar
from gongkai.inforequests.models import (
    NOT_TALLIED,
    TALLY_PLACE,
    InfoRequest,
    RequestTally,
    tally_place_of,
)
from gongkai.rawsql import fetch_row

log = logging.getLogger(__name__)

Pair = tuple[int, int]  # (organisation_id, year)
# Where one application counts, as read from its row (the columns of TALLY_PLACE):
# (organisation_id, received_on, concluded_on, status, outcome).
Place = tuple[int, date, date | None, str, str]
# Not read by InfoRequest.save / the pre_delete receiver (the row was written another way).
_UNREAD = object()


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

    def is_zero(self) -> bool:
        return not (
            self.received
            or self.concluded
            or any(self.statuses.values())
            or any(self.outcomes.values())
            or any(self.handling_days.values())
        )


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


_COUNTS = ("received", "statuses", "concluded", "outcomes", "handling_days")


def _lock_row(
    organisation_id: int, year: int, using: str
) -> tuple[int, dict[str, Any]]:
    """The tally row of a unit and year, locked: its id and counts (made, with zeros,
    if missing). Read and written as SQL (``_write_row``): on every tallied save, the
    ORM's query building and model instances cost more than the database's work."""
    columns, where = ["id", *_COUNTS], ["organisation_id", "year"]
    key = [organisation_id, year]
    row = fetch_row(using, RequestTally, columns, where, key, lock=True)
    if row is None:
        # Two transactions may both find none: the second INSERT waits for the
        # first and does nothing, then both lock the one row.
        RequestTally.objects.using(using).bulk_create(
            [RequestTally(organisation_id=organisation_id, year=year)],
            ignore_conflicts=True,
        )
        row = fetch_row(using, RequestTally, columns, where, key, lock=True)
    assert row is not None  # made just above if missing
    pk, *values = row
    return pk, {
        name: json.loads(value) if isinstance(value, str | bytes) else value
        for name, value in zip(_COUNTS, values, strict=True)
    }


def _write_row(pk: int, counts: dict[str, Any], using: str) -> None:
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = RequestTally._meta
    names = [*_COUNTS, "refreshed_at"]
    values = {**counts, "refreshed_at": timezone.now()}
    params = [
        cast(Field, meta.get_field(name)).get_db_prep_save(values[name], connection)
        for name in names
    ]
    assignments = ", ".join(f"{quote(name)} = %s" for name in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608  # names from the model; values are parameters
            f"WHERE {quote('id')} = %s",
            [*params, pk],
        )


@transaction.atomic
def refresh(pairs: Iterable[Pair], using: str = DEFAULT_DB_ALIAS) -> None:
    """Recount the tallies of these (organisation, year) pairs from the records."""
    for organisation_id, year in sorted(set(pairs)):
        # Lock before counting: a concurrent save of the same unit and year waits here,
        # then adds its difference to what this transaction counted.
        pk, _stale = _lock_row(organisation_id, year, using)
        counted = count_figures(
            _requests_touching(organisation_id, year).using(using)
        ).get((organisation_id, year), _Figures())
        # An emptied tally keeps its row (zeros): deleting it would leave a concurrent
        # save, queued on this row's lock, with no row to lock.
        _write_row(pk, counted.as_fields(), using)


def _parts(
    place: Place | None,
) -> tuple[tuple[int, int, str] | None, tuple[int, date, date, str] | None]:
    """The two things an application adds to the tallies: (unit, year received, status)
    and, once concluded, (unit, received on, concluded on, outcome)."""
    if place is None:
        return None, None
    organisation_id, received_on, concluded_on, status, outcome = place
    received = (organisation_id, received_on.year, status)
    if concluded_on is None:
        return received, None
    return received, (organisation_id, received_on, concluded_on, outcome)


def difference(before: Place | None, after: Place | None) -> dict[Pair, _Figures]:
    """What moving an application from ``before`` to ``after`` (None: not there) does
    to each tally: counts to add (negative: to take off); tallies left unchanged are
    not listed."""
    diff: dict[Pair, _Figures] = defaultdict(_Figures)
    received_before, concluded_before = _parts(before)
    received_after, concluded_after = _parts(after)
    if received_before != received_after:
        for received, sign in ((received_before, -1), (received_after, 1)):
            if received is not None:
                organisation_id, year, status = received
                figures = diff[(organisation_id, year)]
                figures.received += sign
                figures.statuses[status] += sign
    if concluded_before != concluded_after:
        calendar = work_calendar()
        for concluded, sign in ((concluded_before, -1), (concluded_after, 1)):
            if concluded is not None:
                organisation_id, received_on, concluded_on, outcome = concluded
                figures = diff[(organisation_id, concluded_on.year)]
                figures.concluded += sign
                figures.outcomes[outcome] += sign
                days = calendar.working_days_between(received_on, concluded_on)
                figures.handling_days[str(days)] += sign
    return {pair: figures for pair, figures in diff.items() if not figures.is_zero()}


def _plus(counts: dict[str, int], change: Counter[str]) -> dict[str, int] | None:
    """``counts`` with ``change`` added, keys at zero dropped; None if one fell below."""
    result = dict(counts)
    for key, n in change.items():
        value = result.get(key, 0) + n
        if value < 0:
            return None
        if value:
            result[key] = value
        else:
            result.pop(key, None)
    return result


def _json_sum(column: str, change: Counter[str]) -> tuple[str, list[Any]]:
    """SQL (PostgreSQL) for the jsonb ``column`` with ``change`` added to its keys,
    keys at zero dropped (as ``_plus``), and its parameters."""
    terms, params = [], []
    for key, n in sorted(change.items()):
        if n:
            terms.append(
                f"%s::text, NULLIF(COALESCE(({column} ->> %s)::int, 0) + %s, 0)"
            )
            params += [key, key, n]
    if not terms:
        return column, []
    return (
        f"jsonb_strip_nulls({column} || jsonb_build_object({', '.join(terms)}))",
        params,
    )


def _add_in_one_statement(
    organisation_id: int, year: int, change: _Figures, using: str
) -> bool:
    """PostgreSQL: add ``change`` to the tally row by one UPDATE, the server locking,
    reading and writing the row (one round trip, not two). False, with nothing
    written, when the row is missing or a count would fall below zero: the general
    path (``_lock_row``) then makes the row or recounts it."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False  # SQLite runs in this process: a statement costs no round trip
    quote = connection.ops.quote_name
    sets = [f"{quote(name)} = {quote(name)} + %s" for name in ("received", "concluded")]
    set_params: list[Any] = [change.received, change.concluded]
    guards = [f"{quote(name)} + %s >= 0" for name in ("received", "concluded")]
    guard_params: list[Any] = [change.received, change.concluded]
    for name in ("statuses", "outcomes", "handling_days"):
        counter: Counter[str] = getattr(change, name)
        expression, params = _json_sum(quote(name), counter)
        sets.append(f"{quote(name)} = {expression}")
        set_params += params
        for key, n in sorted(counter.items()):
            if n < 0:
                guards.append(f"COALESCE(({quote(name)} ->> %s)::int, 0) >= %s")
                guard_params += [key, -n]
    sets.append(f"{quote('refreshed_at')} = %s")
    set_params.append(timezone.now())
    sql = (
        f"UPDATE {quote(RequestTally._meta.db_table)} SET {', '.join(sets)} "  # noqa: S608  # names from the model; values are parameters
        f"WHERE {quote('organisation_id')} = %s AND {quote('year')} = %s AND "
        + " AND ".join(guards)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*set_params, organisation_id, year, *guard_params])
        return cursor.rowcount == 1


@transaction.atomic(savepoint=False)
def apply_change(
    before: Place | None, after: Place | None, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Add the difference between two places of one application to the tallies: the
    one or two rows concerned, each locked, read, changed and written once (on
    PostgreSQL by one statement each)."""
    for (organisation_id, year), change in sorted(difference(before, after).items()):
        if _add_in_one_statement(organisation_id, year, change, using):
            continue
        pk, tally = _lock_row(organisation_id, year, using)
        statuses = _plus(tally["statuses"], change.statuses)
        outcomes = _plus(tally["outcomes"], change.outcomes)
        handling_days = _plus(tally["handling_days"], change.handling_days)
        received = tally["received"] + change.received
        concluded = tally["concluded"] + change.concluded
        if (
            statuses is None
            or outcomes is None
            or handling_days is None
            or received < 0
            or concluded < 0
        ):
            # Taking off what the tally does not hold: it was wrong before this save
            # (a raw update, a calendar change without a rebuild). Count it again.
            log.warning(
                "tally %s/%s was wrong before a save; recounted from the records",
                organisation_id,
                year,
            )
            refresh([(organisation_id, year)], using)
            continue
        _write_row(
            pk,
            {
                "received": received,
                "statuses": statuses,
                "concluded": concluded,
                "outcomes": outcomes,
                "handling_days": handling_days,
            },
            using,
        )


def place_in_db(pk: Any, using: str, *, lock: bool = False) -> Place | None:
    """Where the application with this id counts, read from its row (None if none)."""
    return tally_place_of(pk, using, lock=lock)


def _pairs_of(place: Place | None) -> set[Pair]:
    if place is None:
        return set()
    organisation_id, received_on, concluded_on, _status, _outcome = place
    return {(organisation_id, day.year) for day in (received_on, concluded_on) if day}


# The type each value of a place has when read from the row. A value of any other
# type on the instance (a date given as text, an expression, a str subclass) may be
# stored as something that compares differently: the row is read back instead.
_PLACE_TYPES: dict[str, tuple[type, ...]] = {
    "organisation_id": (int,),
    "received_on": (date,),
    "concluded_on": (date, type(None)),
    "status": (str,),
    "outcome": (str,),
}


def place_written(
    instance: InfoRequest,
    before: Place | None,
    *,
    created: bool,
    update_fields: Iterable[str] | None,
) -> Place | None:
    """Where the application counts after its save, told from what the save wrote,
    without reading the row: ``before`` was read under the row's lock, held until the
    transaction ends, so the row now holds ``before`` with the written fields replaced
    by the instance's values. None when that cannot be told (read the row then)."""
    if created or update_fields is None:
        values: dict[str, Any] = {}  # every column was written
        written: Iterable[str] = TALLY_PLACE
    elif before is None:
        return None
    else:
        values = dict(zip(TALLY_PLACE, before, strict=True))
        meta = InfoRequest._meta
        written = [cast(Field, meta.get_field(name)).attname for name in update_fields]
    for name in written:
        if name in _PLACE_TYPES:
            values[name] = getattr(instance, name)
    if not all(type(values[name]) in types for name, types in _PLACE_TYPES.items()):
        return None
    return cast(Place, tuple(values[name] for name in TALLY_PLACE))


def _after_save(sender: Any, instance: InfoRequest, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    before = instance.__dict__.pop("_tally_before", _UNREAD)
    if before is NOT_TALLIED:
        return
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    if before is _UNREAD:
        # Saved without InfoRequest.save (save_base called directly): where it was is
        # unknown, so its tallies now are recounted.
        refresh(_pairs_of(place_in_db(instance.pk, using)), using)
        return
    after = place_written(
        instance,
        cast(Place | None, before),
        created=bool(kwargs.get("created")),
        update_fields=kwargs.get("update_fields"),
    )
    if after is None:
        after = place_in_db(instance.pk, using)
    apply_change(cast(Place | None, before), after, using)


def _before_delete(sender: Any, instance: InfoRequest, **kwargs: Any) -> None:
    # Inside the deletion's transaction: lock the row and read where it counts. A
    # concurrent deletion of the same row waits here, then finds none (and takes off
    # nothing), though Django still sends it post_delete.
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    instance.__dict__["_tally_deleted"] = place_in_db(instance.pk, using, lock=True)


def _after_delete(sender: Any, instance: InfoRequest, **kwargs: Any) -> None:
    before = instance.__dict__.pop("_tally_deleted", _UNREAD)
    if before is _UNREAD:
        before = tuple(getattr(instance, name) for name in TALLY_PLACE)
    apply_change(before, None, kwargs.get("using") or DEFAULT_DB_ALIAS)


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
    pre_delete.connect(
        _before_delete, sender=InfoRequest, dispatch_uid="request_tallies_pre_delete"
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
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        # Saves lock tally rows to add their differences: they wait for this recount,
        # and it waits for those that already changed a tally, so none is counted
        # twice or lost. Plain reads go on.
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(tally_model._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
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
