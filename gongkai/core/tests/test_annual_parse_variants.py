"""Layouts the corpus does not contain, built from truth values (no overfitting).

Each input is laid out like a published report (spec §3–§5, §9 quirks) from a
truth file's cells; the parse must give back the same cells, and anything it
could not read must be None/unknown, never a certain wrong value.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from typing import Any

import pytest

from gongkai.core.annual.model import Report
from gongkai.core.annual.parse import parse_bytes, parse_text
from gongkai.core.tests.annual_fixtures import (
    CORPUS,
    requires_corpus,
    same_number,
    truth,
)
from gongkai.core.tests.annual_layouts import docx_report, html_report, text_report

pytestmark = requires_corpus

TITLE = "某某县交通运输局2023年政府信息公开工作年度报告"
# Reports whose truth has every cell (2021 format, no one-row （六）).
FULL = ("pingtan_2024", "pingtan_2022", "shuyang_fgj_2023", "seed_luopu_2021")


def mismatches(report: Report, cells: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        k: (v, report.cells.get(k))
        for k, v in cells.items()
        if v is not None and not same_number(report.cells.get(k), v)
    }


def wrong_but_certain(report: Report, cells: dict[str, Any]) -> list[str]:
    return [
        k
        for k, v in cells.items()
        if v is not None
        and report.cells.get(k) is not None
        and not same_number(report.cells[k], v)
        and report.provenance[k].confidence == "certain"
    ]


def codes(report: Report) -> set[str]:
    return {d.code for d in report.diagnostics}


@pytest.mark.parametrize("stem", FULL)
def test_html_with_rowspans_and_colspans(stem: str) -> None:
    cells = truth(stem).cells
    report = parse_bytes(html_report(cells, title=TITLE).encode(), "page.html")
    assert mismatches(report, cells) == {}
    assert {p.confidence for p in report.provenance.values()} == {"certain"}
    assert (report.year, report.agency) == (2023, "某某县交通运输局")


@pytest.mark.parametrize("stem", FULL)
def test_docx_with_merged_cells(stem: str) -> None:
    cells = truth(stem).cells
    report = parse_bytes(docx_report(cells, title=TITLE), "report.docx")
    assert mismatches(report, cells) == {}
    assert report.title == TITLE


@pytest.mark.parametrize("stem", FULL)
def test_tab_separated_text(stem: str) -> None:
    cells = truth(stem).cells
    report = parse_text(text_report(cells, title=TITLE))
    assert mismatches(report, cells) == {}


def test_gbk_page_with_a_meta_charset() -> None:
    cells = truth("pingtan_2024").cells
    page = html_report(cells, title=TITLE, charset="gb2312").encode("gb18030")
    report = parse_bytes(page, "page.shtml")
    assert mismatches(report, cells) == {}
    assert report.agency == "某某县交通运输局"


def test_gbk_page_without_a_charset_is_decoded_by_trial() -> None:
    cells = truth("pingtan_2024").cells
    page = html_report(cells, title=TITLE).replace("charset=utf-8", "").encode("gbk")
    report = parse_bytes(page, None)
    assert mismatches(report, cells) == {}
    assert "parse.encoding_fallback" in codes(report)


def test_gbk_copy_of_the_seed_text() -> None:
    raw = (CORPUS / "raw" / "seed_luopu_2021.txt").read_text(encoding="utf-8")
    report = parse_bytes(raw.encode("gbk"), "seed.txt")
    assert mismatches(report, truth("seed_luopu_2021").cells) == {}
    assert "parse.encoding_fallback" in codes(report)


def test_utf16_text_with_a_bom() -> None:
    cells = truth("pingtan_2022").cells
    report = parse_bytes(text_report(cells, title=TITLE).encode("utf-16"), "r.txt")
    assert mismatches(report, cells) == {}


# Simplified -> Traditional, written out here (not taken from the parser).
_TRAD = str.maketrans(
    "开请数资处议讼规范制发废许决强费额万单机构会织务结转总计继续办据属国秘稳护权内类过执询项无关没现补确访举报诉复当认获缴纳维纠审经后况条门区县进与业证"
    "学团员点为这们来时间书样种应见说专导历际卫医统级镇乡厅设质营税征户产动网线电话号邮编联系义职责标准担传达实备",
    "開請數資處議訟規範製發廢許決強費額萬單機構會織務結轉總計繼續辦據屬國祕穩護權內類過執詢項無關沒現補確訪舉報訴複當認獲繳納維糾審經後況條門區縣進與業證"
    "學團員點為這們來時間書樣種應見說專導歷際衛醫統級鎮鄉廳設質營稅徵戶產動網線電話號郵編聯繫義職責標準擔傳達實備",
)


def test_traditional_chinese_mirror() -> None:
    cells = truth("pingtan_2024").cells
    page = html_report(cells, title=TITLE).translate(_TRAD)
    assert "本年製發件數" in page
    report = parse_bytes(page.encode("utf-8"), "mirror.html")
    assert mismatches(report, cells) == {}
    assert report.year == 2023


def _word_spans(value: Any) -> str:
    """Word-exported HTML: digits split over spans, padded with &nbsp;."""
    text = "" if value is None else str(value)
    if len(text) > 1:
        text = (
            f"<span lang=EN-US>{text[:1]}</span><span style='mso-x'>{text[1:]}</span>"
        )
    return f"&nbsp;<font face='宋体'>{text}</font><o:p></o:p>"


def test_word_html_with_digits_split_over_spans() -> None:
    cells = truth("pingtan_2024").cells
    report = parse_bytes(
        html_report(cells, title=TITLE, fmt=_word_spans).encode(), "w.html"
    )
    assert mismatches(report, cells) == {}


def _notes_and_separators(value: Any) -> str:
    if isinstance(value, int) and value >= 1000:
        return f"{value:,}"
    if isinstance(value, int) and value > 0:
        return f"{value}（其中线上{value}件）"
    return str(value)


def test_notes_inside_cells_and_thousands_separators() -> None:
    cells = truth("pingtan_2024").cells
    report = parse_bytes(
        html_report(cells, title=TITLE, fmt=_notes_and_separators).encode(), "n.html"
    )
    assert mismatches(report, cells) == {}
    assert report.cells["s2.license.decisions"] == 4529


@pytest.mark.parametrize("dash", ["", "-", "—", "/", "无"])
def test_blank_and_dash_cells_read_as_inferred_zeros(dash: str) -> None:
    cells = truth("pingtan_2024").cells
    report = parse_bytes(
        html_report(
            cells, title=TITLE, fmt=lambda v: dash if v == 0 else str(v)
        ).encode(),
        "d.html",
    )
    assert mismatches(report, cells) == {}
    assert report.provenance["s3.carried.total"].confidence == "inferred"
    assert report.provenance["s3.new.total"].confidence == "certain"
    assert "parse.blank_as_zero" in codes(report)


def test_a_missing_trailing_cell_is_derived_from_the_row_sum_not_read_as_zero() -> None:
    cells = truth("pingtan_2024").cells  # s3.new.total is 218
    page = html_report(cells, title=TITLE, drop_last_cell_of="new")
    report = parse_bytes(page.encode(), "m.html")
    assert report.cells["s3.new.total"] == 218
    assert report.provenance["s3.new.total"].confidence == "inferred"


def test_subtotal_rows_of_local_templates_are_kept_apart() -> None:
    cells = truth("pingtan_2024").cells
    report = parse_text(text_report(cells, title=TITLE, subtotals=True))
    assert mismatches(report, cells) == {}
    assert report.cells["s3.withheld.subtotal.total"] == sum(
        v
        for k, v in cells.items()
        if k.startswith("s3.withheld.") and k.endswith(".total")
    )
    assert "parse.subtotal_row" in codes(report)


def test_a_row_short_of_a_value_is_recovered_only_through_the_sums() -> None:
    cells = truth("pingtan_2024").cells  # withheld.internal_affairs = 32 0 0 0 0 0 32
    report = parse_text(
        text_report(cells, title=TITLE, drop={"withheld.internal_affairs": 2})
    )
    assert mismatches(report, cells) == {}
    assert (
        report.provenance["s3.withheld.internal_affairs.natural"].confidence
        == "inferred"
    )
    assert {"parse.row_short", "parse.row_recovered_by_sum"} <= codes(report)


def test_two_short_rows_in_one_column_relation_stay_unknown() -> None:
    cells = truth("pingtan_2024").cells
    drop = {"withheld.internal_affairs": 2, "unable.not_held": 3}
    report = parse_text(text_report(cells, title=TITLE, drop=drop))
    for stem in drop:
        assert report.cells[f"s3.{stem}.natural"] is None
        assert report.provenance[f"s3.{stem}.natural"].confidence == "unknown"
    assert wrong_but_certain(report, cells) == []


def test_a_typo_in_a_numbered_row_label_is_read_by_position() -> None:
    cells = truth("pingtan_2024").cells
    page = html_report(cells, title=TITLE).replace(
        "4.保护第三方合法权益", "4.保护第三人合法权利"
    )
    report = parse_bytes(page.encode(), "t.html")
    assert mismatches(report, cells) == {}
    assert report.provenance["s3.withheld.third_party.natural"].confidence == "inferred"
    assert "parse.label_variant" in codes(report)


@pytest.mark.parametrize("seed", range(8))
def test_pingtan_text_with_other_spacing(seed: int) -> None:
    """The one-line dump with random breaks and spaces between labels and runs."""
    rng = random.Random(seed)
    raw = (CORPUS / "raw" / "pingtan_2022.txt").read_text(encoding="utf-8")
    spaced = re.sub(
        r"(?<=[\u4e00-\u9fff）])(?=[0-9])|(?<=[0-9])(?=[\u4e00-\u9fff（])",
        lambda m: rng.choice(["", " ", "\n", " \n ", "\t"]),
        raw,
    )
    report = parse_text(spaced)
    cells = truth("pingtan_2022").cells
    assert mismatches(report, cells) == {}


def test_everything_on_one_line_without_separators() -> None:
    """A Pingtan-style dump built from another report's values."""
    cells = truth("pingtan_2024").cells
    text = text_report(cells, title=TITLE, sep="").replace("\n", "")
    report = parse_text(text)
    assert wrong_but_certain(report, cells) == []
    s3_s4 = {k: v for k, v in cells.items() if k.startswith(("s3.", "s4."))}
    assert mismatches(report, s3_s4) == {}


def test_a_pre_2019_free_form_report_is_legacy_and_not_guessed() -> None:
    text = (
        "某某市人民政府2015年政府信息公开工作年度报告\n"
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第三十一条、第三十二条要求编制。\n"
        "一、概述\n2015年，我市主动公开政府信息1200条。\n"
        "二、主动公开政府信息情况\n全年主动公开政府信息1200条，其中规范性文件15件。\n"
        "三、依申请公开政府信息情况\n共受理申请45件，已全部答复。\n"
        "四、政府信息公开的收费及减免情况\n未收取任何费用。\n"
    )
    report = parse_text(text)
    assert report.version == "legacy"
    assert report.year == 2015
    assert "parse.legacy_format" in codes(report)
    assert report.cells == {}


def test_an_unrelated_document_is_not_a_report() -> None:
    text = "关于做好2024年春节放假安排的通知\n各单位：根据国务院办公厅通知精神，现将有关事项通知如下。\n一、放假时间\n2月10日至17日放假调休，共8天。"
    report = parse_text(text)
    assert report.version == "unknown"
    assert "parse.not_a_report" in codes(report)
    assert report.cells == {}


def test_a_table_of_contents_repeating_the_headings_does_not_capture_the_sections() -> (
    None
):
    cells = truth("pingtan_2024").cells
    toc = (
        "目录\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
        + (
            "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
        )
    )
    text = text_report(cells, title=TITLE).replace("\n", "\n" + toc, 1)
    report = parse_text(text)
    assert mismatches(report, cells) == {}
    assert report.sections["六"] == "本年度未收取信息处理费。"


def test_a_lead_in_sentence_using_a_row_alias_is_not_taken_for_the_row() -> None:
    cells = truth("pingtan_2024").cells
    text = text_report(cells, title=TITLE).replace(
        "三、收到和处理政府信息公开申请情况",
        "三、收到和处理政府信息公开申请情况\n本年度新收政府信息公开申请数量218件，详见下表。",
    )
    report = parse_text(text)
    assert mismatches(report, cells) == {}


def test_labels_printed_without_their_numbering() -> None:
    cells = truth("pingtan_2024").cells
    text = text_report(cells, title=TITLE)
    for numbered in (
        "一、本年新收",
        "二、上年结转",
        "（一）予以公开",
        "（二）部分公开",
        "四、结转下年度",
    ):
        text = text.replace(
            numbered, numbered[3:] if numbered.startswith("（") else numbered[2:]
        )
    report = parse_text(text)
    assert mismatches(report, cells) == {}


def test_a_fee_column_in_yuan_is_flagged_and_not_read_as_wan_yuan() -> None:
    cells = truth("pingtan_2024").cells
    page = html_report(cells, title=TITLE).replace(
        "本年收费金额（单位：万元）", "本年收费金额（单位：元）"
    )
    report = parse_bytes(page.encode(), "fee.html")
    assert report.cells["s2.fees.amount_wan"] is None
    assert "parse.fee_unit" in codes(report)


def test_section_four_printed_as_two_tables() -> None:
    cells = truth("pingtan_2024").cells  # review 2 1 3 1 7, suits 0s and 13 2 4 0 19
    values = [
        cells[f"s4.{g}.{c}"]
        for g in ("review", "suit_direct", "suit_after_review")
        for c in ("upheld", "corrected", "other", "pending", "total")
    ]
    s4 = (
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
        + "\t".join(map(str, values[:5]))
        + "\n行政诉讼\n未经复议直接起诉\t复议后起诉\n"
        + "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t" * 2
        + "\n"
        + "\t".join(map(str, values[5:]))
        + "\n"
    )
    text = text_report(cells, title=TITLE)
    start = text.index("四、政府信息公开行政复议")
    text = text[:start] + s4 + text[text.index("五、存在的主要问题") :]
    report = parse_text(text)
    assert (
        mismatches(report, {k: v for k, v in cells.items() if k.startswith("s4.")})
        == {}
    )


def test_a_missing_heading_is_reported() -> None:
    cells = truth("pingtan_2024").cells
    report = parse_text(
        text_report(cells, title=TITLE).replace("五、存在的主要问题及改进情况\n", "")
    )
    assert "parse.section_missing" in codes(report)
    assert mismatches(report, cells) == {}


# A 2019-format report (国办公开办函〔2019〕60号, spec §7): section 二 has five
# sub-tables with their own columns, （六）其他处理 is one row. Values are made up
# here and are the expectations.
REPORT_2019 = """某某县人民政府办公室2020年政府信息公开工作年度报告
一、总体情况
2020年，我办认真贯彻落实《条例》。
二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t5\t5\t48
第二十条第（五）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t120\t-8\t3560
其他对外管理服务事项\t14\t2\t96
第二十条第（六）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t300\t0\t1288
行政强制\t40\t-1\t55
第二十条第（八）项
信息内容\t上一年项目数量\t本年增/减
行政事业性收费\t12\t-3
第二十条第（九）项
信息内容\t采购项目数量\t采购总金额
政府集中采购\t37\t2895.90
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况
自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计
一、本年新收政府信息公开申请数量\t12\t2\t0\t0\t1\t0\t15
二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1
三、本年度办理结果\t（一）予以公开\t6\t1\t0\t0\t1\t0\t8
（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t2\t0\t0\t0\t0\t0\t2
（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0
2.其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0
3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0
4.保护第三方合法权益\t1\t0\t0\t0\t0\t0\t1
5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0
6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0
7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0
8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0
（四）无法提供\t1.本机关不掌握相关政府信息\t2\t1\t0\t0\t0\t0\t3
2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0
3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0
（五）不予处理\t1.信访举报投诉类申请\t1\t0\t0\t0\t0\t0\t1
2.重复申请\t0\t0\t0\t0\t0\t0\t0
3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0
4.无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0
5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0
（六）其他处理\t1\t0\t0\t0\t0\t0\t1
（七）总计\t13\t2\t0\t0\t1\t0\t16
四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0
四、政府信息公开行政复议、行政诉讼情况
行政复议\t行政诉讼
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0
五、存在的主要问题及改进情况
公开质量有待提高。
六、其他需要报告的事项
无。
"""


def test_a_2019_format_report_reads_its_own_section_two_columns() -> None:
    report = parse_text(REPORT_2019)
    assert report.version == "2019"
    assert (report.year, report.agency) == (2020, "某某县人民政府办公室")
    expected = {
        "s2.normative.made": 5,
        "s2.normative.total_published": 48,
        "s2.license.delta": -8,
        "s2.license.decisions": 3560,
        "s2.other_services.decisions": 96,
        "s2.coercion.delta": -1,
        "s2.fees.prev_items": 12,
        "s2.fees.delta": -3,
        "s2.procurement.items": 37,
        "s2.procurement.amount": Decimal("2895.90"),
        "s3.other.subtotal.natural": 1,
        "s3.other.subtotal.total": 1,
        "s3.total.total": 16,
        "s3.unable.not_held.commercial": 1,
        "s4.review.upheld": 1,
    }
    assert {k: report.cells[k] for k in expected} == expected
    assert "s3.other.no_fee.total" not in report.cells
    assert "s2.regulations.issued" not in report.cells


def test_a_spreadsheet_copy_of_the_report() -> None:
    import io

    import openpyxl

    cells = truth("pingtan_2024").cells
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in text_report(cells, title=TITLE).split("\n"):
        sheet.append([int(x) if x.isdigit() else x for x in line.split("\t")])
    out = io.BytesIO()
    book.save(out)
    report = parse_bytes(out.getvalue(), "report.xlsx")
    assert mismatches(report, cells) == {}
    assert report.title == TITLE


def test_a_page_saved_as_mht() -> None:
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    cells = truth("pingtan_2024").cells
    message = MIMEMultipart("related")
    message.attach(
        MIMEText(html_report(cells, title=TITLE, charset="gb2312"), "html", "gb2312")
    )
    report = parse_bytes(message.as_bytes(), "page.mht")
    assert mismatches(report, cells) == {}


def test_page_source_passed_as_text() -> None:
    cells = truth("shuyang_fgj_2023").cells
    report = parse_text(html_report(cells, title=TITLE))
    assert mismatches(report, cells) == {}


def test_total_cells_left_empty_in_rows_with_values() -> None:
    """Shanghai's 2019 page: zeros printed as empty cells and many 总计 cells empty."""
    cells = truth("pingtan_2024").cells
    blank_totals = {
        f"s3.{row}.total": ""
        for row in (
            "granted",
            "partial",
            "withheld.internal_affairs",
            "unable.not_held",
        )
    }
    page = html_report(
        cells,
        title=TITLE,
        fmt=lambda v: "&nbsp;" if v == 0 else str(v),
        printed=blank_totals,
    )
    report = parse_bytes(page.encode(), "sh.html")
    assert mismatches(report, cells) == {}
    assert report.provenance["s3.granted.total"].confidence == "inferred"
    assert report.provenance["s3.granted.natural"].confidence == "certain"


def test_blanks_that_no_single_value_explains_stay_unknown() -> None:
    cells = truth("pingtan_2024").cells  # new: 217 1 0 0 0 0 218
    printed = {"s3.new.natural": "", "s3.new.commercial": ""}
    report = parse_bytes(
        html_report(cells, title=TITLE, printed=printed).encode(), "b.html"
    )
    assert report.cells["s3.new.natural"] is None
    assert report.cells["s3.new.commercial"] is None
    assert wrong_but_certain(report, cells) == []


def test_a_mirror_that_prints_pinyin_after_characters() -> None:
    """Converted mirror sites write 制發(fā)件數(shù): the pinyin is noise."""
    cells = truth("pingtan_2024").cells
    page = html_report(cells, title=TITLE).translate(_TRAD)
    for char, pinyin in (
        ("發", "fā"),
        ("數", "shù"),
        ("處", "chǔ"),
        ("議", "yì"),
        ("訟", "sòng"),
    ):
        page = page.replace(char, f"{char}({pinyin})")
    assert "本年製發(fā)件數(shù)" in page
    report = parse_bytes(page.encode(), "pinyin.html")
    assert mismatches(report, cells) == {}
