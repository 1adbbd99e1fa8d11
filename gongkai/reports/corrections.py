"""Correcting a published report: a new draft revision (the old one stays public
until the new one is published), and what a correction changed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.report_flow import Action, origin_status
from gongkai.orgs.permissions import Perm
from gongkai.reports.models import AnnualReport, ManualFigure
from gongkai.reports.report_common import SECTION_NUMERALS
from gongkai.reports.workflow import _act, _event


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
