"""The annual report in the platform: generate from records, edit, check, approve,
publish, correct, import. Checks and output come from ``gongkai.core.annual``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.appeals.selectors import table4_for
from gongkai.audit.services import audit_record
from gongkai.core.annual.checks import has_errors, validate
from gongkai.core.annual.model import Finding, Report
from gongkai.core.annual.parse import parse_bytes
from gongkai.core.annual.schema import cell_keys, version_for_year
from gongkai.core.report_flow import (
    Action,
    IllegalTransition,
    origin_status,
    transition,
)
from gongkai.inforequests.selectors import table3_for
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.publishing.selectors import table2_for
from gongkai.reports.drafting import draft_sections, gather_facts
from gongkai.reports.models import AnnualReport, ManualFigure, ReportEvent

SECTION_NUMERALS = ("一", "二", "三", "四", "五", "六")
DECIMAL_KEYS = {"s2.fees.amount_wan"}


# --------------------------------------------------------------------------- helpers


def report_title(org: Organisation, year: int) -> str:
    return f"{org.name}{year}年政府信息公开工作年度报告"


def report_deadline(org: Organisation, year: int) -> date:
    """条例第四十九条: departments by 31 January, governments' 主管部门 by 31 March.

    Bodies the article does not name (街道, 乡镇, communities) follow the local
    notice; the default here is 31 January and each report's deadline is editable.
    """
    if org.kind in ("province", "city", "district"):
        return date(year + 1, 3, 31)
    return date(year + 1, 1, 31)


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


# --------------------------------------------------------------------------- workflow


def _lock(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update()
        .select_related("organisation")
        .get(pk=report.pk)
    )


def _event(
    report: AnnualReport,
    actor: Actor,
    action: Action,
    before: str,
    data: dict[str, Any] | None = None,
) -> ReportEvent:
    """Append the step to the revision's history (``before`` is "" for a creation)."""
    return ReportEvent.objects.create(
        report=report,
        actor=stored_user(actor),
        action=action.value,
        from_status=before,
        to_status=report.status,
        data=data or {},
    )


def _move(
    report: AnnualReport,
    actor: Actor,
    action: Action,
    *,
    fields: Iterable[str] = (),
    data: dict[str, Any] | None = None,
) -> AnnualReport:
    """Move a locked row through the table, save what changed and append the event.

    A move the table does not allow is refused with its Chinese message, as a
    ``ValidationError`` (shown as is on the screens, a 4xx in the API); nothing saved.
    """
    before = report.status
    try:
        report.status = transition(before, action)
    except IllegalTransition as exc:
        raise ValidationError(exc.message) from exc
    fields = list(fields)
    if fields or report.status != before:  # a move onto itself changes nothing
        report.save(update_fields=["status", *fields, "updated_at"])
    _event(report, actor, action, before, data)
    return report


def _act(
    *,
    actor: Actor,
    report: AnnualReport,
    action: Action,
    perm: Perm,
    step: Callable[[AnnualReport], Iterable[str]] | None = None,
    data: dict[str, Any] | None = None,
    audit: dict[str, Any] | None = None,
) -> AnnualReport:
    """One workflow step: lock the row, check the permission, ask the table, run the
    step's own checks and changes (``step`` returns the fields it set), save with
    ``update_fields``, append a ``ReportEvent`` and the audit row ``report.<action>``
    (``audit`` its details; None: the caller audits)."""
    report = _lock(report)
    require(actor, perm, report.organisation)
    try:
        transition(report.status, action)  # refuse before the step's own checks
    except IllegalTransition as exc:
        raise ValidationError(exc.message) from exc
    fields = list(step(report)) if step is not None else []
    _move(report, actor, action, fields=fields, data=data)
    if audit is not None:
        audit_record(
            action=f"report.{action.value}",
            actor=actor,
            organisation=report.organisation,
            obj=report,
            details=audit,
        )
    return report


# --------------------------------------------------------------------------- writes


@transaction.atomic
def report_generate(
    *, actor: Actor, organisation: Organisation, year: int
) -> AnnualReport:
    """Compute a year's report from the records, with a drafted narrative (first revision)."""
    require(actor, Perm.EDIT, organisation)
    _check_year(year)
    if AnnualReport.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(
            f"{organisation.name}{year}年的年度报告已存在，请打开它继续编辑，或在公开后更正。"
        )
    cells = computed_cells(organisation, year)
    prev = previous_report(organisation, year)
    facts = gather_facts(
        organisation, year, cells, (prev.sections.get("五", "") if prev else "")
    )
    report = AnnualReport(
        organisation=organisation,
        year=year,
        version=version_for_year(year),
        title=report_title(organisation, year),
        computed_cells=cells,
        cells=cells,
        sections=draft_sections(facts),
        deadline=report_deadline(organisation, year),
        created_by=stored_user(actor),
        status=origin_status(Action.GENERATE),
    )
    _run_checks(report)
    report.save()
    _event(report, actor, Action.GENERATE, "")
    audit_record(
        action="report.generate",
        actor=actor,
        organisation=organisation,
        obj=report,
        details={"year": year},
    )
    return report


def _lock_editable(report: AnnualReport, actor: Actor) -> AnnualReport:
    """Edits (text, figures, recompute) keep the status; only a draft is edited."""
    report = _lock(report)
    require(actor, Perm.EDIT, report.organisation)
    if not report.is_editable:
        raise ValidationError(
            f"报告处于“{report.get_status_display()}”状态，不能修改。"
        )
    return report


@transaction.atomic
def report_refresh(*, actor: Actor, report: AnnualReport) -> AnnualReport:
    """Recompute the tables from the records; manual figures stay."""
    report = _lock_editable(report, actor)
    report.computed_cells = computed_cells(report.organisation, report.year)
    report.cells = _merge(report.computed_cells, list(report.manual_figures.all()))
    _run_checks(report)
    report.save(update_fields=["computed_cells", "cells", "findings", "updated_at"])
    audit_record(
        action="report.refresh",
        actor=actor,
        organisation=report.organisation,
        obj=report,
    )
    return report


@transaction.atomic
def report_update_sections(
    *, actor: Actor, report: AnnualReport, sections: dict[str, str]
) -> AnnualReport:
    report = _lock_editable(report, actor)
    unknown = set(sections) - {"一", "五", "六"}
    if unknown:
        raise ValidationError("只能编辑第一、五、六部分的文字（第二至四部分为表格）。")
    before = dict(report.sections)
    report.sections = {**report.sections, **{k: v.strip() for k, v in sections.items()}}
    _run_checks(report)
    report.save(update_fields=["sections", "findings", "updated_at"])
    changed = sorted(k for k in sections if before.get(k) != report.sections.get(k))
    audit_record(
        action="report.edit_text",
        actor=actor,
        organisation=report.organisation,
        obj=report,
        details={"sections": changed},
    )
    return report


@transaction.atomic
def report_set_figure(
    *, actor: Actor, report: AnnualReport, key: str, value: str, reason: str
) -> AnnualReport:
    """A manual figure (data from before the platform), with its reason (audited)."""
    report = _lock_editable(report, actor)
    if key not in cell_keys(report.version):
        raise ValidationError({"key": f"“{key}”不是本格式报告的数据项。"})
    if not reason.strip():
        raise ValidationError({"reason": "手工填报数据必须说明理由。"})
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValidationError({"value": "数值格式不正确。"}) from exc
    if number < 0 or (key not in DECIMAL_KEYS and number != number.to_integral_value()):
        raise ValidationError(
            {
                "value": "该数据项应为非负整数。"
                if key not in DECIMAL_KEYS
                else "金额不能为负。"
            }
        )
    old = report.cells.get(key)
    ManualFigure.objects.update_or_create(
        report=report,
        key=key,
        defaults={
            "value": number,
            "reason": reason.strip(),
            "entered_by": stored_user(actor),
        },
    )
    report.cells = _merge(report.computed_cells, list(report.manual_figures.all()))
    _run_checks(report)
    report.save(update_fields=["cells", "findings", "updated_at"])
    audit_record(
        action="report.manual_figure",
        actor=actor,
        organisation=report.organisation,
        obj=report,
        details={"key": key, "old": old, "new": str(number), "reason": reason.strip()},
    )
    return report


@transaction.atomic
def report_submit(*, actor: Actor, report: AnnualReport) -> AnnualReport:
    """提交审核: the checks run again; an error blocks the step."""

    def step(report: AnnualReport) -> list[str]:
        _run_checks(report)
        errors = [f for f in report.findings if f["severity"] == "error"]
        if errors:
            report.save(update_fields=["findings"])
            raise ValidationError(
                [
                    f"存在 {len(errors)} 项错误，须先改正："
                    + "；".join(f["message"] for f in errors[:3])
                ]
            )
        report.submitted_at = timezone.now()
        return ["findings", "submitted_at"]

    return _act(
        actor=actor,
        report=report,
        action=Action.SUBMIT,
        perm=Perm.EDIT,
        step=step,
        audit={},
    )


@transaction.atomic
def report_note_warning(
    *, actor: Actor, report: AnnualReport, finding: str, note: str
) -> AnnualReport:
    report = _lock(report)
    require(actor, Perm.APPROVE, report.organisation)
    if finding not in {f["id"] for f in report.findings if f["severity"] == "warning"}:
        raise ValidationError("没有这项警告。")
    if not note.strip():
        raise ValidationError({"note": "请填写审核说明。"})
    report.reviewer_notes = {**report.reviewer_notes, finding: note.strip()}
    report.save(update_fields=["reviewer_notes", "updated_at"])
    audit_record(
        action="report.note_warning",
        actor=actor,
        organisation=report.organisation,
        obj=report,
        details={"finding": finding},
    )
    return report


@transaction.atomic
def report_approve(*, actor: Actor, report: AnnualReport) -> AnnualReport:
    """The office head approves; every warning must carry a reviewer's note."""

    def step(report: AnnualReport) -> list[str]:
        if report.created_by_id is not None and report.created_by_id == getattr(
            actor, "pk", None
        ):
            raise PermissionDenied("报告的编写人不能审核自己的报告。")
        missing = [
            f
            for f in report.findings
            if f["severity"] == "warning" and f["id"] not in report.reviewer_notes
        ]
        if missing:
            raise ValidationError(f"还有 {len(missing)} 项警告没有审核说明。")
        report.approved_by, report.approved_at = stored_user(actor), timezone.now()
        return ["approved_by", "approved_at"]

    return _act(
        actor=actor,
        report=report,
        action=Action.APPROVE,
        perm=Perm.APPROVE,
        step=step,
        audit={},
    )


@transaction.atomic
def report_return(*, actor: Actor, report: AnnualReport, reason: str) -> AnnualReport:
    """退回修改, before or after approval, while the report is not public."""
    return _act(
        actor=actor,
        report=report,
        action=Action.RETURN,
        perm=Perm.APPROVE,
        data={"reason": reason},
        audit={"reason": reason},
    )


@transaction.atomic
def report_publish(*, actor: Actor, report: AnnualReport) -> AnnualReport:
    """Publish to the portal's 年报 column; an earlier published revision is superseded."""

    def step(report: AnnualReport) -> list[str]:
        if any(f["severity"] == "error" for f in report.findings):
            raise ValidationError("报告存在错误，不能公开。")
        earlier = (
            AnnualReport.objects.select_for_update()
            .filter(
                organisation=report.organisation,
                year=report.year,
                status=AnnualReport.Status.PUBLISHED,
            )
            .exclude(pk=report.pk)
            .order_by("revision")
        )
        for old in earlier:
            _move(old, actor, Action.SUPERSEDE, data={"by_revision": report.revision})
        report.published_at = timezone.now()
        return ["published_at"]

    late = bool(report.deadline and timezone.localdate() > report.deadline)
    return _act(
        actor=actor,
        report=report,
        action=Action.PUBLISH,
        perm=Perm.APPROVE,
        step=step,
        data={"late": late},
        audit={"revision": report.revision, "late": late},
    )


@transaction.atomic
def report_correct(*, actor: Actor, report: AnnualReport, reason: str) -> AnnualReport:
    """Start a correction of a published report: a new draft revision (the old stays public)."""
    data: dict[str, Any] = {"reason": reason.strip()}

    def step(report: AnnualReport) -> list[str]:
        if report.source != AnnualReport.Source.COMPUTED:
            raise ValidationError("只有已公开的平台生成报告可以更正。")
        if not reason.strip():
            raise ValidationError({"reason": "请说明更正原因。"})
        if AnnualReport.objects.filter(
            organisation=report.organisation,
            year=report.year,
            status__in=[
                AnnualReport.Status.DRAFT,
                AnnualReport.Status.SUBMITTED,
                AnnualReport.Status.APPROVED,
            ],
        ).exists():
            raise ValidationError("已有一份更正稿在办理中。")
        last = AnnualReport.objects.filter(
            organisation=report.organisation, year=report.year
        ).aggregate(m=Max("revision"))["m"]
        data["new_revision"] = last + 1  # read under the lock, recorded in the event
        return []

    # The published revision stays public (and published) until the new one is.
    report = _act(
        actor=actor,
        report=report,
        action=Action.CORRECT,
        perm=Perm.EDIT,
        step=step,
        data=data,
    )
    new = AnnualReport.objects.create(
        organisation=report.organisation,
        year=report.year,
        revision=data["new_revision"],
        version=report.version,
        title=report.title,
        computed_cells=report.computed_cells,
        cells=report.cells,
        sections=report.sections,
        findings=report.findings,
        deadline=report.deadline,
        created_by=stored_user(actor),
        change_summary=f"更正原因：{reason.strip()}",
        status=origin_status(Action.START_CORRECTION),
    )
    _event(
        new,
        actor,
        Action.START_CORRECTION,
        "",
        {"from_revision": report.revision, "reason": reason.strip()},
    )
    for figure in report.manual_figures.all():
        ManualFigure.objects.create(
            report=new,
            key=figure.key,
            value=figure.value,
            reason=figure.reason,
            entered_by=figure.entered_by,
        )
    audit_record(
        action="report.correct",
        actor=actor,
        organisation=report.organisation,
        obj=new,
        details={"from_revision": report.revision, "reason": reason.strip()},
    )
    return new


def report_changes(old: AnnualReport, new: AnnualReport) -> list[str]:
    """What a correction changed, in Chinese, for the published notice."""
    lines = [
        f"{key}：{old.cells.get(key)} → {new.cells.get(key)}"
        for key in sorted(set(old.cells) | set(new.cells))
        if old.cells.get(key) != new.cells.get(key)
    ]
    lines += [
        f"第{n}部分文字已修改"
        for n in SECTION_NUMERALS
        if old.sections.get(n) != new.sections.get(n)
    ]
    return lines


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
        reasons = (
            "；".join(d.message for d in parsed.diagnostics[:2])
            or "无法识别为政府信息公开工作年度报告"
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
