"""What a supervisor sees of every unit below it. All figures come from records."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.appeals.selectors import appeal_figures_by_unit
from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import OPEN_STATUSES, Outcome, Status
from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.core.workdays.urgency import due_soon_limit
from gongkai.feedback.ratings import rating_summary
from gongkai.feedback.services import feedback_summary
from gongkai.inforequests.models import InfoRequest, RequestTally
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, scope
from gongkai.publishing.models import (
    CatalogueItem,
    ChannelDelivery,
    Publication,
    late_publication_q,
    next_update_due,
    published_in_year_q,
)
from gongkai.publishing.reference import Genre
from gongkai.reports.models import AnnualReport
from gongkai.reports.report_common import (
    must_report,
    report_deadline,
    report_overdue,
    report_years_watched,
)
from gongkai.supervision.models import AssessmentRulepack

# Per-unit figures for fewer units than this filter by their ids; for more (a whole
# province) by the subtree's path range, which does not grow with the unit count.
SUBTREE_IN_LIST_MAX = 1000


UNIT_FIELDS = (
    "id",
    "name",
    "short_name",
    "kind",
    "parent_id",
    "path",
    "depth",
    "is_active",
    "is_disclosure_body",  # whether it must publish an annual report (the grid)
)


def subtree_units(org: Organisation) -> QuerySet[Organisation]:
    """The organisation and its active descendants in tree order, with only the
    columns screens use (a queryset: page it rather than load 10^4 rows)."""
    return (
        Organisation.objects.filter(path_prefix_q(org.path), is_active=True)
        .only(*UNIT_FIELDS)
        .order_by("path")
    )


def subtree(org: Organisation) -> list[Organisation]:
    """The organisation and its active descendants, with only the columns screens use."""
    return list(subtree_units(org))


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
    ratings: int = 0  # 好差评 of the year's replies (issue 16)
    rating_avg: float | None = None
    bad_ratings: int = 0  # 差评: 1 or 2 of 5
    appeals: int = 0  # 复议、诉讼 cases of table 四 of the year
    appeals_decided: int = 0
    appeals_corrected: int = 0

    @property
    def correction_rate(self) -> float | None:
        """纠错率: cases corrected ÷ cases decided in the year (None when none decided)."""
        if not self.appeals_decided:
            return None
        return self.appeals_corrected / self.appeals_decided


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


def in_subtree(root: Organisation, field: str = "organisation__path") -> Q:
    return path_prefix_q(root.path, field)


@dataclass
class _RequestFigures:
    states: Counter[str] = field(default_factory=Counter)
    outcome_mix: Counter[str] = field(default_factory=Counter)
    handling: Counter[int] = field(default_factory=Counter)


def _sum_tally_counts(
    root: Organisation, column: str, year: int, *, up_to: bool = False
) -> Counter[str]:
    """Sum one JSON column of counts ({key: n}) over the subtree's tallies of ``year``
    (or of every year up to it), in the database: one grouped query over a few rows per
    unit, instead of decoding 10^4 JSON values in Python."""
    if column not in ("statuses", "outcomes", "handling_days"):
        raise ValueError(column)
    each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
    sql = (
        f"SELECT j.key, SUM(CAST(j.value AS INTEGER)) "  # noqa: S608  # fixed fragments and model table names; values are parameters
        f"FROM {RequestTally._meta.db_table} t "
        f"JOIN {Organisation._meta.db_table} o ON o.id = t.organisation_id, "
        f"{each}(t.{column}) j "
        f"WHERE o.path >= %s AND o.path < %s AND t.year {'<=' if up_to else '='} %s "
        "GROUP BY j.key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [root.path, root.path + "~", year])
        return Counter({key: int(n) for key, n in cursor.fetchall()})


def _request_figures(root: Organisation, year: int) -> _RequestFigures:
    """States, outcome mix and handling days summed from the yearly tallies of the
    subtree (see inforequests.tallies): the cost follows the number of units, not the
    number of applications below them."""
    figures = _RequestFigures()
    figures.states = _sum_tally_counts(root, "statuses", year, up_to=True)
    for outcome, n in _sum_tally_counts(root, "outcomes", year).items():
        figures.outcome_mix[Outcome(outcome).group.label] += n
    for days, n in _sum_tally_counts(root, "handling_days", year).items():
        figures.handling[int(days)] += n
    return figures


def _few(units: list[Organisation]) -> list[Organisation] | None:
    """``units`` when few enough to name by id, else None (select by the subtree)."""
    return units if len(units) < SUBTREE_IN_LIST_MAX else None


def _unit_filter(
    root: Organisation, units: list[Organisation] | None, via: str = "organisation"
) -> Q:
    """The rows of the given units, or of the whole subtree (an indexed path range)."""
    if units is None:
        return in_subtree(root, f"{via}__path")
    return Q(**{f"{via}_id__in": [u.pk for u in units]})


def dashboard(
    root: Organisation,
    year: int,
    today: date | None = None,
    units: list[Organisation] | None = None,
) -> Dashboard:
    """The supervisor's view of ``root`` and everything below it.

    The totals (states, outcome mix, handling time, overdue lists) always cover the
    whole subtree; the per-unit rows and the report grid cover ``units`` (a page of
    ``subtree_units(root)``), or every unit when None. Every figure is counted in the
    database: open cases live (a partial index holds only them), the rest summed from
    the per-unit, per-year tallies.
    """
    today = today or timezone.localdate()
    units = subtree(root) if units is None else units
    rows = {u.pk: UnitRow(unit=u) for u in units}
    paged = _few(units)
    soon_limit = due_soon_limit(today, work_calendar())  # the badge's rule

    for org_id, received in RequestTally.objects.filter(
        _unit_filter(root, paged), year=year
    ).values_list("organisation_id", "received"):
        if org_id in rows:
            rows[org_id].received = received
    for org_id, (cases, decided, corrected) in appeal_figures_by_unit(
        list(rows), year
    ).items():
        rows[org_id].appeals = cases
        rows[org_id].appeals_decided = decided
        rows[org_id].appeals_corrected = corrected
    open_cases = InfoRequest.objects.filter(in_subtree(root), status__in=OPEN_STATUSES)
    for item in (
        open_cases.filter(_unit_filter(root, paged))
        .values("organisation_id")
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
    # Only what the lists show: no applicant fields, so nothing to decrypt.
    listed = (
        open_cases.select_related("organisation")
        .only(
            "id",
            "tracking_number",
            "status",
            "due_on",
            "organisation__name",
            "organisation__short_name",
            "organisation__path",
        )
        .order_by("due_on", "id")
    )
    overdue = list(listed.filter(due_on__lt=today)[:200])
    due_soon = list(listed.filter(due_on__gte=today, due_on__lte=soon_limit)[:200])

    live = Publication.objects.filter(
        _unit_filter(root, paged),
        published_in_year_q(year),
        status__in=list(LIVE_STATUSES),
    )
    for pub in (
        live.values("organisation_id")
        .order_by()
        .annotate(
            n=Count("id"),
            late=Count(
                "id", filter=Q(due_on__isnull=False) & late_publication_q(today)
            ),
        )
    ):
        if pub["organisation_id"] in rows:
            rows[pub["organisation_id"]].publications = pub["n"]
            rows[pub["organisation_id"]].late_publications = pub["late"]

    _add_catalogue_channels_feedback(rows, root, paged, units, year, today)
    figures = _request_figures(root, year)
    grid_years = report_years_watched(year)
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
        report_grid=report_grid(root, units, grid_years, today),
        grid_years=grid_years,
    )


def _add_catalogue_channels_feedback(
    rows: dict[int, UnitRow],
    root: Organisation,
    paged: list[Organisation] | None,
    units: list[Organisation],
    year: int,
    today: date,
) -> None:
    """Stale catalogue items (Art. 53), undelivered channel items, feedback and surveys."""
    from django.db.models import Max

    items = (
        CatalogueItem.objects.filter(
            _unit_filter(root, paged), is_active=True, update_period_days__isnull=False
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
            _unit_filter(root, paged, "publication__organisation")
        )
        .exclude(status="sent")
        .values("publication__organisation_id")
        .order_by()
        .annotate(n=Count("id"))
    )
    for entry in backlog:
        if entry["publication__organisation_id"] in rows:
            rows[entry["publication__organisation_id"]].channel_backlog = entry["n"]
    within = root if paged is None else None
    for org_id, summary in feedback_summary(units, year, within=within).items():
        row = rows[org_id]
        row.useful, row.not_useful, row.survey_avg = (
            summary["useful"],
            summary["not_useful"],
            summary["survey_avg"],
        )
    for org_id, summary in rating_summary(units, year, within=within).items():
        row = rows[org_id]
        row.ratings, row.rating_avg, row.bad_ratings = (
            summary["ratings"],
            summary["rating_avg"],
            summary["bad"],
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
    "not_required": "无需公开年报",
}
# The grid's states of a report still to be published: the cell shows its deadline.
UNPUBLISHED_STATES = frozenset(
    {"not_started", "draft", "submitted", "approved", "overdue"}
)


def report_state(
    report: AnnualReport | None, year: int, today: date, *, unit: Organisation
) -> str:
    """Where ``unit``'s report for ``year`` stands, for the unit × year grid and the
    assessment. The deadline is the report's own (set from ``report_deadline`` and
    editable); without a report, ``report_deadline`` itself (条例第四十九条: a
    department's by 31 January, a government's by 31 March). A unit that need
    publish no report (a 社区 or 村, ``must_report``) is never overdue."""
    state = _report_state(report, year, today, unit=unit)
    if state in ("not_started", "overdue") and not must_report(unit):
        return "not_required"
    return state


def _report_state(
    report: AnnualReport | None, year: int, today: date, *, unit: Organisation
) -> str:
    if report is None:
        deadline = report_deadline(unit, year)
        overdue = report_overdue(deadline=deadline, published=False, today=today)
        return "overdue" if overdue else "not_started"
    published = report.status == AnnualReport.Status.PUBLISHED
    # Overdue before 有错误: a report not published by its deadline is 未公开 first
    # (the 工作台 counts it so, bodies_with_report_overdue; the assessment scores 0).
    if report_overdue(deadline=report.deadline, published=published, today=today):
        return "overdue"
    if any(f.get("severity") == "error" for f in report.findings):
        return "failing"
    if published:
        late = (
            report.deadline
            and report.published_at
            and timezone.localtime(report.published_at).date() > report.deadline
        )
        return "late" if late else "on_time"
    return str(report.status)


def report_grid(
    root: Organisation, units: list[Organisation], years: list[int], today: date
) -> list[dict[str, Any]]:
    """Each of ``units`` (part or all of ``root``'s subtree): its report per year —
    the published one while a correction of it is still a draft (the published
    revision stays public, reports/corrections.py, so the year is not overdue: the
    rule of ``bodies_with_report_overdue``), else its latest."""
    latest: dict[tuple[int, int], AnnualReport] = {}
    reports = (
        AnnualReport.objects.filter(_unit_filter(root, _few(units)), year__in=years)
        .exclude(status=AnnualReport.Status.SUPERSEDED)
        .order_by("revision")
    )
    published = AnnualReport.Status.PUBLISHED
    for report in reports:
        key = (report.organisation_id, report.year)
        kept = latest.get(key)
        if kept is None or report.status == published or kept.status != published:
            latest[key] = report
    grid = []
    for unit in units:
        cells = []
        for year in years:
            found = latest.get((unit.pk, year))
            state = report_state(found, year, today, unit=unit)
            cells.append(
                {
                    "year": year,
                    "state": state,
                    # The report's own deadline, else its kind's (条例第四十九条).
                    "deadline": (found.deadline if found else None)
                    or report_deadline(unit, year),
                    "unpublished": state in UNPUBLISHED_STATES,
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
# The watched genres a unit of a kind is not expected to publish. A 社区居委会 or 村委会
# is a 自治组织, not a 行政机关 (条例第二条、第十条): it issues no 行政规范性文件 and so
# no 政策解读 of one. The same holds for any unit marked as no disclosure body.
NOT_EXPECTED_GENRES: dict[str, frozenset[str]] = {
    "community": frozenset({"normative", "interpretation"}),
    "village": frozenset({"normative", "interpretation"}),
}
NOT_BODY_NOT_EXPECTED = frozenset({"normative", "interpretation"})


def watched_genres_for(unit: Organisation) -> dict[str, float]:
    """The watched genres and their thresholds that apply to ``unit`` (by its kind)."""
    skip = NOT_EXPECTED_GENRES.get(unit.kind, frozenset())
    if not unit.is_disclosure_body:
        skip = skip | NOT_BODY_NOT_EXPECTED
    return {g: share for g, share in WATCHED_GENRES.items() if g not in skip}


def content_balance(
    root: Organisation, year: int, units: list[Organisation] | None = None
) -> list[dict[str, Any]]:
    """Each unit's publications of the year by genre, short genres flagged, for
    ``units`` (a page of the subtree) or every unit of it."""
    units = subtree(root) if units is None else units
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    live = Publication.objects.filter(
        _unit_filter(root, _few(units)),
        published_in_year_q(year),
        status__in=list(LIVE_STATUSES),
    )
    for item in (
        live.values("organisation_id", "genre").order_by().annotate(n=Count("id"))
    ):
        counts[item["organisation_id"]][item["genre"]] += item["n"]
    rows = []
    for unit in units:
        total = sum(counts[unit.pk].values())
        short = [
            g
            for g, share in watched_genres_for(unit).items()
            if total and counts[unit.pk][g] / total < share
        ]
        rows.append(
            {
                "unit": unit,
                "total": total,
                "by_genre": dict(counts[unit.pk]),
                "short": short,
                "short_labels": [Genre(g).label for g in short],
                "empty": total == 0,
            }
        )
    return rows


def rulepacks_for(user: Any) -> QuerySet[AssessmentRulepack]:
    """The indicator sets ``user`` may pick: the shipped ones (no owner) and those of
    the bodies ``user`` may view (through ``orgs.permissions.scope``) — never another
    body's out of reach."""
    owned = scope(
        AssessmentRulepack.objects.filter(organisation__isnull=False), user, Perm.VIEW
    )
    return AssessmentRulepack.objects.filter(
        Q(organisation__isnull=True) | Q(pk__in=owned.values("pk"))
    ).select_related("organisation")
