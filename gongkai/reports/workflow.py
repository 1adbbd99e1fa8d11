"""The report's workflow helpers: every status change goes through ``_act`` (lock,
permission, the table in ``core/report_flow.py``, ``update_fields``, a ``ReportEvent``
row and the audit row)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.report_flow import Action, IllegalTransition, transition
from gongkai.core.report_rules import StepRefused, check_report_year_ended
from gongkai.orgs.permissions import Perm, require
from gongkai.reports.models import AnnualReport, ReportEvent

# Steps that state the year's report is complete (条例第四十九条): only after the year.
_AFTER_YEAR_END = {
    Action.SUBMIT: "提交审核",
    Action.APPROVE: "审核通过",
    Action.PUBLISH: "公开",
}


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
    if action in _AFTER_YEAR_END:
        try:
            check_report_year_ended(
                year=report.year,
                on=timezone.localdate(),
                step=_AFTER_YEAR_END[action],
            )
        except StepRefused as exc:
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
