"""Reads about applications: lists for screens and table 三 of the annual report."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from gongkai.core.inforequest_flow import ApplicantType, Outcome, Status
from gongkai.inforequests.models import DeadlineChange, InfoRequest
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, scope

OPEN_STATUSES = [s.value for s in Status if not s.is_concluded]
COLUMNS = [t.value for t in ApplicantType]


def inforequest_list_for(
    user: Any, organisation: Organisation | None = None
) -> QuerySet[InfoRequest]:
    qs = scope(InfoRequest.objects.all(), user, Perm.VIEW).select_related(
        "organisation", "handler"
    )
    if organisation is not None:
        qs = qs.filter(path_prefix_q(organisation.path, "organisation__path"))
    return qs


def deadline_changes_unread_for(user: Any, limit: int = 50) -> list[DeadlineChange]:
    """Due dates moved by a calendar change that nobody has marked read yet, on cases
    the user handles (Perm.EDIT), newest first: the 工作台's reminder list."""
    return list(
        scope(
            DeadlineChange.objects.filter(acknowledged=False),
            user,
            Perm.EDIT,
            via="request__organisation",
        )
        .select_related("request", "request__organisation")
        .order_by("-at", "-pk")[:limit]
    )


def inforequest_list_open_by_urgency(
    user: Any, organisation: Organisation | None = None
) -> QuerySet[InfoRequest]:
    return (
        inforequest_list_for(user, organisation)
        .filter(status__in=OPEN_STATUSES)
        .order_by("due_on", "id")
    )


def table3_for(
    organisation: Organisation, year: int, *, include_descendants: bool = False
) -> dict[str, int]:
    """Table 三 of ``year`` as flat cell keys (DESIGN flow 2).

    new = received in the year; carried = received earlier and still open on 1 Jan;
    each outcome row = concluded in the year; carry_forward = open on 31 Dec.
    Columns come from the applicant type at intake. 一+二 = 三(七)+四 by construction.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    base = InfoRequest.objects.all()
    base = (
        base.filter(path_prefix_q(organisation.path, "organisation__path"))
        if include_descendants
        else base.filter(organisation=organisation)
    )
    cells: dict[str, int] = defaultdict(int)

    def add(row: str, rows: QuerySet[InfoRequest]) -> None:
        for item in rows.values("applicant_type").annotate(n=Count("id")):
            cells[f"s3.{row}.{item['applicant_type']}"] += item["n"]

    open_at = lambda day: Q(concluded_on__isnull=True) | Q(concluded_on__gt=day)  # noqa: E731
    add("new", base.filter(received_on__range=(start, end)))
    add(
        "carried",
        base.filter(
            Q(received_on__lt=start)
            & (Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))
        ),
    )
    concluded = base.filter(concluded_on__range=(start, end))
    for item in concluded.values("outcome", "applicant_type").annotate(n=Count("id")):
        cells[f"s3.{item['outcome']}.{item['applicant_type']}"] += item["n"]
    add("carry_forward", base.filter(Q(received_on__lte=end) & open_at(end)))
    return _complete_table3(cells)


def _complete_table3(cells: dict[str, int]) -> dict[str, int]:
    rows = ["new", "carried", *[o.value for o in Outcome], "total", "carry_forward"]
    out: dict[str, int] = {}
    for row in rows:
        for col in COLUMNS:
            out[f"s3.{row}.{col}"] = cells.get(f"s3.{row}.{col}", 0)
    for col in COLUMNS:
        out[f"s3.total.{col}"] = sum(out[f"s3.{o.value}.{col}"] for o in Outcome)
    for row in rows:
        out[f"s3.{row}.total"] = sum(out[f"s3.{row}.{col}"] for col in COLUMNS)
    return out


def table3_records(
    organisation: Organisation, year: int, key: str
) -> QuerySet[InfoRequest]:
    """The applications behind one cell of table 三 (drill-down)."""
    _, row_and_col = key.split(".", 1)
    row, col = row_and_col.rsplit(".", 1)
    start, end = date(year, 1, 1), date(year, 12, 31)
    qs = InfoRequest.objects.filter(organisation=organisation)
    if col != "total":
        qs = qs.filter(applicant_type=col)
    if row == "new":
        return qs.filter(received_on__range=(start, end))
    if row == "carried":
        return qs.filter(
            Q(received_on__lt=start)
            & (Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))
        )
    if row == "carry_forward":
        return qs.filter(
            Q(received_on__lte=end)
            & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=end))
        )
    qs = qs.filter(concluded_on__range=(start, end))
    return qs if row == "total" else qs.filter(outcome=row)
