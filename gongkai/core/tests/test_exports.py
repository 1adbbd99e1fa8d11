"""Spreadsheet exports (no database): formula injection defused in CSV and XLSX; the
files read back with the csv module and openpyxl."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from gongkai.core.exports import csv_bytes, formula_safe, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\tX"]


def test_a_cell_that_would_run_as_a_formula_stays_text() -> None:
    for value in HOSTILE:
        assert formula_safe(value) == "'" + value
    assert formula_safe("王小明") == "王小明"
    assert formula_safe("a=b") == "a=b"  # only a leading sign matters
    assert formula_safe(-5) == -5  # a number cannot carry a formula


def test_csv_has_a_bom_and_defused_cells() -> None:
    data = csv_bytes(["申请人", "日期"], [[v, date(2026, 12, 7)] for v in HOSTILE])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["申请人", "日期"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE]
    assert {r[1] for r in rows[1:]} == {"2026-12-07"}


def test_xlsx_keeps_text_as_text_and_dates_as_dates() -> None:
    data = xlsx_bytes(
        ["申请人", "日期", "件数"],
        [[v, date(2026, 12, 7), 3] for v in HOSTILE],
        sheet="台账",
        title="测试台账（全部）",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "台账"
    assert sheet["A1"].value == "测试台账（全部）"
    assert [c.value for c in sheet[2]] == ["申请人", "日期", "件数"]
    for row, value in zip(sheet.iter_rows(min_row=3), HOSTILE, strict=True):
        assert row[0].data_type == "s" and row[0].value == "'" + value
        assert row[1].value.date() == date(2026, 12, 7)
        assert row[2].value == 3
