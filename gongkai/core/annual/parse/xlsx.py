"""XLSX -> linear document: every sheet's rows as table lines (openpyxl).

A merged range keeps its value in the top-left cell only; the other cells read
as empty, which is what a merged label or a merged single-value cell needs.
"""

from __future__ import annotations

import io
from decimal import Decimal

from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.grid import Cell, table_lines
from gongkai.core.annual.parse.plain import text_doc

_MAX_ROWS = 5000


def xlsx_doc(data: bytes) -> Doc:
    try:
        lines = _xlsx_lines(data)
    except Exception:  # openpyxl/zipfile raise many types on broken files
        doc = Doc("", kind="xlsx")
        doc.findings.append(finding("parse.xlsx_unreadable", "文件结构无法读取"))
        return doc
    return text_doc("\n".join(lines), kind="xlsx")


def _xlsx_lines(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines: list[str] = []
    try:
        for sheet in book.worksheets:
            rows = [
                _trimmed([Cell(_text(value)) for value in row])
                for _, row in zip(range(_MAX_ROWS), sheet.iter_rows(values_only=True))
            ]
            lines.extend(table_lines(rows, pad=False))
    finally:
        book.close()
    return lines


def _trimmed(cells: list[Cell]) -> list[Cell]:
    """Drop the empty cells a sheet pads every row with up to its widest row."""
    while cells and not cells[-1].text.strip():
        cells.pop()
    return cells


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # 3.0 stored by a spreadsheet is the count 3; keep real fractions as printed
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value)
