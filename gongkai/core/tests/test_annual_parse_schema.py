"""The format as data (schema.py) against the spec and the corpus keys."""

from __future__ import annotations

import pytest

from gongkai.core.annual.schema import (
    ALIASES,
    V2019,
    V2021,
    cell_keys,
    optional_cell_keys,
    s3_result_rows,
    schema_for,
    version_for_year,
)
from gongkai.core.tests.annual_fixtures import requires_corpus, truths

# spec §4.2, level-3 (or level-2) labels of the 25 rows, in printed order
SPEC_ROWS_2021 = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]


def test_the_2021_section_three_rows_are_the_25_rows_of_the_spec() -> None:
    assert [r.label for r in V2021.s3_rows] == SPEC_ROWS_2021


def test_the_2019_form_prints_other_handling_as_one_row() -> None:
    labels = [r.label for r in V2019.s3_rows]
    assert len(labels) == 23
    assert "（六）其他处理" in labels
    assert "3.其他" not in labels


def test_section_headings_are_exact() -> None:
    assert [s.heading for s in V2021.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_columns_and_corner_text() -> None:
    assert [c.label for c in V2021.s3_columns] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert (
        V2021.s3_corner
        == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    )
    assert [c.label for c in V2021.s4_columns] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ]


def test_section_two_tables_of_both_formats() -> None:
    assert [t.caption for t in V2021.s2_tables] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert [c.label for c in V2021.s2_tables[0].columns] == [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert V2021.s2_tables[3].columns[0].label == "本年收费金额（单位：万元）"
    assert [t.caption for t in V2019.s2_tables][-1] == "第二十条第（九）项"
    assert [c.label for c in V2019.s2_tables[1].columns] == [
        "上一年项目数量",
        "本年增/减",
        "处理决定数量",
    ]


@pytest.mark.parametrize(("version", "count"), [("2021", 200), ("2019", 198)])
def test_cell_key_counts(version: str, count: int) -> None:
    keys = cell_keys(version)
    assert len(keys) == len(set(keys)) == count


def test_result_rows_add_up_to_the_total_row() -> None:
    rows = s3_result_rows("2021")
    assert len(rows) == 21 and rows[0] == "granted" and rows[-1] == "other.other"
    assert s3_result_rows("2019")[-1] == "other.subtotal"


def test_aliases_cover_the_seed_quirks_of_the_spec() -> None:
    assert "本年度止件数" in ALIASES["本年废止件数"]
    assert "2.其他法律法规禁止公开" in ALIASES["2.其他法律行政法规禁止公开"]


@pytest.mark.parametrize(
    ("year", "version"),
    [(2024, "2021"), (2021, "2021"), (2020, "2019"), (2019, "2019"), (2018, "legacy")],
)
def test_format_by_report_year(year: int, version: str) -> None:
    assert version_for_year(year) == version


def test_unknown_versions_have_no_schema() -> None:
    with pytest.raises(KeyError):
        schema_for("legacy")


@requires_corpus
def test_every_truth_key_is_a_schema_key() -> None:
    known = set(cell_keys("2021")) | set(optional_cell_keys())
    for t in truths():
        assert set(t.cells) <= known, t.id
