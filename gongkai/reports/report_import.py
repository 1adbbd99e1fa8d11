"""Importing a published report file (any format) as an organisation's report."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.annual.checks import has_errors, validate
from gongkai.core.annual.parse import parse_bytes
from gongkai.core.report_flow import Action, origin_status
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.reports.models import AnnualReport
from gongkai.reports.report_common import (
    _check_year,
    _finding_json,
    _json_value,
    previous_report,
    report_deadline,
    report_title,
    to_core_report,
)
from gongkai.reports.workflow import _event


@transaction.atomic
def report_import(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int | None,
    filename: str,
    data: bytes,
    perm: Perm = Perm.EDIT,
) -> AnnualReport:
    """Store a published report file (any format) as this organisation's report for a year.

    A supervising body collects its units' published reports with ``perm=Perm.VIEW``
    (it reads them in; it does not edit the unit's own records).
    """
    require(actor, perm, organisation)
    parsed = parse_bytes(data, filename)
    if parsed.version in ("legacy", "unknown"):
        # the errors say why; an info line ("read by OCR") is no reason
        errors = [d for d in parsed.diagnostics if d.severity == "error"]
        reasons = (
            "".join(d.message for d in (errors or parsed.diagnostics)[:2])
            or "无法识别为政府信息公开工作年度报告。"
        )
        raise ValidationError(f"“{filename}”无法导入：{reasons}")
    year = year or parsed.year
    if year is None:
        raise ValidationError({"year": "无法从文件中识别年度，请填写年度。"})
    if parsed.year is not None and parsed.year != year:
        raise ValidationError(
            {"year": f"文件是{parsed.year}年的报告，与所填年度{year}不一致。"}
        )
    _check_year(year)
    if AnnualReport.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(f"{organisation.name}{year}年的年度报告已存在。")
    cells = {k: _json_value(k, v) for k, v in parsed.cells.items()}
    report = AnnualReport(
        organisation=organisation,
        year=year,
        version=parsed.version,
        source=AnnualReport.Source.IMPORTED,
        status=origin_status(Action.IMPORT),
        title=parsed.title or report_title(organisation, year),
        computed_cells={},
        cells=cells,
        sections=dict(parsed.sections),
        created_by=stored_user(actor),
        imported_filename=filename[:200],
        imported_sha256=hashlib.sha256(data).hexdigest(),
        published_at=timezone.now(),
        deadline=report_deadline(organisation, year),
    )
    prev = previous_report(organisation, year)
    findings = list(parsed.diagnostics) + validate(
        parsed, to_core_report(prev) if prev else None
    )
    report.findings = [_finding_json(f) for f in findings]
    report.save()
    _event(report, actor, Action.IMPORT, "", {"file": filename[:200]})
    audit_record(
        action="report.import",
        actor=actor,
        organisation=organisation,
        obj=report,
        details={
            "file": filename,
            "sha256": report.imported_sha256,
            "errors": has_errors(findings),
        },
    )
    return report
