"""Tables 二, 三 and 四 of one year for EVERY organisation at once (GROUP BY).

The app selectors (``table2_for``, ``table3_for``, ``table4_for``) answer for one
organisation with ~12 queries; a provincial run of all annual reports would issue
~10^5 queries. These do the same counts in 9 grouped queries over the whole table
and give identical cells (bench/bench_annual_tables.py checks that on a sample).
A candidate for ``reports`` / ``supervision`` to adopt (see docs/benchmarks.md).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from gongkai.appeals.models import Appeal
from gongkai.appeals.selectors import GROUPS, OUTCOMES
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.selectors import _complete_table3
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import EnforcementDecision, FeeRecord, NormativeDocument


def table3_all(year: int) -> dict[int, dict[str, int]]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    cells: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    qs = InfoRequest.objects.all()

    def add(row: str, rows: Any) -> None:
        for item in rows.values("organisation_id", "applicant_type").annotate(
            n=Count("id")
        ):
            cells[item["organisation_id"]][f"s3.{row}.{item['applicant_type']}"] += (
                item["n"]
            )

    add("new", qs.filter(received_on__range=(start, end)))
    add(
        "carried",
        qs.filter(
            Q(received_on__lt=start)
            & (Q(concluded_on__isnull=True) | Q(concluded_on__gte=start))
        ),
    )
    for item in (
        qs.filter(concluded_on__range=(start, end))
        .values("organisation_id", "outcome", "applicant_type")
        .annotate(n=Count("id"))
    ):
        cells[item["organisation_id"]][
            f"s3.{item['outcome']}.{item['applicant_type']}"
        ] += item["n"]
    add(
        "carry_forward",
        qs.filter(
            Q(received_on__lte=end)
            & (Q(concluded_on__isnull=True) | Q(concluded_on__gt=end))
        ),
    )
    return {org_id: _complete_table3(c) for org_id, c in cells.items()}


def table2_all(year: int) -> dict[int, dict[str, int | Decimal]]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    out: dict[int, dict[str, int | Decimal]] = defaultdict(dict)
    in_force = (
        Q(issued_on__lte=end)
        & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=end))
        & (Q(expired_on__isnull=True) | Q(expired_on__gt=end))
    )
    for row in NormativeDocument.objects.values("organisation_id", "kind").annotate(
        issued=Count("pk", filter=Q(issued_on__range=(start, end))),
        repealed=Count("pk", filter=Q(repealed_on__range=(start, end))),
        in_force=Count("pk", filter=in_force),
    ):
        prefix = "s2.regulations" if row["kind"] == "regulation" else "s2.normative"
        for key in ("issued", "repealed", "in_force"):
            out[row["organisation_id"]][f"{prefix}.{key}"] = int(row[key])
    for decided in (
        EnforcementDecision.objects.filter(decided_on__range=(start, end))
        .values("organisation_id", "kind")
        .annotate(n=Count("pk"))
    ):
        out[decided["organisation_id"]][f"s2.{decided['kind']}.decisions"] = int(
            decided["n"]
        )
    for fee in (
        FeeRecord.objects.filter(collected_on__range=(start, end))
        .values("organisation_id")
        .annotate(s=Sum("amount_wan"))
    ):
        out[fee["organisation_id"]]["s2.fees.amount_wan"] = Decimal(fee["s"] or 0)
    return out


def _complete_table2(cells: dict[str, int | Decimal]) -> dict[str, int | Decimal]:
    full: dict[str, int | Decimal] = {}
    for prefix in ("s2.regulations", "s2.normative"):
        for key in ("issued", "repealed", "in_force"):
            full[f"{prefix}.{key}"] = cells.get(f"{prefix}.{key}", 0)
    for kind in ("license", "penalty", "coercion"):
        full[f"s2.{kind}.decisions"] = cells.get(f"s2.{kind}.decisions", 0)
    full["s2.fees.amount_wan"] = Decimal(cells.get("s2.fees.amount_wan", 0)).quantize(
        Decimal("0.0001")
    )
    return full


def table4_all(year: int) -> dict[int, dict[str, int]]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    out: dict[int, dict[str, int]] = {}
    blank = _blank4
    for row in (
        Appeal.objects.filter(decided_on__range=(start, end))
        .values("organisation_id", "kind", "result")
        .annotate(n=Count("pk"))
    ):
        cells = out.setdefault(row["organisation_id"], blank())
        cells[f"s4.{row['kind']}.{row['result']}"] += row["n"]
    for pending in (
        Appeal.objects.filter(
            Q(filed_on__lte=end) & (Q(decided_on__isnull=True) | Q(decided_on__gt=end))
        )
        .values("organisation_id", "kind")
        .annotate(n=Count("pk"))
    ):
        cells = out.setdefault(pending["organisation_id"], blank())
        cells[f"s4.{pending['kind']}.pending"] += pending["n"]
    for cells in out.values():
        for g in GROUPS:
            cells[f"s4.{g}.total"] = sum(
                cells[f"s4.{g}.{c}"] for c in (*OUTCOMES, "pending")
            )
    return out


def _blank4() -> dict[str, int]:
    return {f"s4.{g}.{c}": 0 for g in GROUPS for c in (*OUTCOMES, "pending", "total")}


def annual_tables_all(year: int) -> dict[int, dict[str, Any]]:
    """Cells of tables 二/三/四 for every organisation (zeros where it has no rows)."""
    t2, t3, t4 = table2_all(year), table3_all(year), table4_all(year)
    empty3 = _complete_table3({})
    blank4 = _blank4()
    result: dict[int, dict[str, Any]] = {}
    for org_id in Organisation.objects.values_list("pk", flat=True):
        cells: dict[str, Any] = {}
        cells.update(_complete_table2(t2.get(org_id, {})))
        cells.update(t3.get(org_id, empty3))
        cells.update(t4.get(org_id, blank4))
        result[org_id] = cells
    return result
