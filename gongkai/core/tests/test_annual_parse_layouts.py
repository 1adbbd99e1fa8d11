"""Layout-robust text and markdown (issue 20, requirement 2).

Each test lays a corpus report's hand-read truth out as text (``text_report``),
then rearranges that text the way PDF-to-text and markdown extractions do. The
expected values are the truth, never the parser's output; a value the parser
cannot place must not come back ``certain`` and wrong.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from gongkai.core.annual.model import Report
from gongkai.core.annual.parse import parse_text
from gongkai.core.tests.annual_fixtures import (
    CORPUS,
    requires_corpus,
    same_number,
    truth,
)
from gongkai.core.tests.annual_layouts import text_report

pytestmark = requires_corpus

TITLE = "某某县交通运输局2023年政府信息公开工作年度报告"
STEMS = ("pingtan_2024", "shuyang_fgj_2023", "seed_luopu_2021", "pingtan_2022")
S3_HEADER = "自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计"
# a table row: a label (not only an item number) then tab-separated numbers
ROW = re.compile(r"^([^\t]*[^\t0-9.][^\t]*?)\t([0-9.\t]+)$")


def mismatches(report: Report, cells: dict[str, Any]) -> dict[str, Any]:
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


def laid_out(stem: str) -> tuple[str, dict[str, Any]]:
    cells = truth(stem).cells
    return text_report(cells, title=TITLE), cells


def markdown(text: str) -> str:
    """Tab rows as markdown table rows, a |---| line under each table's first row."""
    out: list[str] = []
    in_table = False
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            in_table = False
            continue
        cells = line.split("\t")
        out.append("| " + " | ".join(cells) + " |")
        if not in_table:
            out.append("|" + "---|" * len(cells))
        in_table = True
    return "\n".join(out)


def values_before_labels(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        m = ROW.match(line)
        out += [m.group(2), m.group(1)] if m else [line]
    return "\n".join(out)


def labels_broken_over_lines(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        m = ROW.match(line)
        if m and len(m.group(1)) > 6:
            label = m.group(1)
            half = len(label) // 2
            out += [label[:half], label[half:] + "\t" + m.group(2)]
        else:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("stem", STEMS)
def test_markdown_tables(stem: str) -> None:
    text, cells = laid_out(stem)
    report = parse_text(markdown(text))
    assert mismatches(report, cells) == {}


@pytest.mark.parametrize("stem", STEMS)
def test_values_printed_before_their_labels(stem: str) -> None:
    """Read the usual way every row would take the next row's numbers, certain."""
    text, cells = laid_out(stem)
    report = parse_text(values_before_labels(text))
    assert wrong_but_certain(report, cells) == []
    assert mismatches(report, cells) == {}
    assert "parse.values_before_label" in {d.code for d in report.diagnostics}
    # placement rests on the layout: not certain
    assert report.provenance["s3.new.natural"].confidence == "inferred"


@pytest.mark.parametrize("stem", STEMS)
def test_values_before_labels_in_markdown(stem: str) -> None:
    text, cells = laid_out(stem)
    report = parse_text(markdown(values_before_labels(text)))
    assert wrong_but_certain(report, cells) == []
    assert mismatches(report, cells) == {}


@pytest.mark.parametrize("stem", STEMS)
def test_labels_broken_over_lines(stem: str) -> None:
    text, cells = laid_out(stem)
    report = parse_text(labels_broken_over_lines(text))
    assert mismatches(report, cells) == {}


@pytest.mark.parametrize("stem", STEMS)
def test_one_table_printed_in_two_pieces(stem: str) -> None:
    text, cells = laid_out(stem)
    assert "（四）无法提供\n" in text
    pieces = text.replace(
        "（四）无法提供\n", f"\n（续表）\n申请人情况\n{S3_HEADER}\n（四）无法提供\n", 1
    )
    report = parse_text(pieces)
    assert mismatches(report, cells) == {}


@pytest.mark.parametrize("stem", STEMS)
def test_header_row_repeated_mid_table(stem: str) -> None:
    text, cells = laid_out(stem)
    repeated = text.replace("（五）不予处理\n", f"{S3_HEADER}\n（五）不予处理\n", 1)
    assert repeated != text
    report = parse_text(markdown(repeated))
    assert mismatches(report, cells) == {}


@pytest.mark.parametrize("stem", STEMS)
def test_section_three_rows_in_another_order(stem: str) -> None:
    text, cells = laid_out(stem)
    lines = text.split("\n")
    a = next(i for i, x in enumerate(lines) if x.startswith("2.其他法律"))
    b = next(i for i, x in enumerate(lines) if x.startswith("（二）部分公开"))
    lines[a], lines[a + 1] = lines[a + 1], lines[a]  # items 2 and 3 of （三）
    lines[b - 1], lines[b] = lines[b], lines[b - 1]  # （二） before （一）
    report = parse_text("\n".join(lines))
    assert mismatches(report, cells) == {}
    assert wrong_but_certain(report, cells) == []


@pytest.mark.parametrize("stem", STEMS)
def test_section_two_tables_in_another_order(stem: str) -> None:
    text, cells = laid_out(stem)
    a = text.index("第二十条第（五）项")
    b = text.index("第二十条第（六）项")
    c = text.index("第二十条第（八）项")
    report = parse_text(text[:a] + text[b:c] + text[a:b] + text[c:])
    assert mismatches(report, cells) == {}
    assert wrong_but_certain(report, cells) == []


def test_rows_of_the_2019_format_in_another_order() -> None:
    """The real 2019-template text dump with rows of 三 printed out of order."""
    text = (CORPUS / "raw" / "pingtan_2020_oldformat.txt").read_text(encoding="utf-8")
    granted, partial = (
        "（一）予以公开6000017",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）6000006",
    )
    petition, repeat = "1.信访举报投诉类申请0000000", "2.重复申请3000003"
    assert granted + partial in text and petition + repeat in text
    moved = text.replace(granted + partial, partial + granted).replace(
        petition + repeat, repeat + petition
    )
    report = parse_text(moved)
    t = truth("pingtan_2020_oldformat")
    assert mismatches(report, t.given_cells()) == {}
    assert wrong_but_certain(report, t.cells) == []
