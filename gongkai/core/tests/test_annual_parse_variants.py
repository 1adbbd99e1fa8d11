"""Layouts the corpus does not contain, built from truth values (no overfitting).

Each input is laid out like a published report (spec §3–§5, §9 quirks) from a
truth file's cells; the parse must give back the same cells, and anything it
could not read must be None/unknown, never a certain wrong value.
"""

from __future__ import annotations

import random
import re
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
