"""`gongkai report` on the real corpus, with the real parsers, and through the
installed console script in a subprocess."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from gongkai.cli import main
from gongkai.core.tests.annual_fixtures import CORPUS

RAW = CORPUS / "raw"
SCRIPT = Path(sys.executable).parent / "gongkai"

pytestmark = pytest.mark.skipif(not RAW.is_dir(), reason="shared corpus not available")


def test_check_fails_the_2020_pingtan_report_on_its_result_total(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # corpus README: results add to 27 (自然人 26) but （七）总计 prints 21 (20)
    assert main(["report", "check", str(RAW / "pingtan_2020_oldformat.txt")]) == 1
    out = capsys.readouterr().out
    assert "T3_RESULT_TOTAL" in out
    assert "2019年格式" in out


def test_check_passes_the_seed_with_the_fee_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # spec §9a: all §6.1/6.2 checks pass; 六 says only "无" → NARR_FEE warning
    assert main(["report", "check", str(RAW / "seed_luopu_2021.txt")]) == 0
    out = capsys.readouterr().out
    assert "老城区洛浦街道办事处" in out and "NARR_FEE" in out


def test_check_across_years_for_pingtan_2021_to_2022(
    capsys: pytest.CaptureFixture[str],
) -> None:
    this, last = RAW / "pingtan_2022.txt", RAW / "pingtan_2021.txt"
    assert main(["report", "check", str(this), "--previous", str(last), "--all"]) == 0
    out = capsys.readouterr().out
    assert "XY_CARRY" not in out  # 2021 carried forward 1 (自然人); 2022 carried 1


@pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed")
def test_the_installed_script_checks_a_report_in_a_subprocess() -> None:
    result = subprocess.run(
        [str(SCRIPT), "report", "check", str(RAW / "pingtan_2020_oldformat.txt")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "T3_RESULT_TOTAL" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not SCRIPT.exists(), reason="console script not installed")
def test_the_installed_script_reports_a_missing_file_in_chinese() -> None:
    result = subprocess.run(
        [str(SCRIPT), "report", "parse", "/nonexistent/report.txt"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "找不到文件" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_audit_of_the_corpus_has_a_row_per_file(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / f"summary{suffix}"
    assert main(["report", "audit", str(RAW), "-o", str(output)]) == 0
    if suffix == ".csv":
        with output.open(encoding="utf-8-sig", newline="") as handle:
            rows = [list(row.values()) for row in csv.DictReader(handle)]
    else:
        sheet = openpyxl.load_workbook(output)["审核汇总"]
        rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    files = sorted(p.name for p in RAW.iterdir() if p.is_file())
    assert [row[0] for row in rows] == files
    by_file = {row[0]: row for row in rows}
    pingtan_2020 = by_file["pingtan_2020_oldformat.txt"]
    assert "T3_RESULT_TOTAL" in pingtan_2020[7]
    assert int(pingtan_2020[4]) >= 1
    assert "9/9" in capsys.readouterr().err


def test_audit_in_two_processes_writes_the_same_summary(tmp_path: Path) -> None:
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert main(["report", "audit", str(RAW), "-o", str(one)]) == 0
    assert main(["report", "audit", str(RAW), "-o", str(two), "--jobs", "2"]) == 0
    assert one.read_bytes() == two.read_bytes()


def test_parse_json_carries_confidence_and_place_per_cell(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 20 req. 6: per cell the value, the confidence and where it was read."""
    assert main(["report", "parse", str(RAW / "hongze_2024.pdf"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    provenance = data["provenance"]
    assert set(provenance) == set(data["cells"])
    # the truth gives 95 new applications (自然人 column: see corpus truth)
    new = provenance["s3.new.total"]
    assert new["confidence"] == "certain"
    assert new["page"] >= 1 and new["line"] >= 1
    assert "第" in new["where"]
    assert {p["confidence"] for p in provenance.values()} <= {
        "certain",
        "inferred",
        "unknown",
    }


def test_parse_json_of_a_text_dump_says_which_cells_were_split(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", "parse", str(RAW / "pingtan_2021.txt"), "--json"]) == 0
    provenance = json.loads(capsys.readouterr().out)["provenance"]
    # 行政规范性文件693665: no sum relates the three cells
    assert provenance["s2.normative.in_force"]["confidence"] == "unknown"
    assert provenance["s2.normative.in_force"]["page"] is None
    assert any(p["confidence"] == "inferred" and p["note"] for p in provenance.values())
