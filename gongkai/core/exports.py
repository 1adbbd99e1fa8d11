"""Tables written for spreadsheets: CSV (UTF-8 with BOM, so Excel and WPS read the
Chinese) and XLSX (openpyxl), both safe against formula injection.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some programs skip before reading a formula) would be run as a formula when
the file is opened: a text cell is prefixed with ``'`` so it stays text. Numbers and
dates stay typed (a number cannot carry a formula).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | date | None


def formula_safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_text(formula_safe(h)) for h in headers])
    for row in rows:
        writer.writerow([_text(formula_safe(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    sheet: str,
    title: str = "",
) -> bytes:
    """One sheet: an optional title line (what was exported, with its filters), the
    header row (bold, frozen), then the rows."""
    book = Workbook()
    ws: Any = book.active
    ws.title = sheet[:31]
    if title:
        ws.append([formula_safe(title)])
        ws.cell(row=1, column=1).font = Font(bold=True)
    ws.append([formula_safe(h) for h in headers])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    ws.freeze_panes = f"A{header_row + 1}"  # a coordinate: creates no cell
    widths = [max(4, len(h)) for h in headers]
    for row in rows:
        values = [formula_safe(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values):
            widths[i] = min(60, max(widths[i], len(_text(v))))
    for i, width in enumerate(widths, start=1):
        # CJK characters are about two columns wide.
        ws.column_dimensions[get_column_letter(i)].width = width * 2 + 2
    for row_cells in ws.iter_rows(min_row=header_row + 1):
        for cell in row_cells:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
