from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, scope
from gongkai.reports.models import AnnualReport
from gongkai.reports.services import computed_cells


def report_list_for(user: Any, organisation: Organisation) -> QuerySet[AnnualReport]:
    return scope(
        AnnualReport.objects.filter(organisation=organisation), user, Perm.VIEW
    ).order_by("-year", "-revision")


def published_reports(organisation: Organisation) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(
        organisation=organisation, status=AnnualReport.Status.PUBLISHED
    ).order_by("-year")


def report_rollup(organisation: Organisation, year: int) -> dict[str, Any]:
    """The sum of every descendant's computed tables, beside the sum of their published
    reports, so a supervisor sees where the two disagree."""
    units = list(
        Organisation.objects.filter(
            path__startswith=organisation.path, is_active=True
        ).order_by("path")
    )
    computed: dict[str, int | float] = {}
    published: dict[str, int | float] = {}
    rows = []
    for unit in units:
        cells = computed_cells(unit, year)
        report = published_reports(unit).filter(year=year).first()
        for key, value in cells.items():
            computed[key] = computed.get(key, 0) + float(value or 0)
        if report is not None:
            for key, value in report.cells.items():
                if value is not None:
                    published[key] = published.get(key, 0) + float(value)
        rows.append({"unit": unit, "report": report})
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
