"""Reads about applications: lists for screens and table 三 of the annual report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from gongkai.calendars.selectors import work_calendar
from gongkai.core.identifiers import (
    mask_address,
    mask_email,
    mask_identifier,
    mask_phone,
)
from gongkai.core.inforequest_flow import (
    OPEN_STATUSES,
    ApplicantType,
    ClockState,
    Outcome,
    Status,
)
from gongkai.core.workdays import WorkCalendar
from gongkai.core.workdays.urgency import Urgency, due_soon_limit, urgency_of
from gongkai.inforequests.models import (
    Assistance,
    DeadlineChange,
    InfoRequest,
    Transfer,
)
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, scope

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


@dataclass(frozen=True)
class ListFilter:
    """What the officer's list (screen and API) is narrowed to."""

    status: str = ""  # "" = open, "all", or a Status value
    urgency: str = ""  # "", on_time, due_soon, overdue, provisional
    handler: str = ""  # "", "none", or a user id
    year: int | None = None
    q: str = ""  # part of a tracking number


def inforequest_list_filtered(
    user: Any,
    organisation: Organisation | None,
    filters: ListFilter,
    today: date,
    calendar: WorkCalendar | None = None,
) -> QuerySet[InfoRequest]:
    """The officer's list as the screen and the API show it: the cases ``user`` may
    see (below ``organisation``), narrowed by ``filters``, most urgent first (cases
    without a due date last). The urgency filters select exactly the cases whose
    badge (:func:`inforequest_urgency`) has that key."""
    qs = inforequest_list_for(user, organisation)
    if filters.status == "":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.urgency in ("overdue", "due_soon", "on_time"):
        limit = due_soon_limit(today, calendar or work_calendar())
        qs = qs.filter(status__in=OPEN_STATUSES)
        qs = {
            "overdue": qs.filter(due_on__lt=today),
            "due_soon": qs.filter(due_on__gte=today, due_on__lte=limit),
            "on_time": qs.filter(due_on__gt=limit),
        }[filters.urgency]
    elif filters.urgency == "provisional":
        qs = qs.filter(due_provisional=True)
    if filters.handler == "none":
        qs = qs.filter(handler__isnull=True)
    elif filters.handler:
        qs = qs.filter(handler_id=int(filters.handler))
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.q.strip():
        qs = qs.filter(tracking_number__icontains=filters.q.strip())
    return qs.order_by(F("due_on").asc(nulls_last=True), "id")


def inforequest_urgency(
    request: InfoRequest, today: date, calendar: WorkCalendar | None = None
) -> Urgency:
    """The badge of a case, from its stored due date (overdue is never stored)."""
    return urgency_of(
        request.due_on,
        today,
        calendar or work_calendar(),
        concluded=not request.is_open,
        paused=Status(request.status).clock is ClockState.PAUSED,
    )


def inforequest_masked(request: InfoRequest) -> dict[str, str]:
    """The applicant's contact data as lists and the API show it (partly hidden)."""
    return {
        "id_number": mask_identifier(request.id_number) if request.id_number else "",
        "phone": mask_phone(request.phone) if request.phone else "",
        "email": mask_email(request.email),
        "address": mask_address(request.address) if request.address else "",
    }


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


# --------------------------------------------------------------------------- 转办、协办


def transfers_pending_for(user: Any) -> QuerySet[Transfer]:
    """转办 proposals waiting for a body on which ``user`` may 办理."""
    return scope(
        Transfer.objects.filter(status=Transfer.Status.PROPOSED),
        user,
        Perm.EDIT,
        via="to_organisation",
    ).select_related("from_request__organisation", "to_organisation")


def assistance_pending_for(user: Any) -> QuerySet[Assistance]:
    """协办 requests to a body on which ``user`` may 办理, not yet answered."""
    return scope(
        Assistance.objects.filter(answered_on__isnull=True),
        user,
        Perm.EDIT,
        via="organisation",
    ).select_related("request__organisation", "organisation")


def case_transfers(request: InfoRequest) -> list[Transfer]:
    """The case's transfers, out of it and into it."""
    return list(
        Transfer.objects.filter(Q(from_request=request) | Q(to_request=request))
        .select_related("from_request__organisation", "to_organisation", "to_request")
        .order_by("proposed_at", "id")
    )


def case_assistance(request: InfoRequest) -> list[Assistance]:
    return list(request.assistances.select_related("organisation"))


def body_choices(exclude: Organisation | None) -> list[tuple[str, str]]:
    """The disclosure bodies on the platform another body may transfer to or ask."""
    rows = Organisation.objects.filter(is_active=True, is_disclosure_body=True)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return [(str(o.pk), o.name) for o in rows.order_by("path")]


def platform_organisation(value: Any) -> Organisation | None:
    """An active organisation on the platform by id, or None (not on the platform)."""
    try:
        return Organisation.objects.filter(pk=int(value), is_active=True).first()
    except (TypeError, ValueError, OverflowError):
        return None
