from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

from gongkai.appeals.models import Appeal
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.orgs.permissions import Perm, scope
from gongkai.reports.models import AnnualReport

GROUPS = [k.value for k in Appeal.Kind]
OUTCOMES = [r.value for r in Appeal.Result]


def table4_for(
    organisation: Organisation, year: int, *, include_descendants: bool = False
) -> dict[str, int]:
    """Table 四: cases decided in ``year`` by result, and cases pending on 31 December."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    base = Appeal.objects.all()
    base = (
        base.filter(path_prefix_q(organisation.path, "organisation__path"))
        if include_descendants
        else base.filter(organisation=organisation)
    )
    cells = {f"s4.{g}.{c}": 0 for g in GROUPS for c in (*OUTCOMES, "pending", "total")}
    for kind, result in base.filter(decided_on__range=(start, end)).values_list(
        "kind", "result"
    ):
        cells[f"s4.{kind}.{result}"] += 1
    pending = base.filter(
        Q(filed_on__lte=end) & (Q(decided_on__isnull=True) | Q(decided_on__gt=end))
    )
    for kind in pending.values_list("kind", flat=True):
        cells[f"s4.{kind}.pending"] += 1
    for g in GROUPS:
        cells[f"s4.{g}.total"] = sum(
            cells[f"s4.{g}.{c}"] for c in (*OUTCOMES, "pending")
        )
    return cells


def table4_records(organisation: Organisation, year: int, key: str) -> QuerySet[Appeal]:
    _, group, column = key.split(".")
    start, end = date(year, 1, 1), date(year, 12, 31)
    qs = Appeal.objects.filter(organisation=organisation, kind=group)
    pending = Q(filed_on__lte=end) & (
        Q(decided_on__isnull=True) | Q(decided_on__gt=end)
    )
    decided = Q(decided_on__range=(start, end))
    if column == "pending":
        return qs.filter(pending)
    if column == "total":
        return qs.filter(pending | decided)
    return qs.filter(decided, result=column)


def appeal_list(user: Any, organisation: Organisation | None) -> QuerySet[Appeal]:
    """Cases the user may see, of ``organisation`` if given, newest first."""
    qs = scope(Appeal.objects.select_related("organisation"), user, Perm.VIEW)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.prefetch_related("requests")


def appeal_published_years(appeal: Appeal) -> list[int]:
    """Years whose PUBLISHED report counts this case (its decision or pending years):
    a change of outcome reaches them only through a report correction."""
    from_year = appeal.filed_on.year
    to_year = appeal.decided_on.year if appeal.decided_on else from_year
    return sorted(
        AnnualReport.objects.filter(
            organisation_id=appeal.organisation_id,
            status=AnnualReport.Status.PUBLISHED,
            year__gte=from_year,
            year__lte=max(to_year, from_year),
        ).values_list("year", flat=True)
    )


def appeal_figures_by_unit(
    unit_ids: list[int], year: int
) -> dict[int, tuple[int, int, int]]:
    """Per body, the cases of table 四 of ``year`` (decided in it or pending on 31
    December) as (cases, decided, corrected) — 纠错率 = corrected ÷ decided."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    decided = Q(decided_on__range=(start, end))
    pending = Q(filed_on__lte=end) & (
        Q(decided_on__isnull=True) | Q(decided_on__gt=end)
    )
    rows = (
        Appeal.objects.filter(Q(organisation_id__in=unit_ids) & (decided | pending))
        .values("organisation_id")
        .order_by()
        .annotate(
            cases=Count("id"),
            decided=Count("id", filter=decided),
            corrected=Count("id", filter=decided & Q(result=Appeal.Result.CORRECTED)),
        )
    )
    return {
        r["organisation_id"]: (r["cases"], r["decided"], r["corrected"]) for r in rows
    }


def appeal_requests_by_number(user: Any, numbers: list[str]) -> list[InfoRequest]:
    """Applications the user may see, by 受理编号; an unknown number is a Chinese error."""
    found = {
        r.tracking_number: r
        for r in scope(InfoRequest.objects.all(), user, Perm.VIEW).filter(
            tracking_number__in=numbers
        )
    }
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ValidationError(
            {"requests": f"未找到受理编号为 {'、'.join(missing)} 的申请。"}
        )
    return [found[n] for n in numbers]
