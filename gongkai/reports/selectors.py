from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet

from gongkai.core.report_flow import Action, Status
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, organisations_for, scope
from gongkai.reports.models import AnnualReport
from gongkai.reports.report_common import (
    bodies_with_report_overdue,
    computed_cells,
    must_report,
    not_reporting_reason,
    reporting_bodies_q,
)


def report_list_for(user: Any, organisation: Organisation) -> QuerySet[AnnualReport]:
    return scope(
        AnnualReport.objects.filter(organisation=organisation), user, Perm.VIEW
    ).order_by("-year", "-revision")


# --------------------------------------------------------------------------- to-do
# What a line of the 工作台's 年度报告 group counts (backoffice.selectors.todo_for),
# and what the reports page lists behind its link (report_index's ``state``): one
# queryset each, so the count is the number of rows the link shows.

# ``state`` of the reports page: what each to-do list of reports holds.
TODO_STATES = {
    "unwritten": "待编写、提交",
    "submitted": "待审核",
    "approved": "已审核待公开",
    "overdue": "逾期未公开",
}


def report_bodies_under(
    user: Any, org: Organisation, perm: Perm, kinds: Collection[str] | None = None
) -> QuerySet[Organisation]:
    """The bodies in ``org``'s subtree that must publish an annual report (not a 社区
    or 村, ``must_report``) and ``user`` holds ``perm`` on; of ``kinds`` if given."""
    bodies = organisations_for(user, perm).filter(
        path_prefix_q(org.path), reporting_bodies_q()
    )
    return bodies if kinds is None else bodies.filter(kind__in=list(kinds))


def report_bodies_unwritten(
    user: Any, org: Organisation, year: int, kinds: Collection[str] | None = None
) -> QuerySet[Organisation]:
    """The bodies ``user`` writes the report of (Perm.EDIT) whose report on ``year``
    has not left the draft (or does not exist)."""
    done = AnnualReport.objects.filter(year=year).exclude(
        status=AnnualReport.Status.DRAFT
    )
    return report_bodies_under(user, org, Perm.EDIT, kinds).exclude(
        pk__in=done.values("organisation")
    )


def report_bodies_overdue(
    user: Any,
    org: Organisation,
    year: int,
    today: date,
    kinds: Collection[str] | None = None,
) -> QuerySet[Organisation]:
    """The bodies ``user`` sees whose report on ``year`` is overdue (条例第四十九条;
    the supervision grid's rule, ``bodies_with_report_overdue``)."""
    return bodies_with_report_overdue(
        report_bodies_under(user, org, Perm.VIEW, kinds), year, today
    )


def reports_waiting(
    user: Any, org: Organisation, status: str
) -> QuerySet[AnnualReport]:
    """The reports in ``org``'s subtree in ``status`` (提交待审核, 已审核待公开) that
    ``user`` may approve and publish."""
    return scope(AnnualReport.objects.all(), user, Perm.APPROVE).filter(
        path_prefix_q(org.path, "organisation__path"), status=status
    )


def published_reports(organisation: Organisation) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(
        organisation=organisation, status=AnnualReport.Status.PUBLISHED
    ).order_by("-year")


def report_rollup(organisation: Organisation, year: int) -> dict[str, Any]:
    """The sum of every descendant's computed tables, beside the sum of their published
    reports, so a supervisor sees where the two disagree.

    Only the units that must publish a report are counted (``reporting_bodies_q``):
    a 社区居委会 or 村委会 publishes none (条例第二条、第四十九条), so it is listed as
    such (``not_reporting``) and left out of both sums, never shown as 未公开."""
    units = list(
        Organisation.objects.filter(
            path__startswith=organisation.path, is_active=True
        ).order_by("path")
    )
    computed: dict[str, int | float] = {}
    published: dict[str, int | float] = {}
    rows: list[dict[str, Any]] = []
    for unit in units:
        if not must_report(unit):
            rows.append(
                {
                    "unit": unit,
                    "report": None,
                    "not_reporting": not_reporting_reason(unit),
                }
            )
            continue
        cells = computed_cells(unit, year)
        report = published_reports(unit).filter(year=year).first()
        for key, value in cells.items():
            computed[key] = computed.get(key, 0) + float(value or 0)
        if report is not None:
            for key, value in report.cells.items():
                if value is not None:
                    published[key] = published.get(key, 0) + float(value)
        rows.append({"unit": unit, "report": report, "not_reporting": ""})
    differences = {
        k: (computed.get(k, 0), published.get(k, 0))
        for k in sorted(set(computed) | set(published))
        if computed.get(k, 0) != published.get(k, 0)
    }
    return {
        "units": rows,
        "computed": computed,
        "published": published,
        "differences": differences,
    }


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a revision's history, in words for the screen."""

    at: datetime
    actor: str
    action: str
    status: str  # "草稿 → 已提交审核", or the status a revision started in
    note: str


def _label(enum: type[Action] | type[Status], value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def report_timeline(report: AnnualReport) -> list[TimelineEntry]:
    """The revision's workflow steps, oldest first (``ReportEvent`` rows)."""
    entries = []
    for event in report.events.select_related("actor"):
        to = _label(Status, event.to_status)
        data = event.data or {}
        note = str(data.get("reason") or "")
        if event.action == Action.START_CORRECTION and data.get("from_revision"):
            note = f"更正第{data['from_revision']}版" + (f"：{note}" if note else "")
        elif event.action == Action.CORRECT and data.get("new_revision"):
            note = f"已创建第{data['new_revision']}版" + (f"：{note}" if note else "")
        elif event.action == Action.SUPERSEDE and data.get("by_revision"):
            note = f"第{data['by_revision']}版已公开"
        elif event.action == Action.PUBLISH and data.get("late"):
            note = "超过法定公开期限"
        entries.append(
            TimelineEntry(
                at=event.at,
                actor=str(event.actor) if event.actor else "系统",
                action=_label(Action, event.action),
                status=(
                    f"{_label(Status, event.from_status)} → {to}"
                    if event.from_status and event.from_status != event.to_status
                    else to
                ),
                note=note,
            )
        )
    return entries
