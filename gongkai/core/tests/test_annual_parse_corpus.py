"""Every corpus file parses to its hand-read truth (``../shared/corpus``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core.annual.model import Report
from gongkai.core.annual.parse import parse_bytes
from gongkai.core.tests.annual_fixtures import (
    corpus_cases,
    requires_corpus,
    same_number,
    truth,
)

pytestmark = requires_corpus

# Cells the truth gives that no parser can read from these files alone, with
# the reason from the corpus README/truth notes. They must come back as None
# with confidence "unknown" and a parse.digits_ambiguous diagnostic, never as
# a guess.
UNREADABLE: dict[str, set[str]] = {
    # "行政规范性文件693665": three cells, no sum relates them, the narrative
    # quotes none of them; the truth took 69 from the HTML, which is not here.
    "pingtan_2021.txt": {
        "s2.normative.issued",
        "s2.normative.repealed",
        "s2.normative.in_force",
    },
    # "6233440": the narrative gives 制发62件 only; 33/440 came from the HTML.
    "pingtan_2024.txt": {"s2.normative.repealed", "s2.normative.in_force"},
}


@pytest.fixture(scope="module")
def parsed() -> dict[Path, Report]:
    return {
        path: parse_bytes(path.read_bytes(), path.name) for _id, path in corpus_cases()
    }


CASES = corpus_cases()
IDS = [path.name for _id, path in CASES]


@pytest.mark.parametrize(("truth_id", "path"), CASES, ids=IDS)
def test_every_given_cell_is_read_correctly(
    truth_id: str, path: Path, parsed: dict[Path, Report]
) -> None:
    report = parsed[path]
    unreadable = UNREADABLE.get(path.name, set())
    wrong = {
        key: (expected, report.cells.get(key))
        for key, expected in truth(truth_id).given_cells().items()
        if key not in unreadable and not same_number(report.cells.get(key), expected)
    }
    assert wrong == {}


@pytest.mark.parametrize(("truth_id", "path"), CASES, ids=IDS)
def test_no_wrong_value_is_marked_certain(
    truth_id: str, path: Path, parsed: dict[Path, Report]
) -> None:
    report = parsed[path]
    wrong_but_certain = [
        key
        for key, expected in truth(truth_id).cells.items()
        if expected is not None
        and report.cells.get(key) is not None
        and not same_number(report.cells[key], expected)
        and report.provenance[key].confidence == "certain"
    ]
    assert wrong_but_certain == []


@pytest.mark.parametrize(
    ("name", "keys"), sorted(UNREADABLE.items()), ids=sorted(UNREADABLE)
)
def test_unreadable_cells_are_unknown_with_a_diagnostic(
    name: str, keys: set[str], parsed: dict[Path, Report]
) -> None:
    report = next(r for p, r in parsed.items() if p.name == name)
    for key in keys:
        assert report.cells[key] is None
        assert report.provenance[key].confidence == "unknown"
    assert "parse.digits_ambiguous" in {d.code for d in report.diagnostics}


@pytest.mark.parametrize(("truth_id", "path"), CASES, ids=IDS)
def test_version_year_and_agency_match_the_truth(
    truth_id: str, path: Path, parsed: dict[Path, Report]
) -> None:
    t = truth(truth_id)
    report = parsed[path]
    assert report.version == ("2019" if t.is_2019_template else "2021")
    assert report.year == t.year
    # truth agency may carry a remark in brackets: "平潭综合实验区 (管委会, …)"
    assert report.agency == t.data["agency"].split(" (")[0]


@pytest.mark.parametrize(("truth_id", "path"), CASES, ids=IDS)
def test_all_six_sections_are_found(
    truth_id: str, path: Path, parsed: dict[Path, Report]
) -> None:
    assert list(parsed[path].sections) == ["一", "二", "三", "四", "五", "六"]


@pytest.mark.parametrize(("truth_id", "path"), CASES, ids=IDS)
def test_inferred_values_say_why(
    truth_id: str, path: Path, parsed: dict[Path, Report]
) -> None:
    report = parsed[path]
    inferred = [k for k, p in report.provenance.items() if p.confidence == "inferred"]
    codes = {d.code for d in report.diagnostics}
    if inferred:
        assert codes & {
            "parse.digits_split_by_sum",
            "parse.digits_split_unique",
            "parse.digits_split_by_narrative",
            "parse.row_recovered_by_sum",
            "parse.blank_as_zero",
            "parse.blank_from_row_sum",
            "parse.digits_ambiguous",
            "parse.label_variant",
        }
    assert all(report.provenance[k].note for k in inferred)


def test_the_2019_report_keeps_the_other_row_as_one_row(
    parsed: dict[Path, Report],
) -> None:
    report = next(
        r for p, r in parsed.items() if p.name == "pingtan_2020_oldformat.txt"
    )
    expected = truth("pingtan_2020_oldformat").cells
    for col in ("natural", "total"):
        assert same_number(
            report.cells[f"s3.other.subtotal.{col}"],
            expected[f"s3.other.subtotal.{col}"],
        )
    assert "s3.other.no_supplement.natural" not in report.cells


def test_a_2021_report_printing_other_as_one_row_has_no_sub_items(
    parsed: dict[Path, Report],
) -> None:
    report = next(r for p, r in parsed.items() if p.name == "hongze_2024.pdf")
    assert report.cells["s3.other.no_fee.total"] is None
    assert report.cells["s3.other.subtotal.total"] == 0


def test_the_blank_template_is_reported_as_empty_not_as_zeros() -> None:
    from gongkai.core.tests.annual_fixtures import CORPUS

    report = parse_bytes(
        (CORPUS / "raw" / "blank_template.docx").read_bytes(), "blank_template.docx"
    )
    assert all(v is None for v in report.cells.values())
    assert "parse.tables_empty" in {d.code for d in report.diagnostics}


def test_the_pdf_layout_reading_also_gives_the_truth() -> None:
    """The fallback reading (lines rebuilt from character boxes) on the real PDF."""
    from gongkai.core.annual.parse.report import parse_doc
    from gongkai.core.annual.parse.sniff import read_bytes
    from gongkai.core.tests.annual_fixtures import CORPUS

    doc = read_bytes(
        (CORPUS / "raw" / "hongze_2024.pdf").read_bytes(), "hongze_2024.pdf"
    )
    report = parse_doc(doc.alternatives[0]())
    expected = truth("hongze_2024").given_cells()
    assert {
        k for k, v in expected.items() if not same_number(report.cells.get(k), v)
    } == set()


def test_values_printed_before_their_labels_in_layout_ordered_pdf_text() -> None:
    """pdfplumber's layout text of the real PDF puts some rows' numbers above
    their labels ("0 0 0 0 0 0 0" then "1.属于国家秘密"), and one group label
    among its rows; read as PDF text it must still give the truth."""
    pdfplumber = pytest.importorskip("pdfplumber")
    from gongkai.core.annual.parse.plain import text_doc
    from gongkai.core.annual.parse.report import parse_doc
    from gongkai.core.tests.annual_fixtures import CORPUS

    with pdfplumber.open(CORPUS / "raw" / "hongze_2024.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    report = parse_doc(text_doc(text, kind="pdf"))
    expected = truth("hongze_2024").given_cells()
    assert {
        k for k, v in expected.items() if not same_number(report.cells.get(k), v)
    } == set()
    assert "parse.values_before_label" in {d.code for d in report.diagnostics}
    assert report.provenance["s3.withheld.state_secret.total"].confidence == "inferred"
