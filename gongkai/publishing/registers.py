"""Writes to the registers behind the annual report's table 二: normative documents,
行政许可/处罚/强制 decisions (entered one by one or imported from CSV/XLSX) and
行政事业性收费 amounts in 万元."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.publishing.models import (
    EnforcementDecision,
    FeeRecord,
    NormativeDocument,
    Publication,
)

FOUR_PLACES = Decimal("0.0001")

# ------------------------------------------------------------------ normative documents


@transaction.atomic
def normative_document_register(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    title: str,
    issued_on: date,
    document_number: str = "",
    publication: Publication | None = None,
) -> NormativeDocument:
    """Enter a 规章 or 行政规范性文件 into the register (制发 in ``issued_on``'s year)."""
    require(actor, Perm.EDIT, organisation)
    if kind not in NormativeDocument.Kind.values:
        raise ValidationError({"kind": f"类别“{kind}”无效。"})
    if not title.strip():
        raise ValidationError({"title": "文件名称不能为空。"})
    if publication is not None and publication.organisation_id != organisation.pk:
        raise ValidationError({"publication": "关联的信息不属于本机构。"})
    doc = NormativeDocument.objects.create(
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        document_number=document_number.strip(),
        issued_on=issued_on,
        publication=publication,
    )
    audit_record(
        action="publishing.normative.register",
        actor=actor,
        organisation=organisation,
        obj=doc,
        details={"kind": kind, "issued_on": issued_on.isoformat()},
    )
    return doc


@transaction.atomic
def normative_document_end(
    *, actor: Actor, document: NormativeDocument, on: date, how: str
) -> NormativeDocument:
    """Record 废止 (``how="repealed"``) or 失效 (``how="expired"``) on ``on``."""
    doc = NormativeDocument.objects.select_for_update().get(pk=document.pk)
    require(actor, Perm.EDIT, doc.organisation)
    if how not in ("repealed", "expired"):
        raise ValidationError("请选择“废止”或“失效”。")
    if on < doc.issued_on:
        raise ValidationError("废止或失效日期不能早于制发日期。")
    if doc.repealed_on or doc.expired_on:
        raise ValidationError("该文件已登记废止或失效。")
    field_name = f"{how}_on"
    setattr(doc, field_name, on)
    doc.save(update_fields=[field_name])
    audit_record(
        action=f"publishing.normative.{how}",
        actor=actor,
        organisation=doc.organisation,
        obj=doc,
        details={"on": on.isoformat()},
    )
    return doc


# ------------------------------------------------------------------ decisions

_KIND_BY_LABEL = {label: value for value, label in EnforcementDecision.Kind.choices}
_KIND_BY_LABEL.update({v: v for v in EnforcementDecision.Kind.values})
_KIND_BY_LABEL.update({"许可": "license", "处罚": "penalty", "强制": "coercion"})


def _clean_decision(kind: str, number: str, decided_on: date | None) -> None:
    if kind not in EnforcementDecision.Kind.values:
        raise ValidationError({"kind": f"类别“{kind}”无效。"})
    if not number.strip():
        raise ValidationError({"document_number": "决定文号不能为空。"})
    if decided_on is None:
        raise ValidationError({"decided_on": "决定日期不能为空。"})


@transaction.atomic
def decision_register(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    decided_on: date,
    document_number: str,
    party: str = "",
    summary: str = "",
) -> EnforcementDecision:
    """Enter one 行政许可/处罚/强制 decision (counted in ``decided_on``'s year)."""
    require(actor, Perm.EDIT, organisation)
    _clean_decision(kind, document_number, decided_on)
    number = document_number.strip()
    if EnforcementDecision.objects.filter(
        organisation=organisation, kind=kind, document_number=number
    ).exists():
        raise ValidationError(
            {"document_number": f"决定文号“{number}”已登记，不能重复登记。"}
        )
    decision = EnforcementDecision.objects.create(
        organisation=organisation,
        kind=kind,
        decided_on=decided_on,
        document_number=number,
        party=party.strip(),
        summary=summary.strip(),
    )
    audit_record(
        action="publishing.decision.register",
        actor=actor,
        organisation=organisation,
        obj=decision,
        details={"kind": kind, "decided_on": decided_on.isoformat()},
    )
    return decision


@dataclass
class ImportResult:
    """Outcome of an import: either all rows saved, or none and the errors."""

    created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


IMPORT_COLUMNS = ("类别", "决定日期", "决定文号", "当事人", "事由")


def _rows_from_file(filename: str, data: bytes) -> list[list[str]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a bad file
            raise ValidationError(f"无法读取 Excel 文件：{exc}") from exc
        sheet = book.worksheets[0]
        rows = [
            [_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)
        ]
        book.close()
        return rows
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError("CSV 文件编码无法识别，请使用 UTF-8 或 GB18030。")
        return [list(r) for r in csv.reader(io.StringIO(text))]
    raise ValidationError("只能导入 .csv 或 .xlsx 文件。")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _parse_date(text: str) -> date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
    return None


@transaction.atomic
def decisions_import(
    *, actor: Actor, organisation: Organisation, filename: str, data: bytes
) -> ImportResult:
    """Import decisions from CSV/XLSX (columns 类别, 决定日期, 决定文号, 当事人, 事由).

    Every row is checked first; if any row is wrong nothing is saved and the
    result lists each error by row number (the header is row 1).
    """
    require(actor, Perm.EDIT, organisation)
    rows = [r for r in _rows_from_file(filename, data) if any(c.strip() for c in r)]
    result = ImportResult()
    if not rows:
        result.errors.append("文件中没有数据。")
        return result
    header = [c.strip() for c in rows[0]]
    missing = [c for c in IMPORT_COLUMNS[:3] if c not in header]
    if missing:
        result.errors.append(f"第1行：缺少列“{'、'.join(missing)}”。")
        return result
    col = {name: header.index(name) for name in IMPORT_COLUMNS if name in header}
    existing = set(
        EnforcementDecision.objects.filter(organisation=organisation).values_list(
            "kind", "document_number"
        )
    )
    seen: dict[tuple[str, str], int] = {}
    valid: list[EnforcementDecision] = []
    for number, row in enumerate(rows[1:], start=2):

        def get(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        problems: list[str] = []
        kind = _KIND_BY_LABEL.get(get("类别"))
        if kind is None:
            problems.append(
                f"类别“{get('类别')}”无效（应为行政许可、行政处罚或行政强制）"
            )
        decided_on = _parse_date(get("决定日期"))
        if decided_on is None:
            problems.append(f"决定日期“{get('决定日期')}”无效（格式如 2021-03-15）")
        doc_no = get("决定文号")
        if not doc_no:
            problems.append("决定文号为空")
        elif kind is not None:
            key = (kind, doc_no)
            if key in existing:
                problems.append(f"决定文号“{doc_no}”已登记")
            elif key in seen:
                problems.append(f"决定文号“{doc_no}”与第{seen[key]}行重复")
            else:
                seen[key] = number
        if problems:
            result.errors.append(f"第{number}行：{'；'.join(problems)}。")
            continue
        assert kind is not None and decided_on is not None
        valid.append(
            EnforcementDecision(
                organisation=organisation,
                kind=kind,
                decided_on=decided_on,
                document_number=doc_no,
                party=get("当事人")[:100],
                summary=get("事由")[:200],
            )
        )
    if result.errors:
        return result
    EnforcementDecision.objects.bulk_create(valid)
    result.created = len(valid)
    audit_record(
        action="publishing.decision.import",
        actor=actor,
        organisation=organisation,
        details={"file": filename, "created": result.created},
    )
    return result


# ------------------------------------------------------------------ fees


def parse_wan(value: str | Decimal) -> Decimal:
    """An amount in 万元 with at most 4 decimals (1 元 precision)."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"amount_wan": f"金额“{value}”不是数字。"}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({"amount_wan": "金额不能为负数。"})
    if amount != amount.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP):
        raise ValidationError(
            {"amount_wan": "金额单位为万元，最多保留4位小数（即精确到元）。"}
        )
    return amount.quantize(FOUR_PLACES)


@transaction.atomic
def fee_record_register(
    *,
    actor: Actor,
    organisation: Organisation,
    item: str,
    collected_on: date,
    amount_wan: str | Decimal,
    basis: str = "",
) -> FeeRecord:
    """Enter a 行政事业性收费 amount (万元) collected on ``collected_on``."""
    require(actor, Perm.EDIT, organisation)
    if not item.strip():
        raise ValidationError({"item": "收费项目不能为空。"})
    record = FeeRecord.objects.create(
        organisation=organisation,
        item=item.strip(),
        basis=basis.strip(),
        collected_on=collected_on,
        amount_wan=parse_wan(amount_wan),
    )
    audit_record(
        action="publishing.fee.register",
        actor=actor,
        organisation=organisation,
        obj=record,
        details={"amount_wan": str(record.amount_wan)},
    )
    return record
