"""What a supervisor sees of every unit below it. All figures come from records."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import Outcome, Status
from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.inforequests.models import OPEN_STATUSES, InfoRequest, RequestTally
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.publishing.models import Publication
from gongkai.reports.models import AnnualReport

OPEN = OPEN_STATUSES  # the same list as the partial index's condition
DUE_SOON_WORKING_DAYS = 3


def subtree(org: Organisation) -> list[Organisation]:
    """The organisation and its active descendants, with only the columns screens use."""
    fields = (
        "id",
        "name",
        "short_name",
        "kind",
        "parent_id",
        "path",
        "depth",
        "is_active",
    )
    return list(
        Organisation.objects.filter(
            path__gte=org.path, path__lt=org.path + "~", is_active=True
        )
        .only(*fields)
        .order_by("path")
    )


@dataclass
class UnitRow:
    unit: Organisation
    received: int = 0
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    publications: int = 0
    late_publications: int = 0
    stale_items: int = 0
    channel_backlog: int = 0
    useful: int = 0
    not_useful: int = 0
    survey_avg: float | None = None


@dataclass
class Dashboard:
    root: Organisation
    year: int
    units: list[UnitRow]
    states: dict[str, int]
    overdue: list[InfoRequest]
    due_soon: list[InfoRequest]
    handling_avg: float | None
    handling_p90: float | None
    outcome_mix: dict[str, int]
    report_grid: list[dict[str, Any]] = field(default_factory=list)
    grid_years: list[int] = field(default_factory=list)


def received_by_year(root: Organisation, years: range) -> tuple[tuple[str, int], ...]:
    """Applications received per year in the subtree, summed from the yearly tallies."""
    rows = (
        RequestTally.objects.filter(
            in_subtree(root), year__gte=years.start, year__lt=years.stop
        )
        .values("year")
        .order_by()
        .annotate(n=Sum("received"))
    )
    counts = {row["year"]: row["n"] for row in rows}
    return tuple((f"{y}年", counts.get(y, 0)) for y in years)


def percentile(values: list[int], p: float) -> float | None:
    """Nearest-rank percentile (p in 0–100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return float(ordered[rank - 1])


def percentile_of_counts(counts: Counter[int], p: float) -> float | None:
    """``percentile`` of the values a histogram {value: how many} stands for."""
    total = sum(counts.values())
    if not total:
        return None
    rank = max(1, math.ceil(p / 100 * total))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return float(value)
    raise AssertionError("unreachable: rank <= total")


def mean_of_counts(counts: Counter[int]) -> float | None:
    total = sum(counts.values())
    return sum(v * n for v, n in counts.items()) / total if total else None


def handling_days(requests: list[InfoRequest]) -> list[int]:
    """Working days from receipt to conclusion of each concluded application."""
    calendar = work_calendar()
    return [
        calendar.working_days_between(r.received_on, r.concluded_on)
        for r in requests
        if r.concluded_on
    ]


def in_subtree(root: Organisation, field: str = "organisation__path") -> Q:
    return path_prefix_q(root.path, field)


@dataclass
class _RequestFigures:
    states: Counter[str] = field(default_factory=Counter)
    outcome_mix: Counter[str] = field(default_factory=Counter)
    handling: Counter[int] = field(default_factory=Counter)


def _request_figures(
    root: Organisation, year: int, rows: dict[int, UnitRow]
) -> _RequestFigures:
    """States, outcome mix and handling days from the yearly tallies of the subtree:
    a few rows per unit, however many applications lie below (see inforequests.tallies)."""
    figures = _RequestFigures()
    tallies = RequestTally.objects.filter(in_subtree(root))
    for statuses in tallies.filter(year__lt=year).values_list("statuses", flat=True):
        figures.states.update(statuses)
    for org_id, received, statuses, outcomes, days in tallies.filter(
        year=year
    ).values_list(
        "organisation_id", "received", "statuses", "outcomes", "handling_days"
    ):
        if org_id in rows:
            rows[org_id].received = received
        figures.states.update(statuses)
        for outcome, n in outcomes.items():
            figures.outcome_mix[Outcome(outcome).group.label] += n
        for value, n in days.items():
            figures.handling[int(value)] += n
    return figures


def dashboard(root: Organisation, year: int, today: date | None = None) -> Dashboard:
    """Every figure is counted in the database: open cases live (a partial index holds
    only them), everything else summed from the per-unit, per-year tallies."""
    today = today or timezone.localdate()
    units = subtree(root)
    rows = {u.pk: UnitRow(unit=u) for u in units}
    start, end = date(year, 1, 1), date(year, 12, 31)
    soon_limit = work_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS)

    open_cases = InfoRequest.objects.filter(in_subtree(root), status__in=OPEN)
    for item in (
        open_cases.values("organisation_id")
        .order_by()
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_on__lt=today)),
            due_soon=Count("id", filter=Q(due_on__gte=today, due_on__lte=soon_limit)),
        )
    ):
        if item["organisation_id"] in rows:
            row = rows[item["organisation_id"]]
            row.open, row.overdue, row.due_soon = (
                item["open"],
                item["overdue"],
                item["due_soon"],
            )
    listed = open_cases.select_related("organisation").order_by("due_on", "id")
    overdue = list(listed.filter(due_on__lt=today)[:200])
    due_soon = list(listed.filter(due_on__gte=today, due_on__lte=soon_limit)[:200])

    live = Publication.objects.filter(
        in_subtree(root),
        status__in=list(LIVE_STATUSES),
        published_at__date__range=(start, end),
    )
    for pub in (
        live.values("organisation_id")
        .order_by()
        .annotate(
            n=Count("id"),
            late=Count(
                "id", filter=Q(due_on__isnull=False, published_at__date__gt=F("due_on"))
            ),
        )
    ):
        if pub["organisation_id"] in rows:
            rows[pub["organisation_id"]].publications = pub["n"]
            rows[pub["organisation_id"]].late_publications = pub["late"]

    _add_catalogue_channels_feedback(rows, root, units, year, today)
    figures = _request_figures(root, year, rows)
    grid_years = [year - 2, year - 1, year]
    return Dashboard(
        root=root,
        year=year,
        units=list(rows.values()),
        states={Status(k).label: n for k, n in figures.states.items() if n},
        overdue=overdue,
        due_soon=due_soon,
        handling_avg=mean_of_counts(figures.handling),
        handling_p90=percentile_of_counts(figures.handling, 90),
        outcome_mix=dict(figures.outcome_mix),
        report_grid=report_grid(units, grid_years, today, root=root),
        grid_years=grid_years,
    )


def _add_catalogue_channels_feedback(
    rows: dict[int, UnitRow],
    root: Organisation,
    units: list[Organisation],
    year: int,
    today: date,
) -> None:
    """Stale catalogue items (Art. 53), undelivered channel items, feedback and surveys."""
    from django.db.models import Max

    from gongkai.feedback.services import feedback_summary
    from gongkai.publishing.models import (
        CatalogueItem,
        ChannelDelivery,
        next_update_due,
    )

    items = (
        CatalogueItem.objects.filter(
            in_subtree(root), is_active=True, update_period_days__isnull=False
        )
        .annotate(
            last=Max(
                "publications__published_at",
                filter=Q(publications__status__in=list(LIVE_STATUSES)),
            )
        )
        .values("organisation_id", "created_at", "last", "update_period_days")
    )
    for item in items:
        base = item["last"] or item["created_at"]
        due = next_update_due(
            timezone.localtime(base).date(), item["update_period_days"]
        )
        if due and due < today and item["organisation_id"] in rows:
            rows[item["organisation_id"]].stale_items += 1
    backlog = (
        ChannelDelivery.objects.filter(
            in_subtree(root, "publication__organisation__path")
        )
        .exclude(status="sent")
        .values("publication__organisation_id")
        .order_by()
        .annotate(n=Count("id"))
    )
    for entry in backlog:
        if entry["publication__organisation_id"] in rows:
            rows[entry["publication__organisation_id"]].channel_backlog = entry["n"]
    for org_id, summary in feedback_summary(units, year, within=root).items():
        row = rows[org_id]
        row.useful, row.not_useful, row.survey_avg = (
            summary["useful"],
            summary["not_useful"],
            summary["survey_avg"],
        )


GRID_LABELS = {
    "not_started": "未开始",
    "draft": "草稿",
    "submitted": "待审核",
    "approved": "已审核未公开",
    "on_time": "按时公开",
    "late": "逾期公开",
    "failing": "有错误",
    "overdue": "已超期未公开",
}


def report_state(report: AnnualReport | None, year: int, today: date) -> str:
    """Where a unit's report for ``year`` stands, for the unit × year grid."""
    if report is None:
        deadline = date(year + 1, 3, 31)
        return "overdue" if today > deadline else "not_started"
    if any(f.get("severity") == "error" for f in report.findings):
        return "failing"
    if report.status == AnnualReport.Status.PUBLISHED:
        late = (
            report.deadline
            and report.published_at
            and timezone.localtime(report.published_at).date() > report.deadline
        )
        return "late" if late else "on_time"
    if report.deadline and today > report.deadline:
        return "overdue"
    return str(report.status)


def report_grid(
    units: list[Organisation],
    years: list[int],
    today: date,
    *,
    root: Organisation | None = None,
) -> list[dict[str, Any]]:
    """Each unit's latest report per year. With ``root`` (the units' common ancestor)
    the reports are selected by path range instead of a list of every unit's id."""
    latest: dict[tuple[int, int], AnnualReport] = {}
    chosen = in_subtree(root) if root is not None else Q(organisation__in=units)
    reports = (
        AnnualReport.objects.filter(chosen, year__in=years)
        .exclude(status=AnnualReport.Status.SUPERSEDED)
        .order_by("revision")
    )
    for report in reports:
        latest[(report.organisation_id, report.year)] = report
    grid = []
    for unit in units:
        cells = []
        for year in years:
            found = latest.get((unit.pk, year))
            state = report_state(found, year, today)
            cells.append(
                {
                    "year": year,
                    "state": state,
                    "label": GRID_LABELS[state],
                    "report": found,
                    "findings": [f["code"] for f in (found.findings if found else [])],
                }
            )
        grid.append({"unit": unit, "cells": cells})
    return grid


# Content balance: the seed report's own weakness is too little 决策依据, 公告 and 通知
# content. A unit whose share of a watched genre falls below the threshold is flagged.
WATCHED_GENRES = {"notice": 0.2, "normative": 0.05, "interpretation": 0.05}


def content_balance(
    root: Organisation, year: int, units: list[Organisation] | None = None
) -> list[dict[str, Any]]:
    """Each unit's publications of the year by genre, short genres flagged. ``units``
    (the subtree, or a page of it) limits the rows returned, not what is counted."""
    units = subtree(root) if units is None else units
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    live = Publication.objects.filter(
        in_subtree(root), status__in=list(LIVE_STATUSES), published_at__year=year
    )
    for org_id, genre in live.values_list("organisation_id", "genre"):
        counts[org_id][genre] += 1
    rows = []
    for unit in units:
        total = sum(counts[unit.pk].values())
        short = [
            g
            for g, share in WATCHED_GENRES.items()
            if total and counts[unit.pk][g] / total < share
        ]
        rows.append(
            {
                "unit": unit,
                "total": total,
                "by_genre": dict(counts[unit.pk]),
                "short": short,
                "empty": total == 0,
            }
        )
    return rows
