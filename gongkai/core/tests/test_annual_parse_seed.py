"""The seed report (spec §9a): every cell read, the 6-value row flagged."""

from __future__ import annotations

import pytest

from gongkai.core.annual.parse import parse_bytes, parse_text
from gongkai.core.annual.schema import cell_keys
from gongkai.core.tests.annual_fixtures import (
    SEED_FILE,
    requires_corpus,
    same_number,
    truth,
)

pytestmark = [
    requires_corpus,
    pytest.mark.skipif(not SEED_FILE.is_file(), reason="seed file not present"),
]


def test_the_seed_parses_to_every_truth_cell() -> None:
    report = parse_text(SEED_FILE.read_text(encoding="utf-8"))
    expected = truth("seed_luopu_2021").cells
    assert set(report.cells) == set(cell_keys("2021"))
    assert {
        k for k in expected if not same_number(report.cells[k], expected[k])
    } == set()


def test_the_row_printing_six_values_gets_a_row_short_diagnostic() -> None:
    report = parse_bytes(SEED_FILE.read_bytes(), SEED_FILE.name)
    short = [d for d in report.diagnostics if d.code == "parse.row_short"]
    assert len(short) == 1
    assert "s3.unable.not_held.natural" in short[0].keys
    # its cells are recovered from the table's sums, so they are not "certain"
    assert report.provenance["s3.unable.not_held.total"].confidence == "inferred"
    assert "parse.row_recovered_by_sum" in {d.code for d in report.diagnostics}


def test_the_seed_rows_printed_in_full_are_certain() -> None:
    report = parse_text(SEED_FILE.read_text(encoding="utf-8"))
    assert report.provenance["s3.withheld.state_secret.natural"].confidence == "certain"
    assert report.provenance["s2.fees.amount_wan"].confidence == "certain"


def test_the_seed_metadata_and_sections() -> None:
    report = parse_text(SEED_FILE.read_text(encoding="utf-8"))
    assert report.version == "2021"
    assert report.year == 2021
    assert report.agency == "老城区洛浦街道办事处"
    assert report.title == "老城区洛浦街道办事处2021年政府信息公开工作年度报告"
    assert list(report.sections) == ["一", "二", "三", "四", "五", "六"]
    assert report.sections["六"] == "无"
