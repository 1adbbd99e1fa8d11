"""Exports of applications: the 台账 (register) as XLSX or CSV with the list's filters,
and each case's 卷宗 as one PDF for the archive. Both are read through the permission
helper (the list's ``scope``, ``require`` for a case) and audited.

Also the Chinese names of case events and statuses, shared by the case page and the
卷宗 (no internal key reaches a screen or a file)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import pikepdf
from django.template.loader import render_to_string

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record
from gongkai.calendars.selectors import work_calendar
from gongkai.core.exports import Cell, csv_bytes, xlsx_bytes
from gongkai.core.gbt9704 import GBT9704_PAGE
from gongkai.core.inforequest_flow import Action, Status
from gongkai.inforequests import letters as letter_layer
from gongkai.inforequests import rendering
from gongkai.inforequests.delivery import DELIVERY_LABELS
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.selectors import (
    ListFilter,
    inforequest_list_filtered,
    inforequest_masked,
    inforequest_urgency,
)
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require

HANDOVER_LABELS = {
    "transfer_proposed": "提出转办",
    "transfer_accepted": "转办已被接收",
    "transfer_declined": "转办被拒绝",
    "transfer_received": "接收转办",
    "assistance_requested": "请求协办",
    "assistance_answered": "协办回复",
}
_OTHER_LABELS = {
    "register": "登记申请",
    "assign": "指定承办人",
    "end_one_consultation": "一项征求意见结束",
    "redaction_uploaded": "上传区分处理文件",
    "redaction_produced": "生成区分处理文件（部分公开）",
}


def action_label(value: str) -> str:
    try:
        return Action(value).label
    except ValueError:
        labels = {**_OTHER_LABELS, **HANDOVER_LABELS, **DELIVERY_LABELS}
        return labels.get(value, value)


def status_label(value: str) -> str:
    try:
        return Status(value).label if value else ""
    except ValueError:
        return value


# ------------------------------------------------------------------ 台账

LEDGER_HEADERS = (
    "申请编号",
    "受理机构",
    "收到申请之日",
    "申请方式",
    "申请人类型",
    "申请人",
    "证件号码",
    "联系电话",
    "所需信息",
    "办理状态",
    "承办人",
    "答复期限",
    "紧急程度",
    "办结日期",
    "办理结果",
)
MAX_EXPORT_ROWS = 50_000


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    content_type: str
    filename: str


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def ledger_rows(cases: Any, today: date) -> list[list[Cell]]:
    """The register's rows, personal data masked as on the list."""
    calendar = work_calendar()
    rows: list[list[Cell]] = []
    for case in cases:
        masked = inforequest_masked(case)
        rows.append(
            [
                case.tracking_number,
                case.organisation.name,
                case.received_on,
                case.get_channel_display(),
                case.get_applicant_type_display(),
                case.applicant_name,
                masked["id_number"],
                masked["phone"],
                case.description,
                case.get_status_display(),
                case.handler.display_name if case.handler else "",
                case.due_on,
                str(inforequest_urgency(case, today, calendar).label),
                case.concluded_on,
                case.get_outcome_display() if case.outcome else "",
            ]
        )
    return rows


def filters_text(filters: ListFilter, labels: dict[str, str]) -> str:
    """What the list was narrowed to, in words (the file's title line and the audit)."""
    parts = [f"{name}：{labels[key]}" for key, name in FILTER_NAMES if labels.get(key)]
    return "；".join(parts) or "全部未办结申请"


FILTER_NAMES = (
    ("status", "办理状态"),
    ("urgency", "紧急程度"),
    ("handler", "承办人"),
    ("year", "年份"),
    ("q", "申请编号"),
)


def ledger_export(
    *,
    actor: Actor,
    organisation: Organisation,
    filters: ListFilter,
    labels: dict[str, str],
    fmt: str,
    today: date,
) -> ExportFile:
    """The 台账 as the list shows it (same filters, same scope, same masking)."""
    require(actor, Perm.VIEW, organisation)
    if fmt not in CONTENT_TYPES:
        raise ValueError(fmt)
    cases = inforequest_list_filtered(actor, organisation, filters, today)[
        :MAX_EXPORT_ROWS
    ]
    rows = ledger_rows(cases, today)
    narrowed = filters_text(filters, labels)
    title = f"{organisation.name}政府信息公开申请台账（{narrowed}；导出日期{today.isoformat()}）"
    if fmt == "xlsx":
        data = xlsx_bytes(LEDGER_HEADERS, rows, sheet="申请台账", title=title)
    else:
        data = csv_bytes(LEDGER_HEADERS, rows)
    audit_record(
        action="inforequests.ledger.export",
        actor=actor,
        organisation=organisation,
        details={"format": fmt, "rows": len(rows), "filters": narrowed},
    )
    return ExportFile(
        data=data,
        content_type=CONTENT_TYPES[fmt],
        filename=f"{organisation.name}-申请台账-{today.isoformat()}.{fmt}",
    )


# ------------------------------------------------------------------ 卷宗


def _html_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import, as rendering.render_pdf does

    html = render_to_string(template, {**context, "page": GBT9704_PAGE})
    return bytes(HTML(string=html).write_pdf())


def dossier_pdf(*, actor: Actor, case: InfoRequest, today: date) -> ExportFile:
    """One PDF for the archive: the application and its history, every letter as
    issued (rendered as the letter download renders it) and the 送达 records."""
    require(actor, Perm.VIEW, case.organisation)
    letters = list(case.letters.order_by("issued_on", "pk"))
    events = [
        {
            "on": e.on,
            "action": action_label(e.action),
            "from": status_label(e.from_status),
            "to": status_label(e.to_status),
            "actor": e.actor.display_name if e.actor else "申请人或系统",
        }
        for e in case.events.select_related("actor").order_by("on", "pk")
    ]
    context = {
        "case": case,
        "masked": inforequest_masked(case),
        "events": events,
        "letters": letters,
        "today": today,
    }
    parts = [_html_pdf("inforequests/dossier_pdf.html", {**context, "part": "case"})]
    parts += [
        rendering.render_pdf(letter_layer.letter_from_row(row)) for row in letters
    ]
    parts.append(
        _html_pdf("inforequests/dossier_pdf.html", {**context, "part": "delivery"})
    )
    merged = pikepdf.new()
    for part in parts:
        with pikepdf.open(io.BytesIO(part)) as pdf:
            merged.pages.extend(pdf.pages)
    merged.docinfo["/Title"] = f"{case.tracking_number} 政府信息公开申请卷宗"
    out = io.BytesIO()
    merged.save(out)
    audit_record(
        action="inforequests.dossier.export",
        actor=actor,
        organisation=case.organisation,
        obj=case,
        details={"letters": len(letters), "events": len(events)},
    )
    return ExportFile(
        data=out.getvalue(),
        content_type="application/pdf",
        filename=f"{case.tracking_number}-卷宗.pdf",
    )
