"""`gongkai report …` through ``gongkai.cli.main``: exit codes, messages, files.

Most tests feed the CLI reports exported by our own JSON renderer (read back
exactly), so they pin the CLI's behaviour independently of how well the
parsers read published reports (``test_cli_report_corpus.py`` runs those on
the corpus and through the installed ``gongkai`` script).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from gongkai.cli import main
from gongkai.cli.report import ProgressBar
from gongkai.core.annual.model import Report
from gongkai.core.annual.render import render
from gongkai.core.tests.test_annual_checks_factories import (
    set_row,
    small_consistent_report,
    zero_report,
)


def write_report(path: Path, report: Report) -> Path:
    path.write_bytes(render(report, "json", findings=[]))
    return path


def broken_report() -> Report:
    report = small_consistent_report()
    set_row(report, "carry_forward", natural=2)  # T3_BALANCE error
    return report


# --------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------


def test_check_exits_0_for_a_consistent_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_report(tmp_path / "ok.json", small_consistent_report())
    assert main(["report", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "错误 0 个" in out
    assert "示例市示例区人民政府办公室" in out


def test_check_exits_1_and_lists_the_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_report(tmp_path / "bad.json", broken_report())
    assert main(["report", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "T3_BALANCE" in out and "[错误]" in out


def test_check_warnings_alone_do_not_fail(tmp_path: Path) -> None:
    report = zero_report()
    report.sections["六"] = "无"  # NARR_FEE warning
    path = write_report(tmp_path / "warn.json", report)
    assert main(["report", "check", str(path)]) == 0


def test_check_many_files_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_report(tmp_path / "a.json", small_consistent_report())
    bad = write_report(tmp_path / "b.json", broken_report())
    assert main(["report", "check", str(good), str(bad), "--json"]) == 1
    results = json.loads(capsys.readouterr().out)
    assert [r["file"] for r in results] == [str(good), str(bad)]
    assert results[0]["findings"] == []
    assert {f["code"] for f in results[1]["findings"]} == {"T3_BALANCE"}


def test_check_with_previous_year_reports_the_carry_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = zero_report(year=2020)
    set_row(last, "carry_forward", natural=3)
    previous = write_report(tmp_path / "2020.json", last)
    this = write_report(tmp_path / "2021.json", small_consistent_report())  # carried 1
    assert main(["report", "check", str(this), "--previous", str(previous)]) == 0
    assert "XY_CARRY" in capsys.readouterr().out


def test_a_missing_file_is_a_chinese_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "check", str(tmp_path / "nope.txt")]) == 2
    err = capsys.readouterr().err
    assert "找不到文件" in err and "Traceback" not in err


def test_an_unparsable_file_is_a_chinese_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))  # Word 97 (OLE)
    assert main(["report", "parse", str(path)]) == 2
    err = capsys.readouterr().err
    assert "无法解析" in err and "Traceback" not in err


def test_a_directory_given_as_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "check", str(tmp_path)]) == 2
    assert "是目录" in capsys.readouterr().err


def test_report_without_a_subcommand_prints_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report"]) == 2
    assert "子命令" in capsys.readouterr().out


# --------------------------------------------------------------------------
# parse
# --------------------------------------------------------------------------


def test_parse_lists_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_report(tmp_path / "r.json", small_consistent_report())
    assert main(["report", "parse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "s3.new.natural = 5" in out
    assert "200/200" in out


def test_parse_json_output_round_trips_the_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = small_consistent_report()
    path = write_report(tmp_path / "r.json", report)
    assert main(["report", "parse", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out, parse_float=Decimal)
    assert data["cells"] == report.cells
    assert data["year"] == 2021


# --------------------------------------------------------------------------
# render
# --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["txt", "html", "docx", "xlsx", "json"])
def test_render_writes_the_requested_format(tmp_path: Path, fmt: str) -> None:
    source = write_report(tmp_path / "r.json", small_consistent_report())
    output = tmp_path / f"out.{fmt}"
    assert main(["report", "render", str(source), "--to", fmt, "-o", str(output)]) == 0
    assert output.read_bytes() == render(small_consistent_report(), fmt)


def test_render_to_an_unwritable_place_is_a_chinese_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_report(tmp_path / "r.json", small_consistent_report())
    output = tmp_path / "no" / "such" / "dir" / "out.txt"
    assert (
        main(["report", "render", str(source), "--to", "txt", "-o", str(output)]) == 2
    )
    assert "无法写入" in capsys.readouterr().err  # the directory does not exist
    argv = ["report", "render", str(source), "--to", "txt", "-o", str(tmp_path)]
    assert main(argv) == 2
    assert "这是一个目录" in capsys.readouterr().err


def test_render_rejects_an_unknown_format_in_chinese(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "render", "x.json", "--to", "pdf", "-o", "y"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "错误：参数 --to 的值“pdf”无效" in err and "用法：" in err


def test_missing_arguments_are_named_in_chinese(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "render", "x.json"])
    assert exit_info.value.code == 2
    assert "缺少必需的参数：--to, -o/--output" in capsys.readouterr().err


def test_subcommand_help_is_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "check", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：gongkai report check")
    assert "显示本帮助并退出" in out and "上一年度的报告" in out


# --------------------------------------------------------------------------
# audit
# --------------------------------------------------------------------------


@pytest.fixture
def audit_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "reports"
    (directory / "sub").mkdir(parents=True)
    write_report(directory / "a_ok.json", small_consistent_report())
    write_report(directory / "sub" / "b_bad.json", broken_report())
    (directory / "c_unreadable.doc").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)
    )
    (directory / ".hidden.json").write_text("{}")
    return directory


def test_audit_writes_a_csv_row_per_file(
    audit_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "summary.csv"
    assert main(["report", "audit", str(audit_dir), "-o", str(output)]) == 0
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["文件"] for row in rows] == [
        "a_ok.json",
        "c_unreadable.doc",
        "sub/b_bad.json",
    ]
    ok, unreadable, bad = rows
    assert ok["错误数"] == "0" and ok["年度"] == "2021" and ok["格式"] == "2021"
    assert bad["错误数"] == "2" and bad["问题代码"] == "T3_BALANCE"
    assert unreadable["状态"].startswith("无法读取")
    err = capsys.readouterr().err
    assert "3/3" in err and "无法读取：c_unreadable.doc" in err


def test_audit_writes_an_xlsx_summary(audit_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "summary.xlsx"
    assert main(["report", "audit", str(audit_dir), "-o", str(output)]) == 0
    sheet = openpyxl.load_workbook(output)["审核汇总"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("文件", "机关", "年度", "格式", "错误数")
    assert len(rows) == 4
    assert rows[3][0] == "sub/b_bad.json" and rows[3][4] == 2


def test_audit_refuses_an_unknown_summary_type(
    audit_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "audit", str(audit_dir), "-o", "summary.pdf"]) == 2
    assert ".xlsx 或 .csv" in capsys.readouterr().err


def test_audit_of_a_missing_directory_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["report", "audit", str(tmp_path / "nope"), "-o", str(tmp_path / "s.csv")])
        == 2
    )
    assert "找不到目录" in capsys.readouterr().err


def test_check_lists_information_only_with_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = zero_report(year=2021)
    last.cells["s2.normative.in_force"] = 10  # this year: 0 + 0 − 0 = 0 → XY_IN_FORCE
    previous = write_report(tmp_path / "2021.json", last)
    this = write_report(tmp_path / "2022.json", zero_report(year=2022))
    argv = ["report", "check", str(this), "--previous", str(previous)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "提示 1 个" in out and "XY_IN_FORCE" not in out
    assert main([*argv, "--all"]) == 0
    assert "XY_IN_FORCE" in capsys.readouterr().out


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_in_a_log_writes_a_line_only_when_the_bar_grows() -> None:
    stream = io.StringIO()
    bar = ProgressBar(100, stream=stream, width=10)
    for done in range(101):
        bar.show(done, f"file{done}.txt")
    bar.finish()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11  # 0/10 … 10/10 of the bar
    assert lines[-1] == "[##########] 100/100 file100.txt"


def test_progress_bar_on_a_terminal_redraws_one_line() -> None:
    stream = _Terminal()
    bar = ProgressBar(3, stream=stream, width=3)
    for done in range(4):
        bar.show(done)
    bar.finish()
    output = stream.getvalue()
    assert output.count("\r") == 4 and output.endswith("\n")
    assert "[###] 3/3" in output


def test_audit_checks_consecutive_years_of_the_same_agency(tmp_path: Path) -> None:
    directory = tmp_path / "years"
    directory.mkdir()
    last = zero_report(year=2020)
    set_row(last, "new", natural=3)
    set_row(last, "carry_forward", natural=3)  # but 2021 says 1 carried over
    write_report(directory / "2020.json", last)
    write_report(directory / "2021.json", small_consistent_report())
    other = small_consistent_report()
    other.agency = "另一个机关"
    write_report(directory / "2021_other.json", other)
    output = tmp_path / "summary.csv"
    assert main(["report", "audit", str(directory), "-o", str(output)]) == 0
    with output.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["文件"]: row for row in csv.DictReader(handle)}
    assert rows["2021.json"]["问题代码"] == "XY_CARRY"
    assert rows["2021.json"]["警告数"] == "2"  # 自然人 and 总计 columns
    assert rows["2020.json"]["问题代码"] == ""
    assert rows["2021_other.json"]["问题代码"] == ""  # no previous year of its own


def test_render_with_the_regional_fee_decimals(tmp_path: Path) -> None:
    report = small_consistent_report()
    report.cells["s2.fees.amount_wan"] = Decimal("3")
    source = write_report(tmp_path / "r.json", report)
    output = tmp_path / "out.txt"
    argv = ["report", "render", str(source), "--to", "txt", "--fee-decimals", "4"]
    assert main([*argv, "-o", str(output)]) == 0
    assert "行政事业性收费\t3.0000\t\t" in output.read_text(encoding="utf-8")


def test_check_goes_on_past_an_unreadable_file_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_report(tmp_path / "a.json", small_consistent_report())
    missing = tmp_path / "missing.txt"
    assert main(["report", "check", str(missing), str(good), "--json"]) == 2
    captured = capsys.readouterr()
    results = json.loads(captured.out)
    assert results[0]["file"] == str(missing) and "找不到文件" in results[0]["error"]
    assert results[1]["file"] == str(good) and results[1]["findings"] == []
    assert "找不到文件" in captured.err
