"""Checks that must not cry wolf (issue 20, requirement 5)."""

from __future__ import annotations

import pytest

from gongkai.core.annual.checks import validate
from gongkai.core.annual.model import Finding
from gongkai.core.annual.parse import parse_bytes, parse_text
from gongkai.core.tests.annual_fixtures import CORPUS, requires_corpus
from gongkai.core.tests.test_annual_checks_factories import set_row, zero_report


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


@pytest.mark.parametrize(
    "text",
    [
        "本年度未产生信息公开处理费。",
        "本机关无向申请人收取政府信息公开费用的情况。",
        "本年度未收取任何费用。",
        "2022年本机关政府信息公开收费0元。",
        "本年度未收取信息处理费。",
        "本年度政府信息公开工作未发生收费\n情况。",
    ],
)
def test_fee_statements_worded_in_other_ways_are_accepted(text: str) -> None:
    report = zero_report(year=2022)
    report.sections["六"] = text
    assert "NARR_FEE" not in codes(validate(report))


@pytest.mark.parametrize(
    "text", ["无", "本年度无其他需要报告的事项。", "加强经费保障，落实工作要点。"]
)
def test_a_section_six_without_any_fee_statement_still_warns(text: str) -> None:
    report = zero_report(year=2022)
    report.sections["六"] = text
    found = [f for f in validate(report) if f.code == "NARR_FEE"]
    assert [f.severity for f in found] == ["warning"]


@pytest.mark.parametrize(
    ("year", "expected"), [(2019, False), (2020, False), (2021, True)]
)
def test_the_fee_statement_is_required_from_the_2021_report_year(
    year: int, expected: bool
) -> None:
    """国办函〔2020〕109号 took effect on 2021-01-01 (core/fees.py holds the date)."""
    report = zero_report("2021", year=year)
    report.sections["六"] = "无"
    assert ("NARR_FEE" in codes(validate(report))) is expected


def test_the_2019_template_report_of_2020_gets_no_fee_warning() -> None:
    report = zero_report("2019", year=2020)
    report.sections["六"] = "无"
    assert "NARR_FEE" not in codes(validate(report))


def test_unpaid_fee_closures_still_need_the_fee_notices() -> None:
    report = zero_report(year=2022)
    set_row(report, "new", natural=1)
    set_row(report, "other.no_fee", natural=1)
    set_row(report, "total", natural=1)
    report.sections["六"] = "本年度未产生信息公开处理费。"
    assert "NARR_FEE" in codes(validate(report))


@requires_corpus
def test_a_report_that_omits_the_regulations_row_gets_a_warning_not_an_error() -> None:
    """A 街道 (no power to make 规章) leaves the 规章 row out of section 二."""
    text = (CORPUS / "raw" / "seed_luopu_2021.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    kept = [line for line in lines if not line.lstrip().startswith("规章")]
    assert len(kept) == len(lines) - 1
    report = parse_text("\n".join(kept))
    about_regulations = [
        d for d in report.diagnostics if "s2.regulations.issued" in d.keys
    ]
    assert about_regulations
    assert {d.severity for d in about_regulations} == {"warning"}
    assert report.cells["s2.regulations.issued"] is None
    # the rest of section 二 is still read
    assert report.cells["s2.normative.issued"] == 0


@requires_corpus
def test_the_2020_corpus_report_gets_no_fee_warning() -> None:
    path = CORPUS / "raw" / "pingtan_2020_oldformat.txt"
    report = parse_bytes(path.read_bytes(), path.name)
    assert report.year == 2020
    assert "NARR_FEE" not in codes(validate(report))
