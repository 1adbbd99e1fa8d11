"""Renderers: official layout and merged cells (spec §3–§5, the blank official
template ``blank_template.docx``), typography, determinism. Files are written
and read back with the real libraries."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from gongkai.core.annual.model import Report
from gongkai.core.annual.render import FORMATS, FormOptions, render
from gongkai.core.tests.annual_fixtures import CORPUS
from gongkai.core.tests.test_annual_checks_factories import (
    set_row,
    small_consistent_report,
    zero_report,
)

TEMPLATE = CORPUS / "raw" / "blank_template.docx"

HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def lines(report: Report) -> list[str]:
    return render(report, "txt").decode("utf-8").splitlines()


# --------------------------------------------------------------------------
# All formats
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("version", ["2021", "2019"])
def test_rendering_twice_gives_the_same_bytes(fmt: str, version: str) -> None:
    report = zero_report(version)
    assert render(report, fmt) == render(report, fmt)


def test_an_unknown_format_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="未知的输出格式"):
        render(zero_report(), "pdf")


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_zip_members_carry_a_fixed_timestamp(fmt: str) -> None:
    package = zipfile.ZipFile(io.BytesIO(render(zero_report(), fmt)))
    assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --------------------------------------------------------------------------
# TXT
# --------------------------------------------------------------------------


def test_txt_has_title_and_the_six_headings_in_order() -> None:
    text = lines(small_consistent_report())
    assert text[0] == "示例市示例区人民政府办公室2021年政府信息公开工作年度报告"
    positions = [text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)


def test_txt_tables_are_tab_separated_grid_rows() -> None:
    text = lines(small_consistent_report())
    assert "第二十条第（一）项\t\t\t" in text
    assert "信息内容\t本年制发件数\t本年废止件数\t现行有效件数" in text
    assert "信息内容\t本年收费金额（单位：万元）\t\t" in text
    # new: natural 5, commercial 1 → total 6; merged label spans 3 grid columns
    assert "一、本年新收政府信息公开申请数量\t\t\t5\t1\t0\t0\t0\t0\t6" in text
    assert "三、本年度办理结果\t（一）予以公开\t\t3\t0\t0\t0\t0\t0\t3" in text
    assert "\t（三）不予公开\t1.属于国家秘密\t0\t1\t0\t0\t0\t0\t1" in text
    assert "\t\t2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0" in text
    assert "四、结转下年度继续办理\t\t\t1\t0\t0\t0\t0\t0\t1" in text
    assert "\t".join(["0"] * 15) in text


def test_txt_2019_prints_other_handling_as_one_row_and_the_old_section_two() -> None:
    report = zero_report("2019")
    report.cells["s2.penalty.delta"] = -18
    text = lines(report)
    assert "\t（六）其他处理\t\t0\t0\t0\t0\t0\t0\t0" in text
    assert "信息内容\t上一年项目数量\t本年增/减\t处理决定数量" in text
    assert "行政处罚\t0\t-18\t0" in text
    assert "第二十条第（九）项\t\t\t" in text
    assert not any("申请人无正当理由逾期不补正" in line for line in text)


def test_txt_prints_zero_as_0_and_an_unknown_cell_blank() -> None:
    report = zero_report()
    report.cells["s3.new.legal"] = None
    assert "一、本年新收政府信息公开申请数量\t\t\t0\t0\t0\t0\t\t0\t0" in lines(report)


def test_txt_keeps_the_decimal_places_of_the_fee_amount() -> None:
    report = zero_report()
    report.cells["s2.fees.amount_wan"] = Decimal("24252.311082")
    assert "行政事业性收费\t24252.311082\t\t" in lines(report)


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------


def html_tables(report: Report) -> list[list[list[tuple[str, int, int]]]]:
    """Each table as rows of (text, rowspan, colspan)."""
    tree = HTMLParser(render(report, "html").decode("utf-8"))
    tables = []
    for table in tree.css("table"):
        rows = []
        for tr in table.css("tr"):
            rows.append(
                [
                    (
                        cell.text(strip=True),
                        int(cell.attributes.get("rowspan") or 1),
                        int(cell.attributes.get("colspan") or 1),
                    )
                    for cell in tr.css("th, td")
                ]
            )
        tables.append(rows)
    return tables


def spans_of(table: list[list[tuple[str, int, int]]], text: str) -> tuple[int, int]:
    return next((r, c) for row in table for t, r, c in row if t == text)


def occupied_widths(table: list[list[tuple[str, int, int]]]) -> list[int]:
    """Columns covered in each row once row spans are expanded."""
    carried: dict[int, int] = {}  # row index -> columns filled from above
    widths = []
    for index, row in enumerate(table):
        width = carried.get(index, 0) + sum(c for _, _, c in row)
        for _, rowspan, colspan in row:
            for below in range(index + 1, index + rowspan):
                carried[below] = carried.get(below, 0) + colspan
        widths.append(width)
    return widths


def test_html_section_three_has_the_merged_cells_of_the_form() -> None:
    _, three, _ = html_tables(zero_report())
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert spans_of(three, corner) == (3, 3)
    assert spans_of(three, "申请人情况") == (1, 7)
    assert spans_of(three, "自然人") == (2, 1)
    assert spans_of(three, "法人或其他组织") == (1, 5)
    assert spans_of(three, "总计") == (2, 1)
    assert spans_of(three, "一、本年新收政府信息公开申请数量") == (1, 3)
    assert spans_of(three, "三、本年度办理结果") == (22, 1)
    assert spans_of(three, "（一）予以公开") == (1, 2)
    assert spans_of(three, "（三）不予公开") == (8, 1)
    assert spans_of(three, "（四）无法提供") == (3, 1)
    assert spans_of(three, "（五）不予处理") == (5, 1)
    assert spans_of(three, "（六）其他处理") == (3, 1)
    assert spans_of(three, "（七）总计") == (1, 2)
    assert spans_of(three, "四、结转下年度继续办理") == (1, 3)
    assert len(three) == 28
    assert occupied_widths(three) == [10] * 28


def test_html_2019_section_three_has_twenty_result_rows() -> None:
    _, three, _ = html_tables(zero_report("2019"))
    assert spans_of(three, "三、本年度办理结果") == (20, 1)
    assert spans_of(three, "（六）其他处理") == (1, 2)
    assert len(three) == 26
    assert occupied_widths(three) == [10] * 26


def test_html_section_four_has_three_header_rows_of_fifteen_columns() -> None:
    _, _, four = html_tables(zero_report())
    assert spans_of(four, "行政复议") == (1, 5)
    assert spans_of(four, "行政诉讼") == (1, 10)
    assert spans_of(four, "未经复议直接起诉") == (1, 5)
    assert spans_of(four, "复议后起诉") == (1, 5)
    assert four[1][0] == ("结果维持", 2, 1)
    assert occupied_widths(four) == [15] * 4


def test_html_section_two_merges_single_value_columns() -> None:
    two, _, _ = html_tables(zero_report())
    assert spans_of(two, "第二十条第（一）项") == (1, 4)
    assert spans_of(two, "本年处理决定数量") == (1, 3)
    assert spans_of(two, "本年收费金额（单位：万元）") == (1, 3)
    assert len(two) == 14
    assert occupied_widths(two) == [4] * 14


def test_html_value_cells_carry_their_keys_and_text_is_escaped() -> None:
    report = small_consistent_report()
    report.sections["五"] = "<script>alert(1)</script>"
    page = render(report, "html").decode("utf-8")
    assert "<script>" not in page
    tree = HTMLParser(page)
    assert tree.css_first('td[data-key="s3.new.natural"]').text() == "5"
    assert (
        tree.css_first("h1").text() == report.agency + "2021年政府信息公开工作年度报告"
    )


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------


def docx_of(report: Report) -> docx.document.Document:
    return docx.Document(io.BytesIO(render(report, "docx")))


def structure(table: docx.table.Table) -> list[list[tuple[str, int, str | None]]]:
    """Per row: (label text or '#' for a number/blank value, gridSpan, vMerge)."""
    rows = []
    for tr in table._tbl.tr_lst:
        cells = []
        for tc in tr.tc_lst:
            text = "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip("\u3000 ")
            label = (
                "#"
                if text == "" or text.lstrip("-").replace(".", "").isdigit()
                else text
            )
            cells.append((label, tc.grid_span, tc.vMerge))
        rows.append(cells)
    return rows


@pytest.mark.skipif(
    not TEMPLATE.exists(), reason="blank official template not available"
)
def test_docx_tables_have_exactly_the_merges_of_the_official_template() -> None:
    template = docx.Document(str(TEMPLATE))
    ours = docx_of(small_consistent_report())
    assert len(ours.tables) == len(template.tables) == 3
    for rendered, official in zip(ours.tables, template.tables):
        assert structure(rendered) == structure(official)


def test_docx_headings_paragraphs_and_title() -> None:
    document = docx_of(small_consistent_report())
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "示例市示例区人民政府办公室2021年政府信息公开工作年度报告"
    assert [t for t in texts if t in HEADINGS] == HEADINGS
    assert "本年度未收取信息处理费。" in texts


def east_asian_font(run: docx.text.run.Run) -> str | None:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_docx_uses_gb_t_9704_fonts_with_the_east_asian_attribute() -> None:
    document = docx_of(small_consistent_report())
    title, heading, body = (
        document.paragraphs[0],
        document.paragraphs[1],
        document.paragraphs[2],
    )
    assert east_asian_font(title.runs[0]) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22
    assert east_asian_font(heading.runs[0]) == "黑体"
    assert east_asian_font(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16
    cell_run = document.tables[1].cell(3, 3).paragraphs[0].runs[0]
    assert east_asian_font(cell_run) == "仿宋_GB2312"


def test_docx_page_is_a4_with_official_margins() -> None:
    section = docx_of(zero_report()).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = (
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def test_docx_core_properties_have_fixed_dates() -> None:
    props = docx_of(zero_report(year=2021)).core_properties
    fixed = datetime(2022, 1, 1, tzinfo=UTC)
    assert props.created == fixed and props.modified == fixed


def test_docx_values_are_in_the_right_cells() -> None:
    table = docx_of(small_consistent_report()).tables[1]
    new_row = [table.cell(3, c).text for c in range(10)]
    assert new_row[3:] == ["5", "1", "0", "0", "0", "0", "6"]
    secret_row = [table.cell(7, c).text for c in range(10)]
    assert secret_row[:3] == ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"]
    assert secret_row[3:] == ["0", "1", "0", "0", "0", "0", "1"]


# --------------------------------------------------------------------------
# XLSX and JSON
# --------------------------------------------------------------------------


def inconsistent_report() -> Report:
    report = small_consistent_report()
    set_row(report, "carry_forward", natural=2)  # breaks T3_BALANCE
    return report


def test_xlsx_has_metadata_cells_texts_and_findings_sheets() -> None:
    report = inconsistent_report()
    book = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    assert book.sheetnames == ["年报", "报告", "单元格", "正文", "问题"]
    meta = {
        row[2]: row[1] for row in book["报告"].iter_rows(min_row=2, values_only=True)
    }
    assert meta["agency"] == report.agency and meta["year"] == 2021
    assert meta["version"] == "2021"
    cells = {
        row[0]: row[4] for row in book["单元格"].iter_rows(min_row=2, values_only=True)
    }
    assert len(cells) == 200
    assert cells["s3.new.natural"] == 5 and cells["s3.carry_forward.total"] == 2
    codes = [row[0] for row in book["问题"].iter_rows(min_row=2, values_only=True)]
    assert "T3_BALANCE" in codes


def test_xlsx_cell_rows_name_their_printed_row_and_column() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render(zero_report(), "xlsx")))
    rows = {
        row[0]: row for row in book["单元格"].iter_rows(min_row=2, values_only=True)
    }
    _, section, row_label, column_label, value = rows[
        "s3.withheld.state_secret.research"
    ]
    assert section == "三"
    assert row_label == "三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密"
    assert column_label == "法人或其他组织 / 科研机构"
    assert value == 0


def test_json_holds_flat_keys_metadata_and_findings() -> None:
    report = inconsistent_report()
    report.cells["s2.fees.amount_wan"] = Decimal("24252.311082")
    data = json.loads(render(report, "json"), parse_float=Decimal)
    assert data["version"] == "2021" and data["year"] == 2021
    assert data["agency"] == report.agency
    assert data["cells"] == report.cells
    assert str(data["cells"]["s2.fees.amount_wan"]) == "24252.311082"
    assert data["sections"] == report.sections
    assert {"T3_BALANCE", "T2_FEE_DECIMALS"} <= {f["code"] for f in data["findings"]}


def test_explicit_findings_replace_the_computed_ones() -> None:
    data = json.loads(render(inconsistent_report(), "json", findings=[]))
    assert data["findings"] == []


# --------------------------------------------------------------------------
# Table sections of parsed reports: only the lead-in is printed as text
# --------------------------------------------------------------------------


def test_a_lead_in_before_a_table_is_printed_once_before_the_table() -> None:
    report = zero_report()
    report.sections["二"] = "本年度主动公开政府信息情况如下。"
    text = lines(report)
    start = text.index("二、主动公开政府信息情况")
    assert text[start + 2] == "本年度主动公开政府信息情况如下。"
    assert text[start + 4] == "第二十条第（一）项\t\t\t"


@pytest.mark.parametrize(
    ("numeral", "section_text"),
    [
        # the seed's tab-separated table text (with its header typo 本年度止件数)
        (
            "二",
            "第二十条第（一）项\t\t\t\n信息内容\t本年制发件数\t本年度止件数\t现行有效件数",
        ),
        # a crawler dump: the whole table on one line
        ("二", "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000"),
        # a PDF text layer breaking the corner cell over lines (洪泽 2024)
        (
            "三",
            "（本列数据的勾稽关系为：第一项加第二项之和， 等\n于第三项加第四项之和）\n申请人情况",
        ),
        ("四", "行政复议\t\t\t\t\t行政诉讼\n结果维持\t结果纠正"),
        ("四", "行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计"),
    ],
)
def test_table_text_held_in_a_parsed_section_is_not_printed_again(
    numeral: str, section_text: str
) -> None:
    report = zero_report()
    report.sections[numeral] = "具体情况如下。\n" + section_text
    text = render(report, "txt").decode("utf-8")
    assert "具体情况如下。" in text
    assert "本年度止件数" not in text
    assert "规章000" not in text
    assert "之和， 等" not in text
    assert "结果维持 结果纠正" not in text
    assert text.count("行政复议\t") == 1  # our table's header row only


@pytest.mark.skipif(not TEMPLATE.parent.exists(), reason="corpus not available")
def test_rendering_a_parsed_corpus_report_prints_each_table_once() -> None:
    from gongkai.core.annual.parse import parse_bytes

    path = TEMPLATE.parent / "seed_luopu_2021.txt"
    report = parse_bytes(path.read_bytes(), path.name)
    text = render(report, "txt").decode("utf-8")
    assert text.count("第二十条第（一）项") == 1
    assert text.count("申请人情况") == 1
    assert "本年度止件数" not in text  # the seed's typo is not copied


def test_docx_tables_fill_the_text_width_of_the_page() -> None:
    # GB/T 9704 text width: 210 mm − 28 mm − 26 mm = 156 mm
    for table in docx_of(zero_report()).tables:
        assert sum(column.width.mm for column in table.columns) == pytest.approx(
            156, abs=0.5
        )


def merged_size(
    sheet: openpyxl.worksheet.worksheet.Worksheet, text: str
) -> tuple[int, int]:
    """(rows, columns) of the merged range anchored at the first cell holding ``text``."""
    anchor = next(c for row in sheet.iter_rows() for c in row if c.value == text)
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == anchor.row and merged.min_col == anchor.column:
            return (
                merged.max_row - merged.min_row + 1,
                merged.max_col - merged.min_col + 1,
            )
    return 1, 1


def test_xlsx_report_sheet_has_title_headings_and_the_merged_cells_of_the_form() -> (
    None
):
    book = openpyxl.load_workbook(io.BytesIO(render(small_consistent_report(), "xlsx")))
    sheet = book["年报"]
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert merged_size(sheet, corner) == (3, 3)
    assert merged_size(sheet, "三、本年度办理结果") == (22, 1)
    assert merged_size(sheet, "（三）不予公开") == (8, 1)
    assert merged_size(sheet, "行政诉讼") == (1, 10)
    assert merged_size(sheet, "本年收费金额（单位：万元）") == (1, 3)
    assert (
        sheet["A1"].value == "示例市示例区人民政府办公室2021年政府信息公开工作年度报告"
    )
    headings = [
        row[0] for row in sheet.iter_rows(values_only=True) if row[0] in HEADINGS
    ]
    assert headings == HEADINGS
    new_row = next(
        r
        for r in sheet.iter_rows(values_only=True)
        if r[0] == "一、本年新收政府信息公开申请数量"
    )
    assert new_row[3:10] == (5, 1, 0, 0, 0, 0, 6)


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_rendered_docx_and_xlsx_files_open_from_disk(
    tmp_path: Path, version: str
) -> None:
    report = zero_report(version)
    docx_path, xlsx_path = tmp_path / "report.docx", tmp_path / "report.xlsx"
    docx_path.write_bytes(render(report, "docx"))
    xlsx_path.write_bytes(render(report, "xlsx"))
    for path in (docx_path, xlsx_path):
        with zipfile.ZipFile(path) as package:
            assert package.testzip() is None  # every member's CRC is right
    document = docx.Document(str(docx_path))
    rows = (
        14 if version == "2021" else 18
    )  # 二: 4 or 5 sub-tables of caption + header + rows
    assert [len(t.rows) for t in document.tables] == [
        rows,
        3 + (25 if version == "2021" else 23),
        4,
    ]
    book = openpyxl.load_workbook(xlsx_path)
    cell_rows = book["单元格"].max_row - 1
    assert cell_rows == (200 if version == "2021" else 198)


# --------------------------------------------------------------------------
# Regional variant: fee amount to 4 decimals (spec §3.4, the seed's template)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "printed"),
    [
        (Decimal("0"), "0.0000"),
        (Decimal("1.5"), "1.5000"),
        (Decimal("24252.311082"), "24252.3111"),  # rounded half up to the yuan
        (7545, "7545.0000"),
    ],
)
def test_the_regional_form_prints_the_fee_with_four_decimals(
    amount: Decimal | int, printed: str
) -> None:
    report = zero_report()
    report.cells["s2.fees.amount_wan"] = amount
    text = render(report, "txt", options=FormOptions(fee_decimals=4)).decode("utf-8")
    assert "信息内容\t本年收费金额（单位：万元，保留4位小数）\t\t" in text
    assert f"行政事业性收费\t{printed}\t\t" in text


def test_the_national_form_prints_the_fee_as_entered() -> None:
    report = zero_report()
    report.cells["s2.fees.amount_wan"] = Decimal("1.5")
    text = render(report, "txt").decode("utf-8")
    assert "信息内容\t本年收费金额（单位：万元）\t\t" in text
    assert "行政事业性收费\t1.5\t\t" in text


@pytest.mark.parametrize("fmt", ["txt", "html", "docx"])
def test_the_regional_fee_header_reads_back(fmt: str) -> None:
    from gongkai.core.annual.render.readback import read_report

    report = small_consistent_report()
    report.cells["s2.fees.amount_wan"] = Decimal("12.3456")
    data = render(report, fmt, options=FormOptions(fee_decimals=4))
    parsed = read_report(data, f"r.{fmt}")
    assert parsed.cells["s2.fees.amount_wan"] == Decimal("12.3456")
    assert parsed.cells == report.cells


def test_xlsx_bytes_do_not_depend_on_the_second_they_are_made() -> None:
    import time

    from gongkai.core.annual.model import Report
    from gongkai.core.annual.render import render

    report = Report(year=2024, agency="某街道办事处", cells={})
    first = render(report, "xlsx")
    time.sleep(1.1)  # openpyxl stamps "modified" with the second of saving
    assert render(report, "xlsx") == first


def test_docx_bytes_do_not_depend_on_the_second_they_are_made() -> None:
    import time

    report = zero_report()
    first = render(report, "docx")
    time.sleep(1.1)  # ZIP member times and core properties would show the second
    assert render(report, "docx") == first
