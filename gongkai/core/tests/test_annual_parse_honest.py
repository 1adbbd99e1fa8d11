"""Report what is printed (issue 20, requirements 3 and 5).

The inputs are real corpus reports with one printed figure changed in the test,
so the expected values are the hand-read truth, not the parser's output.
"""

from __future__ import annotations

from gongkai.core.annual.checks import validate
from gongkai.core.annual.parse import parse_bytes, parse_text
from gongkai.core.tests.annual_fixtures import (
    CORPUS,
    requires_corpus,
    same_number,
    truth,
)
from gongkai.core.tests.annual_layouts import html_report

pytestmark = requires_corpus

PARTIAL_KEYS = tuple(
    f"s3.partial.{c}"
    for c in ("natural", "commercial", "research", "social", "legal", "other", "total")
)


def _pingtan_2022() -> str:
    return (CORPUS / "raw" / "pingtan_2022.txt").read_text(encoding="utf-8")


def test_a_row_that_does_not_add_up_is_read_as_printed_and_reported() -> None:
    """`8100009` printed as `8100008`: 7 digits into 7 columns split one way only.

    The row then breaks its own sum (8 + 1 ≠ 8). It must be read as printed and
    the checks must report the arithmetic error naming the row's cells, not
    drop the row as "fewer values than columns".
    """
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形） "
    text = _pingtan_2022()
    assert text.count(label + "8100009") == 1
    report = parse_text(text.replace(label + "8100009", label + "8100008"))

    assert [report.cells[k] for k in PARTIAL_KEYS] == [8, 1, 0, 0, 0, 0, 8]
    assert {report.provenance[k].confidence for k in PARTIAL_KEYS} == {"certain"}
    codes = {d.code for d in report.diagnostics}
    assert "parse.row_short" not in codes
    assert "parse.digits_split_as_printed" in codes

    findings = validate(report)
    row_errors = [
        f for f in findings if f.code == "T3_ROW_TOTAL" and f.severity == "error"
    ]
    assert len(row_errors) == 1
    assert set(row_errors[0].keys) == set(PARTIAL_KEYS)
    # and the column relation of 总计 fails too, naming the partial cell
    assert any(
        f.code == "T3_RESULT_TOTAL" and "s3.partial.total" in f.keys for f in findings
    )
    # every other cell is still the truth
    expected = truth("pingtan_2022").cells
    expected["s3.partial.total"] = 8
    assert {
        k: (v, report.cells.get(k))
        for k, v in expected.items()
        if v is not None and not same_number(report.cells.get(k), v)
    } == {}


def test_the_unchanged_row_still_reads_without_an_error() -> None:
    report = parse_text(_pingtan_2022())
    assert [report.cells[k] for k in PARTIAL_KEYS] == [8, 1, 0, 0, 0, 0, 9]
    assert not [f for f in validate(report) if f.code == "T3_ROW_TOTAL"]


def test_digit_runs_with_several_splits_are_still_not_guessed() -> None:
    """`7130000` + `74`: no split of `71300074` satisfies the sum and it splits
    many ways, so nothing is read as printed with certainty."""
    text = _pingtan_2022().replace("713000074", "71300074", 1)
    report = parse_text(text)
    new = [f"s3.new.{c}" for c in ("natural", "commercial", "total")]
    assert all(report.provenance[k].confidence != "certain" for k in new)


def test_ambiguous_digit_findings_name_their_cells() -> None:
    """`行政规范性文件693665` splits several ways: the finding names the cells."""
    report = parse_bytes(
        (CORPUS / "raw" / "pingtan_2021.txt").read_bytes(), "pingtan_2021.txt"
    )
    ambiguous = [d for d in report.diagnostics if d.code == "parse.digits_ambiguous"]
    assert ambiguous
    assert all(d.keys for d in ambiguous)
    assert any("s2.normative.in_force" in d.keys for d in ambiguous)


def test_every_parse_finding_about_a_row_names_its_cells() -> None:
    for name in ("pingtan_2020_oldformat.txt", "pingtan_2021.txt", "pingtan_2024.txt"):
        report = parse_bytes((CORPUS / "raw" / name).read_bytes(), name)
        row_codes = {
            "parse.digits_ambiguous",
            "parse.row_recovered_by_sum",
            "parse.row_short",
            "parse.label_variant",
        }
        assert [
            d for d in report.diagnostics if d.code in row_codes and not d.keys
        ] == []


def test_blank_totals_filled_from_the_row_sum_say_so() -> None:
    cells = truth("pingtan_2024").cells
    page = html_report(
        cells,
        title="某某县2023年政府信息公开工作年度报告",
        printed={"s3.granted.total": ""},
    )
    report = parse_bytes(page.encode(), "p.html")
    assert report.cells["s3.granted.total"] == cells["s3.granted.total"]
    filled = [d for d in report.diagnostics if d.code == "parse.blank_from_row_sum"]
    assert len(filled) == 1
    assert filled[0].keys == ("s3.granted.total",)
    assert "按0计" not in filled[0].message.replace("不是按0计", "")
    # the message of the old code ("counted as 0") is not given for that row
    assert not [
        d
        for d in report.diagnostics
        if d.code == "parse.blank_as_zero" and "s3.granted.total" in d.keys
    ]


GRANTED_KEYS = tuple(k.replace("partial", "granted") for k in PARTIAL_KEYS)


def test_a_longer_run_that_does_not_add_up_is_read_within_the_total() -> None:
    """`210000021` printed as `191000019`: 7 cuts, none keeps the row's sum.

    Only 19 1 0 0 0 0 19 stays under （七）总计 (72 3 0 0 0 0 75 in the truth) in
    every column, so it is read as printed (inferred) and the checks report the
    row, instead of "fewer values than columns".
    """
    label = "（一）予以公开 "
    text = _pingtan_2022()
    assert text.count(label + "210000021") == 1
    report = parse_text(text.replace(label + "210000021", label + "191000019"))
    assert [report.cells[k] for k in GRANTED_KEYS] == [19, 1, 0, 0, 0, 0, 19]
    assert {report.provenance[k].confidence for k in GRANTED_KEYS} == {"inferred"}
    assert not [
        d
        for d in report.diagnostics
        if d.code == "parse.row_short" and set(d.keys) & set(GRANTED_KEYS)
    ]
    row_errors = [f for f in validate(report) if f.code == "T3_ROW_TOTAL"]
    assert [set(f.keys) for f in row_errors] == [set(GRANTED_KEYS)]
