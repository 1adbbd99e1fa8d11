"""The checks agree with the hand-read corpus truth (shared/corpus/truth/*.json)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core.annual.checks import validate
from gongkai.core.annual.model import Report
from gongkai.core.tests.annual_fixtures import CORPUS

TRUTH_DIR = CORPUS / "truth"
TRUTH_FILES = sorted(TRUTH_DIR.glob("*.json"))

# The names the corpus uses in ``failed_checks`` → the spec §6 check ID.
TRUTH_CHECK_IDS = {
    "sum(results)==total": "T3_RESULT_TOTAL",
    "new+carried==total+carry_forward": "T3_BALANCE",
    "row sum==total": "T3_ROW_TOTAL",
    "s4 outcomes==total": "T4_GROUP_TOTAL",
}
ARITHMETIC_PREFIXES = ("T3_", "T4_")

pytestmark = pytest.mark.skipif(not TRUTH_FILES, reason="shared corpus not available")


def load_truth(path: Path) -> tuple[dict[str, object], Report]:
    truth = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    version = "2019" if "2019" in str(truth.get("template", "")) else "2021"
    report = Report(
        version=version,
        year=truth["year"],
        agency=truth["agency"],
        cells=truth["cells"],
    )
    return truth, report


def expected_failures(truth: dict[str, object]) -> set[tuple[str, str]]:
    """(check ID, column) pairs from ``failed_checks`` like ``sum(results)==total [natural]``."""
    pairs = set()
    for failed in truth["failed_checks"]:  # type: ignore[attr-defined]
        match = re.fullmatch(r"(.+?) \[(\w+)\]", failed["check"])
        assert match, failed["check"]
        pairs.add((TRUTH_CHECK_IDS[match.group(1)], match.group(2)))
    return pairs


@pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.stem)
def test_arithmetic_checks_agree_with_the_truth(path: Path) -> None:
    truth, report = load_truth(path)
    errors = [
        f
        for f in validate(report)
        if f.severity == "error" and f.code.startswith(ARITHMETIC_PREFIXES)
    ]
    assert (not errors) == truth["arith_consistent"]
    found = {(f.code, f.keys[0].rsplit(".", 1)[1]) for f in errors}
    assert found == expected_failures(truth)


def test_pingtan_2020_fails_the_result_total_in_natural_and_total_columns() -> None:
    _, report = load_truth(TRUTH_DIR / "pingtan_2020_oldformat.json")
    # The truth file holds cells only (no narrative), so look at the tables.
    errors = [
        f
        for f in validate(report)
        if f.severity == "error" and f.code.startswith(ARITHMETIC_PREFIXES)
    ]
    # results add to 26 (natural) / 27 (total) but （七）总计 prints 20 / 21
    assert {f.code for f in errors} == {"T3_RESULT_TOTAL"}
    messages = " ".join(f.message for f in errors)
    assert "26" in messages and "20" in messages and "27" in messages


def test_pingtan_2021_to_2022_carry_over_and_in_force_agree() -> None:
    _, last = load_truth(TRUTH_DIR / "pingtan_2021.json")
    _, this = load_truth(TRUTH_DIR / "pingtan_2022.json")
    cross = [f for f in validate(this, previous=last) if f.code.startswith("XY_")]
    assert cross == []
