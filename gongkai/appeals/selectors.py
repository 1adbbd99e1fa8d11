from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from gongkai.appeals.models import Appeal
from gongkai.orgs.models import Organisation, path_prefix_q

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
