"""`gongkai report audit`: parse and check every report in a directory, write one
summary table (.xlsx or .csv), with cross-year checks and a progress bar.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from gongkai.cli.report_common import (
    EXIT_OK,
    CliError,
    UnreadableReport,
    _count,
    _os_reason,
    all_findings,
    load_report,
)
from gongkai.core.annual.checks import CROSS_YEAR_RULES
from gongkai.core.annual.model import Finding, Report

# --------------------------------------------------------------------------
# audit
# --------------------------------------------------------------------------

AUDIT_HEADER = (
    "文件",
    "机关",
    "年度",
    "格式",
    "错误数",
    "警告数",
    "提示数",
    "问题代码",
    "状态",
)


@dataclass
class AuditRow:
    file: str
    agency: str = ""
    year: int | None = None
    version: str = ""
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    codes: list[str] = field(default_factory=list)
    status: str = "已审核"

    def values(self) -> list[Any]:
        return [
            self.file,
            self.agency,
            self.year,
            self.version,
            self.errors,
            self.warnings,
            self.infos,
            " ".join(self.codes),
            self.status,
        ]


def _audit_files(directory: Path) -> list[Path]:
    """Every regular, non-hidden file under ``directory``, in a stable order."""
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


def _audit_one(path: Path, name: str) -> tuple[AuditRow, Report | None]:
    try:
        report = load_report(path)
    except CliError as exc:
        reason = exc.reason if isinstance(exc, UnreadableReport) else str(exc)
        return AuditRow(name, status=f"无法读取：{reason}"), None
    row = AuditRow(
        file=name, agency=report.agency or "", year=report.year, version=report.version
    )
    _add_findings(row, all_findings(report))
    return row, _cross_year_view(report)


def _add_findings(row: AuditRow, findings: Sequence[Finding]) -> None:
    counts = _count(findings)
    row.errors += counts["error"]
    row.warnings += counts["warning"]
    row.infos += counts["info"]
    row.codes = sorted({*row.codes, *(finding.code for finding in findings)})


_CROSS_YEAR_ROWS = ("s3.carried.", "s3.carry_forward.")
_CROSS_YEAR_SUFFIXES = (".issued", ".repealed", ".in_force")


def _cross_year_view(report: Report) -> Report:
    """Only what the cross-year checks read, so a large audit stays small in memory."""
    cells = {
        key: value
        for key, value in report.cells.items()
        if key.startswith(_CROSS_YEAR_ROWS)
        or (key.startswith("s2.") and key.endswith(_CROSS_YEAR_SUFFIXES))
    }
    return Report(
        version=report.version, year=report.year, agency=report.agency, cells=cells
    )


def _add_cross_year_findings(audited: Sequence[tuple[AuditRow, Report | None]]) -> None:
    """XY_* checks between reports of the same agency for consecutive years."""
    by_agency_year: dict[tuple[str, int], Report] = {}
    for _, report in audited:
        if report is not None and report.agency and report.year is not None:
            by_agency_year.setdefault((report.agency, report.year), report)
    for row, report in audited:
        if report is None or not report.agency or report.year is None:
            continue
        previous = by_agency_year.get((report.agency, report.year - 1))
        if previous is not None:
            findings = [f for rule in CROSS_YEAR_RULES for f in rule(report, previous)]
            _add_findings(row, findings)


class ProgressBar:
    """A one-line text progress bar on stderr: ``[#####-----] 5/10 name``.

    On a terminal the line is redrawn in place; in a log file (not a TTY) a
    line is written only when the bar grows, so a long audit stays readable.
    """

    def __init__(
        self, total: int, stream: TextIO | None = None, width: int = 30
    ) -> None:
        self.total, self.width = total, width
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self._last_filled = -1

    def show(self, done: int, label: str = "") -> None:
        filled = self.width * done // self.total if self.total else self.width
        if not self.interactive and filled == self._last_filled:
            return
        self._last_filled = filled
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"[{bar}] {done}/{self.total} {label[:40]}"
        if self.interactive:
            self.stream.write(f"\r{line:<80}")
        else:
            self.stream.write(line.rstrip() + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()


def _write_audit_csv(rows: Sequence[AuditRow], output: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(AUDIT_HEADER)
    writer.writerows(row.values() for row in rows)
    # UTF-8 with BOM so that Excel opens the Chinese text correctly.
    output.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")


def _write_audit_xlsx(rows: Sequence[AuditRow], output: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "审核汇总"
    sheet.append(list(AUDIT_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row.values())
    for column, width in zip("ABCDEFGHI", (40, 30, 8, 8, 8, 8, 8, 50, 40)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    workbook.save(output)


_AUDIT_WRITERS: dict[str, Callable[[Sequence[AuditRow], Path], None]] = {
    ".csv": _write_audit_csv,
    ".xlsx": _write_audit_xlsx,
}


def _audit_all(
    files: Sequence[Path], names: Sequence[str], *, jobs: int
) -> list[tuple[AuditRow, Report | None]]:
    """Parse and check every file, in order; ``jobs`` > 1 uses that many processes."""
    progress = ProgressBar(len(files))
    audited: list[tuple[AuditRow, Report | None]] = []
    if jobs > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = pool.map(_audit_one, files, names, chunksize=4)
            for done, (name, result) in enumerate(zip(names, results), start=1):
                audited.append(result)
                progress.show(done, name)
    else:
        for done, (path, name) in enumerate(zip(files, names), start=1):
            progress.show(done - 1, name)
            audited.append(_audit_one(path, name))
    progress.show(len(files))
    progress.finish()
    return audited


def cmd_audit(args: argparse.Namespace) -> int:
    directory, output = Path(args.directory), Path(args.output)
    if not directory.is_dir():
        raise CliError(f"找不到目录：{directory}")
    writer = _AUDIT_WRITERS.get(output.suffix.lower())
    if writer is None:
        raise CliError(f"汇总文件须以 .xlsx 或 .csv 结尾：{output}")
    files = _audit_files(directory)
    names = [path.relative_to(directory).as_posix() for path in files]
    audited = _audit_all(files, names, jobs=args.jobs)
    _add_cross_year_findings(audited)
    rows = [row for row, _ in audited]
    try:
        writer(rows, output)
    except OSError as exc:
        raise CliError(f"无法写入 {output}：{_os_reason(exc)}") from exc
    _print_audit_summary(rows, output)
    return EXIT_OK


def _print_audit_summary(rows: Sequence[AuditRow], output: Path) -> None:
    unreadable = [row for row in rows if row.status != "已审核"]
    with_errors = sum(1 for row in rows if row.errors)
    print(
        f"共 {len(rows)} 个文件：{len(rows) - len(unreadable)} 个已审核"
        f"（其中 {with_errors} 个有错误），{len(unreadable)} 个无法读取。汇总已写入 {output}。",
        file=sys.stderr,
    )
    for row in unreadable:
        print(
            f"  无法读取：{row.file}（{row.status.removeprefix('无法读取：')}）",
            file=sys.stderr,
        )
