"""The printed report (WeasyPrint from the official HTML), read back page by page.

Every table fragment on a page starts with its header (表三's and 表四's header
repeat; a 表二 sub-table never splits from its caption), no page carries a lone
row of 表三, 表四 is never cut from its header, and the text keeps the GB/T 9704
margins. The lead-in of section 一 is grown line by line so that the page breaks
fall at every place of the tables.
"""

from __future__ import annotations

import io

import pdfplumber
import pytest
from weasyprint import HTML

from gongkai.core.annual.model import Report
from gongkai.core.annual.render import render
from gongkai.core.annual.render.grid import section_grids
from gongkai.core.gbt9704 import GBT9704_PAGE

MM = 72 / 25.4  # PDF points per millimetre
FIRST_VALUE = 1000


def _report(lead_in_lines: int) -> Report:
    report = Report(year=2026, agency="洛阳街道办事处")
    keys = [c.key for g in section_grids(report).values() for c in g.cells if c.key]
    # Each cell a distinct 4-digit number: a row with one is a data row.
    report.cells = {key: FIRST_VALUE + i for i, key in enumerate(keys)}
    line = "本机关坚持以人民为中心，推进政务公开各项工作，取得新的进展。" * 3
    report.sections = {"一": "\n".join([line] * lead_in_lines)}
    return report


def _is_data(row: list[str | None]) -> bool:
    return any((cell or "").isdigit() and int(cell or 0) >= FIRST_VALUE for cell in row)


def _pages(report: Report) -> list[pdfplumber.page.Page]:
    html = render(report, "html").decode("utf-8")
    pdf = pdfplumber.open(io.BytesIO(HTML(string=html).write_pdf()))
    return list(pdf.pages)


@pytest.mark.parametrize("lead_in_lines", range(0, 14, 2))
def test_each_table_fragment_keeps_its_header_and_no_row_is_alone(lead_in_lines):
    pages = _pages(_report(lead_in_lines))
    seen_values: set[str] = set()
    fragments = {"表二": 0, "表三": 0, "表四": 0}
    for page in pages:
        for table in page.find_tables():
            rows = table.extract()
            data = [row for row in rows if _is_data(row)]
            seen_values |= {c for row in data for c in row if c and c.isdigit()}
            first = "".join(c or "" for c in rows[0])
            where = f"第{page.page_number}页的表格"
            assert not _is_data(rows[0]), f"{where}开头没有表头：{rows[0]}"
            if "第二十条" in first:  # 表二: a fragment starts with a caption
                fragments["表二"] += 1
            elif "申请人情况" in first:  # 表三: the header repeats
                fragments["表三"] += 1
                assert len(data) >= 2, f"{where}（表三）只有一行数据"
            else:  # 表四: its header and its only row together
                assert "行政复议" in first, f"{where}开头不是表头：{first}"
                assert len(data) == 1, where
                fragments["表四"] += 1
    assert fragments["表四"] == 1  # 表四 is never split
    assert len(seen_values) == len(_report(0).cells)  # every cell printed


def test_the_text_block_is_the_gbt9704_page():
    for page in _pages(_report(6)):
        assert page.width == pytest.approx(GBT9704_PAGE.width_mm * MM, abs=1)
        assert page.height == pytest.approx(GBT9704_PAGE.height_mm * MM, abs=1)
        chars = page.chars
        assert min(c["x0"] for c in chars) >= GBT9704_PAGE.left_mm * MM - 1
        right_edge = (GBT9704_PAGE.width_mm - GBT9704_PAGE.right_mm) * MM
        assert max(c["x1"] for c in chars) <= right_edge + 1
        assert min(c["top"] for c in chars) >= GBT9704_PAGE.top_mm * MM - 1
        bottom_edge = (GBT9704_PAGE.height_mm - GBT9704_PAGE.bottom_mm) * MM
        assert max(c["bottom"] for c in chars) <= bottom_edge + 1
