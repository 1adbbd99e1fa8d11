"""Bad inputs from ``garbled/`` give a Report with the right diagnostic, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core.annual.parse import CODES, parse_bytes

GARBLED = Path(__file__).parent / "garbled"

# file -> diagnostic codes that must be present
EXPECTED: dict[str, set[str]] = {
    "empty.txt": {"parse.empty_input"},
    "whitespace.txt": {"parse.empty_input"},
    "random.bin": {"parse.not_a_report"},
    "truncated.pdf": {"parse.pdf_unreadable"},
    "blank_page.pdf": {"parse.pdf_no_text"},
    "image_only.pdf": {"parse.pdf_no_text"},
    "truncated.docx": {"parse.docx_unreadable"},
    "old_word.doc": {"parse.unsupported_format"},
    "unrelated_notice.txt": {"parse.not_a_report"},
    "mojibake.txt": {"parse.not_a_report"},
    "gbk_declared_utf8.html": {"parse.encoding_fallback"},
    "cut_in_table.txt": {"parse.row_missing", "parse.table_missing"},
    "html_without_body.html": {"parse.empty_input"},
    "deeply_nested.html": {"parse.not_a_report"},
}


def test_every_garbled_file_has_an_expectation() -> None:
    names = {p.name for p in GARBLED.iterdir() if p.suffix != ".py" and p.is_file()}
    assert names == set(EXPECTED)


@pytest.mark.parametrize(("name", "codes"), sorted(EXPECTED.items()))
def test_garbled_input_gives_its_diagnostic(name: str, codes: set[str]) -> None:
    report = parse_bytes((GARBLED / name).read_bytes(), name)
    found = {d.code for d in report.diagnostics}
    assert codes <= found
    assert found <= set(CODES)
    assert "parse.internal_error" not in found


@pytest.mark.parametrize(
    "name",
    ["random.bin", "truncated.pdf", "image_only.pdf", "truncated.docx", "mojibake.txt"],
)
def test_unreadable_input_yields_no_cells(name: str) -> None:
    report = parse_bytes((GARBLED / name).read_bytes(), name)
    assert report.cells == {}
    assert report.version == "unknown"


def test_wrongly_declared_encoding_still_reads_every_cell() -> None:
    report = parse_bytes((GARBLED / "gbk_declared_utf8.html").read_bytes(), "x.html")
    assert report.agency == "老城区洛浦街道办事处"
    assert report.cells["s2.coercion.decisions"] == 4
    assert report.cells["s2.license.decisions"] == 3


def test_a_report_cut_inside_table_three_keeps_what_was_printed() -> None:
    report = parse_bytes((GARBLED / "cut_in_table.txt").read_bytes(), "cut.txt")
    # spec §9a: the seed prints 行政强制 4, and rows before the cut are all 0
    assert report.cells["s2.coercion.decisions"] == 4
    assert report.cells["s3.withheld.third_party.total"] == 0
    # rows after the cut are unknown, not zero
    assert report.cells["s3.rejected.repeat.total"] is None
    assert report.provenance["s3.rejected.repeat.total"].confidence == "unknown"
    assert report.cells["s4.review.total"] is None
