"""What the report's steps share: titles and deadlines, cell values, the core's
report object, the checks (findings) and the tables computed from the records."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.appeals.selectors import table4_for
from gongkai.core.annual.checks import validate
from gongkai.core.annual.model import Finding, Report
from gongkai.core.annual.schema import cell_keys, version_for_year
from gongkai.inforequests.selectors import table3_for
from gongkai.orgs.models import Organisation
from gongkai.publishing.selectors import table2_for
from gongkai.reports.models import AnnualReport, ManualFigure

SECTION_NUMERALS = ("一", "二", "三", "四", "五", "六")
DECIMAL_KEYS = {"s2.fees.amount_wan"}
# A manual figure is stored with 14 digits, 4 after the point (ManualFigure.value):
# anything from 10^10 on cannot be stored, so it is refused in Chinese, never a 500.
FIGURE_LIMIT = Decimal(10) ** 10


# --------------------------------------------------------------------------- helpers


def report_title(org: Organisation, year: int) -> str:
    return f"{org.name}{year}年政府信息公开工作年度报告"


# 条例第四十九条: the 主管部门 publishes 本级政府's report by 31 March.
GOVERNMENT_KINDS = frozenset({"province", "city", "district"})


def report_deadline_for_kind(kind: str, year: int) -> date:
    """条例第四十九条: departments by 31 January, governments' 主管部门 by 31 March.

    Bodies the article does not name (街道, 乡镇) follow the local notice; the
    default here is 31 January and each report's deadline is editable.
    """
    if kind in GOVERNMENT_KINDS:
        return date(year + 1, 3, 31)
    return date(year + 1, 1, 31)


def report_deadline(org: Organisation, year: int) -> date:
    """``org``'s statutory deadline for its report on ``year`` (by its kind)."""
    return report_deadline_for_kind(org.kind, year)


def must_report(org: Organisation) -> bool:
    """Whether ``org`` must publish an annual report (条例第四十九条、第五十条): the
    disclosure bodies (行政机关) do; a 社区居委会 or 村委会 is not one (条例第二条、
    第十条) and publishes none. The same rule as ``reporting_bodies_q``."""
    return bool(org.is_disclosure_body)


def not_reporting_reason(org: Organisation) -> str:
    """Why ``org`` has no annual report ("" when it must publish one)."""
    if must_report(org):
        return ""
    return (
        f"{org.name}不是政府信息公开工作机关（社区居委会、村委会不是行政机关，"
        "条例第二条），无需编制政府信息公开工作年度报告（条例第四十九条）；"
        "其公开事项由所属街道、乡镇的年度报告反映。"
    )


def require_reporting_body(org: Organisation) -> None:
    """Refuse a report for an organisation that publishes none (``must_report``)."""
    reason = not_reporting_reason(org)
    if reason:
        raise ValidationError(reason)


def reporting_bodies_q(prefix: str = "") -> Q:
    """The organisations that must publish an annual report, as a query filter
    (``prefix`` such as ``"organisation__"`` for a related table): ``must_report``."""
    return Q(**{f"{prefix}is_disclosure_body": True})


def report_years_watched(year: int) -> list[int]:
    """The years whose reports are watched in ``year``: it and the two before. The
    supervision grid shows them (for the year chosen), and the 工作台 names every one
    of them that is overdue (for this year), so the two never disagree on a year."""
    return [year - 2, year - 1, year]


def report_overdue(*, deadline: date | None, published: bool, today: date) -> bool:
    """条例第四十九条: a body's report on a year is overdue when it is not published
    and its deadline has passed — the report's own deadline (set from
    ``report_deadline`` and editable), or, while there is no report, its kind's. A
    report without a deadline is never overdue. ``bodies_with_report_overdue`` is
    this rule over many bodies at once, in SQL."""
    return not published and deadline is not None and today > deadline


def bodies_with_report_overdue(
    bodies: QuerySet[Organisation], year: int, today: date
) -> QuerySet[Organisation]:
    """Those of ``bodies`` (which must report: ``reporting_bodies_q``) whose report on
    ``year`` is overdue by ``report_overdue``: none of its current revisions
    (superseded ones aside) is published, and either its report's deadline has passed
    or it has no report and its kind's deadline has passed. One query whatever the
    number of bodies (the 工作台 counts a whole subtree)."""
    current = AnnualReport.objects.filter(year=year).exclude(
        status=AnnualReport.Status.SUPERSEDED
    )
    kinds = bodies.order_by().values_list("kind", flat=True).distinct()
    kinds_past = [
        k
        for k in kinds
        if report_overdue(
            deadline=report_deadline_for_kind(k, year), published=False, today=today
        )
    ]
    late_drafts = current.exclude(status=AnnualReport.Status.PUBLISHED).filter(
        deadline__lt=today
    )
    return bodies.exclude(
        pk__in=current.filter(status=AnnualReport.Status.PUBLISHED).values(
            "organisation"
        )
    ).filter(
        Q(pk__in=late_drafts.values("organisation"))
        | (Q(kind__in=kinds_past) & ~Q(pk__in=current.values("organisation")))
    )


def _json_value(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in DECIMAL_KEYS:
        return str(Decimal(str(value)))  # as printed or registered (万元)
    return int(Decimal(str(value)))


def _core_value(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in DECIMAL_KEYS:
        return Decimal(str(value))
    return int(value)


def to_core_report(report: AnnualReport) -> Report:
    """The stored report as the core's report object (for checks and rendering)."""
    return Report(
        version=report.version,  # type: ignore[arg-type]
        year=report.year,
        agency=report.organisation.name,
        title=report.title,
        cells={k: _core_value(k, v) for k, v in report.cells.items()},
        # Sections 二–四 are the tables: a platform report always has them, in order.
        sections={
            n: report.sections.get(n, "")
            for n in SECTION_NUMERALS
            if n in report.sections or report.source == AnnualReport.Source.COMPUTED
        },
    )


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "keys": list(finding.keys),
        "id": finding_id(finding),
    }


def finding_id(finding: Finding) -> str:
    basis = f"{finding.code}|{','.join(finding.keys)}|{finding.where}"
    return hashlib.sha1(basis.encode(), usedforsecurity=False).hexdigest()[:12]


def previous_report(org: Organisation, year: int) -> AnnualReport | None:
    """Last year's report: the published revision if any, else the latest."""
    qs = AnnualReport.objects.filter(organisation=org, year=year - 1).exclude(
        status=AnnualReport.Status.SUPERSEDED
    )
    return (
        qs.filter(status=AnnualReport.Status.PUBLISHED).order_by("-revision").first()
        or qs.order_by("-revision").first()
    )


PLACEHOLDER = "（请填写"


def _draft_placeholders(report: AnnualReport) -> list[Finding]:
    """The drafted text still asks the officer to write something (platform check)."""
    return [
        Finding(
            code="PLATFORM_DRAFT_PLACEHOLDER",
            severity="warning",
            message=f"第{n}部分还有待填写的提示文字“{PLACEHOLDER}…）”，请改写为实际内容。",
            where=n,
        )
        for n in SECTION_NUMERALS
        if PLACEHOLDER in report.sections.get(n, "")
    ]


def _run_checks(report: AnnualReport) -> None:
    prev = previous_report(report.organisation, report.year)
    findings = validate(to_core_report(report), to_core_report(prev) if prev else None)
    report.findings = [
        _finding_json(f) for f in [*findings, *_draft_placeholders(report)]
    ]


def computed_cells(org: Organisation, year: int) -> dict[str, Any]:
    """Tables 二, 三, 四 from the registers, the applications and the appeals."""
    version = version_for_year(year)
    cells: dict[str, Any] = {}
    cells.update(table2_for(org, year))
    cells.update(table3_for(org, year))
    cells.update(table4_for(org, year))
    wanted = set(cell_keys(version))
    return {k: _json_value(k, v) for k, v in cells.items() if k in wanted}


def _merge(computed: dict[str, Any], figures: list[ManualFigure]) -> dict[str, Any]:
    cells = dict(computed)
    for figure in figures:
        cells[figure.key] = _json_value(figure.key, figure.value)
    return cells


def _check_year(year: int) -> None:
    today = timezone.localdate()
    if year > today.year:
        raise ValidationError({"year": f"不能生成未来年度（{year}年）的报告。"})
    if version_for_year(year) == "legacy":
        raise ValidationError(
            {"year": "2019年以前的年度报告不适用现行格式，平台不生成。"}
        )
