"""PDF reading on layouts the corpus lacks: reports printed to PDF by WeasyPrint.

Narrow columns wrap labels and put header words one character per line; running
page headers (with a year in them) and ``- N -`` footers land inside table 三, and
a forced page break splits it. Values come from truth files, so do expectations.
"""

from __future__ import annotations

import pytest

from gongkai.core.annual.parse import parse_bytes
from gongkai.core.tests.annual_fixtures import requires_corpus, same_number, truth
from gongkai.core.tests.annual_layouts import html_report

weasyprint = pytest.importorskip("weasyprint")
pytestmark = requires_corpus

TITLE = "某某县交通运输局2023年政府信息公开工作年度报告"
PRINT_STYLE = """<style>
@page {{ size: A4; margin: 2cm;
  @top-center {{ content: "{title}"; }}
  @bottom-center {{ content: "- " counter(page) " -"; }} }}
table {{ border-collapse: collapse; font-family: 'Noto Serif CJK SC', serif;
  font-size: {size}; width: {width}; }}
td {{ border: 1px solid #000; padding: 2px; }}
tr:nth-child({page_break}) {{ page-break-before: always; }}
</style>"""


def printed_pdf(
    cells: dict[str, object], size: str, width: str, page_break: int
) -> bytes:
    style = PRINT_STYLE.format(
        title=TITLE, size=size, width=width, page_break=page_break
    )
    page = html_report(cells, title=TITLE).replace("</head>", style + "</head>")
    return weasyprint.HTML(string=page).write_pdf()  # type: ignore[no-any-return]


@pytest.mark.parametrize("stem", ["pingtan_2024", "shuyang_fgj_2023"])
@pytest.mark.parametrize(
    ("size", "width", "page_break"), [("9pt", "100%", 15), ("12pt", "60%", 9)]
)
def test_a_printed_report_reads_back_cell_for_cell(
    stem: str, size: str, width: str, page_break: int
) -> None:
    cells = truth(stem).cells
    report = parse_bytes(printed_pdf(cells, size, width, page_break), "report.pdf")
    wrong = {
        k: (v, report.cells.get(k))
        for k, v in truth(stem).given_cells().items()
        if not same_number(report.cells.get(k), v)
    }
    assert wrong == {}
    assert (report.title, report.year, report.version) == (TITLE, 2023, "2021")
    assert report.provenance["s3.new.total"].where.startswith("pdf:第")
