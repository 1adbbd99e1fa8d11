"""What a supervisor sees of every unit below it. All figures come from records."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import Outcome, Status
from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import Publication
from gongkai.reports.models import AnnualReport

OPEN = [s.value for s in Status if not s.is_concluded]
DUE_SOON_WORKING_DAYS = 3


def subtree(org: Organisation) -> list[Organisation]:
    return list(
        Organisation.objects.filter(path__startswith=org.path, is_active=True).order_by(
            "path"
        )
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
    """Applications received per year in the subtree (one query), for the trend chart."""
    rows = (
        InfoRequest.objects.filter(
            organisation__path__startswith=root.path,
            year__gte=years.start,
            year__lt=years.stop,
        )
        .values("year")
        .annotate(n=Count("id"))
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


def handling_days(requests: list[InfoRequest]) -> list[int]:
    """Working days from receipt to conclusion of each concluded application."""
    calendar = work_calendar()
    return [
        calendar.working_days_between(r.received_on, r.concluded_on)
        for r in requests
        if r.concluded_on
    ]


def dashboard(root: Organisation, year: int, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    units = subtree(root)
    ids = [u.pk for u in units]
    rows = {u.pk: UnitRow(unit=u) for u in units}
    requests = InfoRequest.objects.filter(organisation_id__in=ids)
    start, end = date(year, 1, 1), date(year, 12, 31)

    for item in (
        requests.filter(received_on__range=(start, end))
        .values("organisation_id")
        .annotate(n=Count("id"))
    ):
        rows[item["organisation_id"]].received = item["n"]
    open_cases = list(
        requests.filter(status__in=OPEN)
        .select_related("organisation")
        .order_by("due_on")
    )
    calendar = work_calendar()
    overdue, due_soon = [], []
    for case in open_cases:
        row = rows[case.organisation_id]
        row.open += 1
        if case.due_on and case.due_on < today:
            row.overdue += 1
            overdue.append(case)
        elif (
            case.due_on
            and calendar.working_days_between(today, case.due_on)
            <= DUE_SOON_WORKING_DAYS
        ):
            row.due_soon += 1
            due_soon.append(case)

    live = Publication.objects.filter(
        organisation_id__in=ids,
        status__in=list(LIVE_STATUSES),
        published_at__date__range=(start, end),
    )
    for item in live.values("organisation_id").annotate(
        n=Count("id"),
        late=Count(
            "id", filter=Q(due_on__isnull=False, published_at__date__gt=F("due_on"))
        ),
    ):
        rows[item["organisation_id"]].publications = item["n"]
        rows[item["organisation_id"]].late_publications = item["late"]

    _add_catalogue_channels_feedback(rows, units, year, today)
    concluded = list(
        requests.filter(concluded_on__range=(start, end)).only(
            "received_on", "concluded_on", "outcome"
        )
    )
    days = handling_days(concluded)
    mix = Counter(Outcome(c.outcome).group.label for c in concluded if c.outcome)
    states = dict(
        Counter(
            r.get_status_display()
            for r in requests.filter(received_on__lte=end).only("status")
        )
    )
    grid_years = [year - 2, year - 1, year]
    return Dashboard(
        root=root,
        year=year,
        units=list(rows.values()),
        states=states,
        overdue=overdue[:200],
        due_soon=due_soon[:200],
        handling_avg=(sum(days) / len(days)) if days else None,
        handling_p90=percentile(days, 90),
        outcome_mix=dict(mix),
        report_grid=report_grid(units, grid_years, today),
        grid_years=grid_years,
    )


def _add_catalogue_channels_feedback(
    rows: dict[int, UnitRow], units: list[Organisation], year: int, today: date
) -> None:
    """Stale catalogue items (Art. 53), undelivered channel items, feedback and surveys."""
    from gongkai.feedback.services import feedback_summary
    from gongkai.publishing.models import CatalogueItem, ChannelDelivery
    from gongkai.supervision.services import _item_stale

    for item in CatalogueItem.objects.filter(
        organisation__in=units, is_active=True, update_period_days__isnull=False
    ):
        if _item_stale(item, today):
            rows[item.organisation_id].stale_items += 1
    backlog = (
        ChannelDelivery.objects.filter(publication__organisation__in=units)
        .exclude(status="sent")
        .values("publication__organisation_id")
        .annotate(n=Count("id"))
    )
    for entry in backlog:
        rows[entry["publication__organisation_id"]].channel_backlog = entry["n"]
    for org_id, summary in feedback_summary(units, year).items():
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
    units: list[Organisation], years: list[int], today: date
) -> list[dict[str, Any]]:
    latest: dict[tuple[int, int], AnnualReport] = {}
    reports = (
        AnnualReport.objects.filter(organisation__in=units, year__in=years)
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


def content_balance(root: Organisation, year: int) -> list[dict[str, Any]]:
    units = subtree(root)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    live = Publication.objects.filter(
        organisation__in=units, status__in=list(LIVE_STATUSES), published_at__year=year
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
