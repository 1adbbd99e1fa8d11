"""The publication list as XLSX or CSV with the screen's filters (scope through the
list's selectors, which use ``orgs.permissions.scope``; audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record
from gongkai.core.exports import Cell, csv_bytes, xlsx_bytes
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.publishing.models import Publication

HEADERS = (
    "索引号",
    "标题",
    "文号",
    "发布机构",
    "成文日期",
    "发布日期",
    "状态",
    "公开属性",
    "主题分类",
    "目录事项",
)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
MAX_EXPORT_ROWS = 50_000


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    content_type: str
    filename: str


def publication_rows(items: QuerySet[Publication]) -> list[list[Cell]]:
    return [
        [
            p.index_no,
            p.title,
            p.document_number,
            p.issuing_body,
            p.formed_on,
            p.published_at.date() if p.published_at else None,
            p.get_status_display(),
            p.get_attribute_display(),
            p.topic,
            str(p.catalogue_item) if p.catalogue_item else "",
        ]
        for p in items
    ]


def publication_list_export(
    *,
    actor: Actor,
    organisation: Organisation,
    items: QuerySet[Publication],
    filters: str,
    fmt: str,
    today: date,
) -> ExportFile:
    """``items``: the list as the screen filtered it (already scoped to ``actor``)."""
    require(actor, Perm.VIEW, organisation)
    if fmt not in CONTENT_TYPES:
        raise ValueError(fmt)
    rows = publication_rows(items[:MAX_EXPORT_ROWS])
    if fmt == "xlsx":
        title = (
            f"{organisation.name}主动公开信息（{filters}；导出日期{today.isoformat()}）"
        )
        data = xlsx_bytes(HEADERS, rows, sheet="主动公开信息", title=title)
    else:
        data = csv_bytes(HEADERS, rows)
    audit_record(
        action="publishing.list.export",
        actor=actor,
        organisation=organisation,
        details={"format": fmt, "rows": len(rows), "filters": filters},
    )
    return ExportFile(
        data=data,
        content_type=CONTENT_TYPES[fmt],
        filename=f"{organisation.name}-主动公开信息-{today.isoformat()}.{fmt}",
    )
