"""XLSX (openpyxl): the report's metadata, cells, section texts and findings.

Sheets: 年报 (the report as printed, official tables with their merged cells,
for people and plain spreadsheet readers), 报告 (one field a row, machine key in
column C), 单元格 (one flat key a row with its printed row/column labels and the
number), 正文 (the six sections' texts) and 问题 (the findings). Numbers are numeric cells; a Decimal
amount is stored as its exact decimal text in the number cell.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.core.annual.model import Finding, Report
from gongkai.core.annual.render._zip import normalize_zip
from gongkai.core.annual.render.cells import cell_rows
from gongkai.core.annual.render.document import build_document
from gongkai.core.annual.render.grid import (
    NATIONAL_FORM,
    FormOptions,
    Grid,
    default_title,
    format_schema,
)

META_SHEET, CELLS_SHEET, TEXT_SHEET, FINDINGS_SHEET = "报告", "单元格", "正文", "问题"
DOCUMENT_SHEET = "年报"
CELLS_HEADER = ("键", "部分", "行", "列", "值")
FINDINGS_HEADER = ("代码", "级别", "说明", "单元格")
TEXT_HEADER = ("序号", "标题", "内容")
_SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
_HEADER_FONT = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=16)


def _header(sheet: Worksheet, titles: Sequence[str], widths: Sequence[int]) -> None:
    sheet.append(list(titles))
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"


def _meta_sheet(sheet: Worksheet, report: Report) -> None:
    _header(sheet, ("项目", "值", "键"), (12, 60, 10))
    sheet.append(["标题", default_title(report), "title"])
    sheet.append(["机关", report.agency or "", "agency"])
    sheet.append(["年度", report.year, "year"])
    sheet.append(["格式", report.version, "version"])


def _cells_sheet(sheet: Worksheet, report: Report) -> None:
    _header(sheet, CELLS_HEADER, (44, 6, 60, 28, 14))
    for row in cell_rows(report):
        sheet.append([row.key, row.section, row.row_label, row.column_label, row.value])


def _text_sheet(sheet: Worksheet, report: Report) -> None:
    _header(sheet, TEXT_HEADER, (6, 36, 100))
    headings = {s.numeral: s.heading for s in format_schema(report).sections}
    for numeral, text in report.sections.items():
        sheet.append([numeral, headings.get(numeral, ""), text])
        sheet.cell(sheet.max_row, 3).alignment = Alignment(
            wrap_text=True, vertical="top"
        )


def _findings_sheet(sheet: Worksheet, findings: Sequence[Finding]) -> None:
    _header(sheet, FINDINGS_HEADER, (22, 8, 80, 40))
    for finding in findings:
        severity = _SEVERITY_LABELS.get(finding.severity, finding.severity)
        sheet.append([finding.code, severity, finding.message, " ".join(finding.keys)])


_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTERED = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _put_grid(sheet: Worksheet, grid: Grid, top: int) -> int:
    """Write ``grid`` with its merges from row ``top``; return the next free row."""
    for cell in grid.cells:
        row, col = top + cell.row, 1 + cell.col
        target = sheet.cell(row, col)
        number = cell.key is not None and cell.text != ""
        target.value = _number(cell.text) if number else cell.text
        target.alignment = _LEFT if cell.role == "label" else _CENTERED
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=col,
                end_row=row + cell.rowspan - 1,
                end_column=col + cell.colspan - 1,
            )
    for row in sheet.iter_rows(
        min_row=top, max_row=top + grid.n_rows - 1, max_col=grid.n_cols
    ):
        for cell in row:
            cell.border = _BORDER
    return top + grid.n_rows + 1


def _number(text: str) -> int | Decimal:
    return Decimal(text) if "." in text else int(text)


def _document_sheet(sheet: Worksheet, report: Report, options: FormOptions) -> None:
    """The whole report as printed: title, headings, paragraphs and the official
    tables of 二、三、四 with the form's merged cells (for people and for any
    reader of plain spreadsheets)."""
    document = build_document(report, options)
    sheet.cell(1, 1, document.title).font = _TITLE_FONT
    row = 3
    for section in document.sections:
        sheet.cell(row, 1, section.heading).font = _HEADER_FONT
        row += 1
        for paragraph in section.paragraphs:
            sheet.cell(row, 1, paragraph)
            row += 1
        if section.grid is not None:
            row = _put_grid(sheet, section.grid, row)
        row += 1
    for column, width in zip("ABC", (14, 18, 40)):
        sheet.column_dimensions[column].width = width


def render_xlsx(
    report: Report,
    findings: Sequence[Finding] = (),
    options: FormOptions = NATIONAL_FORM,
) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = DOCUMENT_SHEET
    _document_sheet(first, report, options)
    _meta_sheet(workbook.create_sheet(META_SHEET), report)
    _cells_sheet(workbook.create_sheet(CELLS_SHEET), report)
    _text_sheet(workbook.create_sheet(TEXT_SHEET), report)
    _findings_sheet(workbook.create_sheet(FINDINGS_SHEET), findings)
    # openpyxl stores naive datetimes as UTC.
    stamp = datetime((report.year or 1999) + 1, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = "gongkai"
    workbook.properties.title = default_title(report)
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl overwrites ``modified`` with the time of saving; pin it again so the
    # same report gives the same bytes whatever second it is rendered in.
    fixed = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return normalize_zip(
        buffer.getvalue(),
        rewrite={
            "docProps/core.xml": lambda xml: _MODIFIED.sub(rf"\g<1>{fixed}\g<2>", xml)
        },
    )


_MODIFIED = re.compile(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
