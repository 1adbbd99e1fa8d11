"""`gongkai report audit`: parse and check every report in a directory, write one
summary table (.xlsx or .csv), with cross-year checks and a progress bar.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

from gongkai.cli.audit_row import AUDIT_HEADER, AuditRow
from gongkai.cli.report_audit_html import audit_html
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
from gongkai.core.annual.cross_year import Resolution, resolve_across_years
from gongkai.core.annual.cross_year import apply as apply_resolutions
from gongkai.core.annual.model import Finding, Report

# --------------------------------------------------------------------------
# audit
# --------------------------------------------------------------------------


def _audit_files(directory: Path) -> list[Path]:
    """Every regular, non-hidden file under ``directory``, in a stable order."""
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


def _audit_one(
    path: Path, name: str, resolutions: Sequence[Resolution] = ()
) -> tuple[AuditRow, Report | None]:
    """Parse and check one file; ``resolutions`` are cells the body's other years
    decided (``core/annual/cross_year.py``), written in before the checks run."""
    try:
        report = load_report(path)
    except CliError as exc:
        reason = exc.reason if isinstance(exc, UnreadableReport) else str(exc)
        return AuditRow(name, status=f"无法读取：{reason}"), None
    if resolutions:
        apply_resolutions(report, list(resolutions))
    row = AuditRow(
        file=name,
        agency=report.agency or "",
        year=report.year,
        version=report.version,
        cells_read=sum(v is not None for v in report.cells.values()),
        # cells the format has and this report prints (absent rows left out)
        cells_total=sum(
            value is not None or report.provenance[key].confidence != "certain"
            for key, value in report.cells.items()
            if key in report.provenance
        ),
    )
    _add_findings(row, all_findings(report))
    return row, _cross_year_view(report)


def _add_findings(row: AuditRow, findings: Sequence[Finding]) -> None:
    counts = _count(findings)
    row.errors += counts["error"]
    row.warnings += counts["warning"]
    row.infos += counts["info"]
    row.codes = sorted({*row.codes, *(finding.code for finding in findings)})
    # The most severe first, then truncated: an error is never left out for an info.
    kept = row.findings + [
        [f.severity, f.code, f.message, f.where, " ".join(f.keys)] for f in findings
    ]
    kept.sort(key=lambda f: _SEVERITY_ORDER.get(f[0], len(_SEVERITY_ORDER)))
    row.findings = kept[:_MAX_FINDINGS_KEPT]


# Per file, for the HTML summary, which says how many it leaves out (the counts in
# the table stay exact).
_MAX_FINDINGS_KEPT = 300
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


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
    ambiguous = {
        keys: cuts
        for keys, cuts in report.ambiguous.items()
        if all(key in cells for key in keys)
    }
    return Report(
        version=report.version,
        year=report.year,
        agency=report.agency,
        cells=cells,
        ambiguous=ambiguous,
    )


# A folder named for a year ("2023", "2023年", "2023年度") says when, not who.
_YEAR_FOLDER = re.compile(r"^(19|20)\d\d(年度?)?$")

BodyKey = tuple[str, str]


def body_key(agency: str, name: str) -> BodyKey:
    """Which body a report is: the agency it names plus the folder it sits in under
    the audited directory, year folders left out — so two 城关镇人民政府 in a national
    directory (…/甘肃省/…/城关镇人民政府.txt, …/河南省/…/城关镇人民政府.txt) are two
    bodies, while 2022/某局.txt and 2023/某局.txt are one."""
    parts = PurePosixPath(name).parent.parts
    return agency, "/".join(p for p in parts if not _YEAR_FOLDER.match(p))


def _bodies(
    audited: Sequence[tuple[AuditRow, Report | None]], names: Sequence[str]
) -> dict[BodyKey, dict[int, int]]:
    """Body -> year -> index of its report. A body with two reports for one year
    (two bodies of the same name in one folder) is left out: its years cannot be
    told apart, so none decides or checks another."""
    found: dict[BodyKey, dict[int, list[int]]] = {}
    for index, (_, report) in enumerate(audited):
        if report is not None and report.agency and report.year is not None:
            key = body_key(report.agency, names[index])
            found.setdefault(key, {}).setdefault(report.year, []).append(index)
    return {
        key: {year: indexes[0] for year, indexes in years.items()}
        for key, years in found.items()
        if all(len(indexes) == 1 for indexes in years.values())
    }


def _resolve_across_years(
    audited: list[tuple[AuditRow, Report | None]],
    files: Sequence[Path],
    names: Sequence[str],
) -> None:
    """Digit runs one report leaves ambiguous, decided by the same body's other
    years (issue 20, requirement 4; the body: :func:`body_key`); a file so helped is
    checked again with them."""
    for years in _bodies(audited, names).values():
        views = {year: audited[i][1] for year, i in years.items()}
        if len(views) < 2 or not any(
            v is not None and v.ambiguous for v in views.values()
        ):
            continue
        reports = {year: view for year, view in views.items() if view is not None}
        for year, resolutions in resolve_across_years(reports).items():
            i = years[year]
            row, _ = _audit_one(files[i], names[i], resolutions)
            audited[i] = (row, reports[year])


def _add_cross_year_findings(
    audited: Sequence[tuple[AuditRow, Report | None]], names: Sequence[str]
) -> None:
    """XY_* checks between reports of the same body (:func:`body_key`) for
    consecutive years."""
    for years in _bodies(audited, names).values():
        for year, index in years.items():
            previous_index = years.get(year - 1)
            row, report = audited[index]
            if previous_index is None or report is None:
                continue
            previous = audited[previous_index][1]
            if previous is not None:
                findings = [
                    f for rule in CROSS_YEAR_RULES for f in rule(report, previous)
                ]
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


# --------------------------------------------------------------------------
# journal: an interrupted audit resumes where it stopped (--resume)
# --------------------------------------------------------------------------

Audited = tuple[AuditRow, Report | None]


def journal_path(output: Path) -> Path:
    """Where the audit notes each file as it is done, next to the summary."""
    return output.with_name(output.name + ".progress.jsonl")


def _stamp(path: Path) -> list[int]:
    """Size and modification time: a file changed since it was audited is redone."""
    try:
        stat = path.stat()
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns]


def _journal_line(name: str, stamp: list[int], result: Audited) -> str:
    row, report = result
    view = None
    if report is not None:
        view = {
            "version": report.version,
            "year": report.year,
            "agency": report.agency,
            "cells": {k: _json_number(v) for k, v in report.cells.items()},
            "ambiguous": [
                [list(keys), [[_json_number(v) for v in cut] for cut in cuts]]
                for keys, cuts in report.ambiguous.items()
            ],
        }
    entry = {"file": name, "stamp": stamp, "row": asdict(row), "report": view}
    return json.dumps(entry, ensure_ascii=False) + "\n"


def _json_number(value: Any) -> Any:
    """A cell value for the journal: Decimal as a string, so nothing is rounded."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _from_json_number(value: Any) -> Any:
    return Decimal(value) if isinstance(value, str) else value


def _journal_entry(line: str) -> tuple[str, list[int], Audited] | None:
    """One journal line back; None for a line cut short by an interruption."""
    try:
        entry = json.loads(line, parse_float=Decimal)
        row = AuditRow(**entry["row"])
        view = entry["report"]
        report = None
        if view is not None:
            report = Report(
                version=view["version"],
                year=view["year"],
                agency=view["agency"],
                cells={
                    k: None if v is None else Decimal(v) if isinstance(v, str) else v
                    for k, v in view["cells"].items()
                },
                ambiguous={
                    tuple(keys): [
                        tuple(_from_json_number(v) for v in cut) for cut in cuts
                    ]
                    for keys, cuts in view.get("ambiguous", [])
                },
            )
        return str(entry["file"]), list(entry["stamp"]), (row, report)
    except (ValueError, KeyError, TypeError, InvalidOperation):
        return None


def _read_journal(path: Path) -> dict[str, tuple[list[int], Audited]]:
    done: dict[str, tuple[list[int], Audited]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return done
    for line in lines:
        entry = _journal_entry(line)
        if entry is not None:
            done[entry[0]] = (entry[1], entry[2])
    return done


def _audit_all(
    files: Sequence[Path],
    names: Sequence[str],
    *,
    jobs: int,
    journal: Path | None = None,
    resume: bool = False,
) -> list[Audited]:
    """Parse and check every file, in order; ``jobs`` > 1 uses that many processes.

    Each result is appended to ``journal`` as it comes; with ``resume`` the
    files the journal already holds (same size and modification time) are not
    parsed again.
    """
    stamps = [_stamp(path) for path in files]
    previous = _read_journal(journal) if journal is not None and resume else {}
    results: dict[str, Audited] = {
        name: previous[name][1]
        for name, stamp in zip(names, stamps)
        if name in previous and stamp and previous[name][0] == stamp
    }
    todo = [(f, n, s) for f, n, s in zip(files, names, stamps) if n not in results]
    progress = ProgressBar(len(files))
    with _JournalWriter(journal, append=resume) as note:
        for done, (name, stamp, result) in enumerate(
            _audit_each(todo, jobs), start=len(results) + 1
        ):
            results[name] = result
            note(_journal_line(name, stamp, result))
            progress.show(done, name)
    progress.show(len(files))
    progress.finish()
    return [results[name] for name in names]


def _audit_each(
    todo: Sequence[tuple[Path, str, list[int]]], jobs: int
) -> Iterator[tuple[str, list[int], Audited]]:
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = pool.map(
                _audit_one, [t[0] for t in todo], [t[1] for t in todo], chunksize=4
            )
            for (_path, name, stamp), result in zip(todo, results):
                yield name, stamp, result
    else:
        for path, name, stamp in todo:
            yield name, stamp, _audit_one(path, name)


class _JournalWriter:
    """Appends journal lines, flushed one by one so an interruption loses at most one."""

    def __init__(self, path: Path | None, *, append: bool) -> None:
        self.path, self.append = path, append
        self.stream: TextIO | None = None

    def __enter__(self) -> Callable[[str], None]:
        if self.path is not None:
            try:
                self.stream = self.path.open(
                    "a" if self.append else "w", encoding="utf-8"
                )
            except OSError:
                self.stream = None  # no journal: the audit itself still runs
        return self.write

    def write(self, line: str) -> None:
        if self.stream is not None:
            self.stream.write(line)
            self.stream.flush()

    def __exit__(self, *exc: object) -> None:
        if self.stream is not None:
            self.stream.close()


def cmd_audit(args: argparse.Namespace) -> int:
    directory, output = Path(args.directory), Path(args.output)
    html = Path(args.html) if getattr(args, "html", None) else None
    if html is not None and html.suffix.lower() not in (".html", ".htm"):
        raise CliError(f"HTML汇总文件须以 .html 结尾：{html}")
    if not directory.is_dir():
        raise CliError(f"找不到目录：{directory}")
    writer = _AUDIT_WRITERS.get(output.suffix.lower())
    if writer is None:
        raise CliError(f"汇总文件须以 .xlsx 或 .csv 结尾：{output}")
    files = _audit_files(directory)
    names = [path.relative_to(directory).as_posix() for path in files]
    journal = journal_path(output)
    audited = _audit_all(
        files, names, jobs=args.jobs, journal=journal, resume=args.resume
    )
    _resolve_across_years(audited, files, names)
    _add_cross_year_findings(audited, names)
    rows = [row for row, _ in audited]
    try:
        writer(rows, output)
    except OSError as exc:
        raise CliError(f"无法写入 {output}：{_os_reason(exc)}") from exc
    if html is not None:
        try:
            html.write_text(audit_html(rows, directory.name), encoding="utf-8")
        except OSError as exc:
            raise CliError(f"无法写入 {html}：{_os_reason(exc)}") from exc
    journal.unlink(missing_ok=True)  # finished: nothing left to resume
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
