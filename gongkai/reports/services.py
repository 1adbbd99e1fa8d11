"""The annual report in the platform: generate from records, edit, check, approve,
publish, correct, import. Checks and output come from ``gongkai.core.annual``.

The shared helpers are in ``report_common.py``, the workflow helper (``_act``) in
``workflow.py``, corrections in ``corrections.py`` and the import in
``report_import.py``; their names stay importable from here."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.annual.schema import cell_keys, version_for_year
from gongkai.core.report_flow import Action, origin_status
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.reports.corrections import report_changes, report_correct
from gongkai.reports.drafting import draft_sections, gather_facts
from gongkai.reports.models import AnnualReport, ManualFigure
from gongkai.reports.report_common import (
    DECIMAL_KEYS,
    FIGURE_LIMIT,
    PLACEHOLDER,
    SECTION_NUMERALS,
    _check_year,
    _core_value,
    _merge,
    _run_checks,
    computed_cells,
    finding_id,
    not_reporting_reason,
    previous_report,
    report_deadline,
    report_title,
    require_reporting_body,
    to_core_report,
)
from gongkai.reports.report_import import (
    ocr_minutes,
    report_import,
    report_import_job_retry,
    report_import_job_run,
    report_import_job_timed_out,
    report_import_jobs_prune,
    report_import_queue,
)
from gongkai.reports.workflow import _act, _event, _lock, _move

# The writes below and the moved names callers use (views, demo, tests, supervision,
# selectors, outputs).
__all__ = [
    "DECIMAL_KEYS",
    "PLACEHOLDER",
    "SECTION_NUMERALS",
    "_core_value",
    "computed_cells",
    "finding_id",
    "not_reporting_reason",
    "ocr_minutes",
    "previous_report",
    "report_approve",
    "report_changes",
    "report_correct",
    "report_deadline",
    "report_generate",
    "report_import",
    "report_import_job_retry",
    "report_import_job_run",
    "report_import_job_timed_out",
    "report_import_jobs_prune",
    "report_import_queue",
    "report_note_warning",
    "report_publish",
    "report_refresh",
    "report_return",
    "report_set_figure",
    "report_submit",
    "report_title",
    "report_update_sections",
    "to_core_report",
]

# --------------------------------------------------------------------------- writes


@transaction.atomic
def report_generate(
    *, actor: Actor, organisation: Organisation, year: int
) -> AnnualReport:
    """Compute a year's report from the records, with a drafted narrative (first revision)."""
    require(actor, Perm.EDIT, organisation)
    require_reporting_body(organisation)
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
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValidationError({"value": "数值格式不正确，请填写数字。"}) from exc
    if not number.is_finite() or abs(number) >= FIGURE_LIMIT:
        raise ValidationError(
            {"value": f"数值超出范围：每个数据项不超过{FIGURE_LIMIT - 1}。"}
        )
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
