"""Digit runs decided by the same body's other years (issue 20, requirement 4).

Pingtan's text dumps print section 二 (一) as one run (`行政规范性文件693665`); alone a
report cannot cut it. The next year's 现行有效 − 制发 + 废止 gives this year's 现行有效;
last year's 现行有效 + 制发 − 废止 must give this year's. Section 三's 上年结转 is last
year's 结转下年度.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from gongkai.cli import main
from gongkai.core.annual.cross_year import CROSS_YEAR_NOTE, resolve_across_years
from gongkai.core.annual.model import Report
from gongkai.core.annual.parse import parse_bytes, parse_text
from gongkai.core.tests.annual_fixtures import CORPUS, requires_corpus, truth

pytestmark = requires_corpus
RAW = CORPUS / "raw"
NORMATIVE = ("s2.normative.issued", "s2.normative.repealed", "s2.normative.in_force")
COLUMNS = ("natural", "commercial", "research", "social", "legal", "other", "total")


def _corpus(name: str) -> Report:
    path = RAW / name
    return parse_bytes(path.read_bytes(), path.name)


def _pingtan_2023_text() -> str:
    """Pingtan 2022 as if for 2023, its 规范性文件 row printed as the run 105703:
    10 issued, 5 repealed, 703 in force (698 + 10 − 5). Alone the run has several
    cuts (1/0/5703, 10/5/703, 10/570/3, 105/70/3 …); the narrative's 698 is removed."""
    text = (RAW / "pingtan_2022.txt").read_text(encoding="utf-8")
    assert "行政规范性文件8855698" in text
    return (
        text.replace("2022", "2023")
        .replace("行政规范性文件8855698", "行政规范性文件105703")
        .replace("行政规范性文件698", "行政规范性文件")
    )


def test_next_year_decides_this_years_in_force_cell() -> None:
    reports = {2021: _corpus("pingtan_2021.txt"), 2022: _corpus("pingtan_2022.txt")}
    assert reports[2021].cells["s2.normative.in_force"] is None  # alone: ambiguous
    resolve_across_years(reports)
    report = reports[2021]
    expected = truth("pingtan_2021").cells
    assert report.cells["s2.normative.in_force"] == expected["s2.normative.in_force"]
    provenance = report.provenance["s2.normative.in_force"]
    assert provenance.confidence == "inferred"
    assert provenance.note.startswith(CROSS_YEAR_NOTE)
    # 69/3 and 6/93 both still fit: left unknown, named by the finding
    assert report.cells["s2.normative.issued"] is None
    codes = {d.code: d.keys for d in report.diagnostics}
    assert codes["parse.digits_split_cross_year"] == ("s2.normative.in_force",)
    assert codes["parse.digits_ambiguous"] == NORMATIVE[:2]


def test_last_year_decides_a_whole_row() -> None:
    alone = parse_text(_pingtan_2023_text())
    assert [alone.cells[k] for k in NORMATIVE] == [None, None, None]
    reports = {
        2022: _corpus("pingtan_2022.txt"),
        2023: parse_text(_pingtan_2023_text()),
    }
    resolve_across_years(reports)
    report = reports[2023]
    assert [report.cells[k] for k in NORMATIVE] == [10, 5, 703]
    assert {report.provenance[k].confidence for k in NORMATIVE} == {"inferred"}
    codes = [d.code for d in report.diagnostics]
    assert "parse.digits_ambiguous" not in codes
    assert "parse.digits_split_cross_year" in codes


def _carry_report(year: int, **cells: object) -> Report:
    report = Report(version="2021", year=year, agency="某县")
    report.cells.update(cells)  # type: ignore[arg-type]
    return report


def test_last_years_carry_forward_decides_this_years_carried_row() -> None:
    keys = tuple(f"s3.carried.{c}" for c in COLUMNS)
    last = _carry_report(
        2022,
        **{f"s3.carry_forward.{c}": v for c, v in zip(COLUMNS, (1, 0, 0, 0, 0, 1, 2))},
    )
    this = _carry_report(2023, **dict.fromkeys(keys))
    # two readings that both keep the row's own sum
    this.ambiguous[keys] = [(1, 0, 0, 0, 0, 1, 2), (0, 1, 0, 0, 0, 1, 2)]
    resolve_across_years({2022: last, 2023: this})
    assert [this.cells[k] for k in keys] == [1, 0, 0, 0, 0, 1, 2]
    assert this.ambiguous == {}


def test_a_relation_no_cut_fits_is_ignored() -> None:
    """Bodies re-clean their document library: 现行有效 need not follow last year's."""
    reports = {
        2022: _corpus("pingtan_2022.txt"),
        2023: parse_text(_pingtan_2023_text()),
    }
    reports[2022].cells["s2.normative.in_force"] = 5000  # no cut of 105703 fits
    resolve_across_years(reports)
    assert [reports[2023].cells[k] for k in NORMATIVE] == [None, None, None]
    assert "parse.digits_split_cross_year" not in {
        d.code for d in reports[2023].diagnostics
    }


def _audit_codes(directory: Path, output: Path) -> dict[str, set[str]]:
    assert main(["report", "audit", str(directory), "-o", str(output)]) == 0
    with output.open(encoding="utf-8-sig", newline="") as handle:
        return {
            row["文件"]: set(row["问题代码"].split()) for row in csv.DictReader(handle)
        }


def test_report_audit_uses_the_other_years(tmp_path: Path) -> None:
    directory = tmp_path / "reports"
    directory.mkdir()
    (directory / "pingtan_2023.txt").write_text(_pingtan_2023_text(), encoding="utf-8")
    alone = _audit_codes(directory, tmp_path / "alone.csv")
    assert "parse.digits_ambiguous" in alone["pingtan_2023.txt"]
    shutil.copy(RAW / "pingtan_2022.txt", directory / "pingtan_2022.txt")
    together = _audit_codes(directory, tmp_path / "together.csv")
    assert "parse.digits_ambiguous" not in together["pingtan_2023.txt"]
    assert "parse.digits_split_cross_year" in together["pingtan_2023.txt"]


def test_resumed_audit_keeps_what_the_other_years_need(tmp_path: Path) -> None:
    """The journal of an interrupted audit keeps the ambiguous cuts."""
    directory = tmp_path / "reports"
    directory.mkdir()
    (directory / "pingtan_2023.txt").write_text(_pingtan_2023_text(), encoding="utf-8")
    shutil.copy(RAW / "pingtan_2022.txt", directory / "pingtan_2022.txt")
    output = tmp_path / "summary.csv"
    output.mkdir()  # the summary cannot be written: the journal stays
    assert main(["report", "audit", str(directory), "-o", str(output)]) != 0
    output.rmdir()
    assert main(["report", "audit", str(directory), "-o", str(output), "--resume"]) == 0
    with output.open(encoding="utf-8-sig", newline="") as handle:
        codes = {r["文件"]: r["问题代码"].split() for r in csv.DictReader(handle)}
    assert "parse.digits_split_cross_year" in codes["pingtan_2023.txt"]


def test_two_bodies_of_the_same_name_do_not_decide_each_others_digits(
    tmp_path: Path,
) -> None:
    """A body is its name plus its folder (year folders left out): the same name in
    two regions' folders is two bodies; one body's years in year folders are one."""
    directory = tmp_path / "national"
    (directory / "福建省").mkdir(parents=True)
    (directory / "某省").mkdir()
    (directory / "福建省" / "pingtan_2023.txt").write_text(
        _pingtan_2023_text(), encoding="utf-8"
    )
    shutil.copy(RAW / "pingtan_2022.txt", directory / "某省" / "pingtan_2022.txt")
    apart = _audit_codes(directory, tmp_path / "apart.csv")
    assert "parse.digits_ambiguous" in apart["福建省/pingtan_2023.txt"]
    assert "parse.digits_split_cross_year" not in apart["福建省/pingtan_2023.txt"]

    by_year = tmp_path / "by_year"
    (by_year / "2023" / "福建省").mkdir(parents=True)
    (by_year / "2022" / "福建省").mkdir(parents=True)
    (by_year / "2023" / "福建省" / "p.txt").write_text(
        _pingtan_2023_text(), encoding="utf-8"
    )
    shutil.copy(RAW / "pingtan_2022.txt", by_year / "2022" / "福建省" / "p.txt")
    together = _audit_codes(by_year, tmp_path / "together.csv")
    assert "parse.digits_split_cross_year" in together["2023/福建省/p.txt"]


def test_two_reports_of_one_name_and_year_in_a_folder_decide_nothing(
    tmp_path: Path,
) -> None:
    """Two bodies of the same name in one folder cannot be told apart: neither their
    years nor another year's report are matched with them."""
    directory = tmp_path / "flat"
    directory.mkdir()
    (directory / "pingtan_2023.txt").write_text(_pingtan_2023_text(), encoding="utf-8")
    shutil.copy(RAW / "pingtan_2022.txt", directory / "pingtan_2022.txt")
    shutil.copy(RAW / "pingtan_2022.txt", directory / "another_2022.txt")
    codes = _audit_codes(directory, tmp_path / "flat.csv")
    assert "parse.digits_ambiguous" in codes["pingtan_2023.txt"]
    assert "parse.digits_split_cross_year" not in codes["pingtan_2023.txt"]
