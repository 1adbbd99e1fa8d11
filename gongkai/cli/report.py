"""`gongkai report …`: read, check, render and audit annual reports (年度报告).

Sub-commands: ``parse``, ``check``, ``render``, ``audit``. Every command prints
Chinese messages, never a traceback, and returns an exit status: 0 success,
1 the checks found errors, 2 bad input (missing file, unreadable report, bad
option).
"""

from __future__ import annotations

import argparse
import csv
import errno
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TextIO

from gongkai.core.annual.checks import CROSS_YEAR_RULES, validate
from gongkai.core.annual.model import Finding, Report

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
_SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
_VERSION_LABELS = {"2021": "2021年格式", "2019": "2019年格式（试行）"}


class CliError(Exception):
    """A problem with the user's input, reported as one Chinese sentence."""


class UnreadableReport(CliError):
    """A file that is there but yields no report; ``reason`` says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"无法解析 {path}：{reason}")
        self.reason = reason


# --------------------------------------------------------------------------
# Reading reports
# --------------------------------------------------------------------------


def _parse_bytes(data: bytes, filename: str) -> Report:
    from gongkai.core.annual.render.readback import read_report

    return read_report(data, filename)


def load_report(path: str | Path) -> Report:
    """Read and parse one report file; CliError with a Chinese reason otherwise."""
    path = Path(path)
    if not path.exists():
        raise CliError(f"找不到文件：{path}")
    if path.is_dir():
        raise CliError(f"{path} 是目录，不是报告文件。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"无法读取文件 {path}：{_os_reason(exc)}") from exc
    try:
        report = _parse_bytes(data, path.name)
    except Exception as exc:  # any parser failure is the file's problem, not ours
        raise UnreadableReport(path, _reason(exc)) from exc
    if not any(value is not None for value in report.cells.values()):
        raise UnreadableReport(path, _unreadable_reason(report))
    return report


def _unreadable_reason(report: Report) -> str:
    """Why the parser read no table cell: its error diagnostics, else all of them."""
    errors = [f.message for f in report.diagnostics if f.severity == "error"]
    messages = errors or [f.message for f in report.diagnostics]
    return "；".join(dict.fromkeys(messages)) or "未读到任何统计表格数据。"


_OS_REASONS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个目录",
    errno.ENOTDIR: "路径中有一部分不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
}


def _os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


def all_findings(report: Report, previous: Report | None = None) -> list[Finding]:
    """The parser's diagnostics followed by the checks of spec §6."""
    return [*report.diagnostics, *validate(report, previous)]


def _count(findings: Iterable[Finding]) -> Counter[str]:
    return Counter(finding.severity for finding in findings)


# --------------------------------------------------------------------------
# Output helpers
# --------------------------------------------------------------------------


def _describe(report: Report) -> str:
    version = _VERSION_LABELS.get(report.version, report.version)
    year = f"{report.year}年" if report.year is not None else "年度不详"
    return f"{report.agency or '机关不详'}，{year}，{version}"


def _finding_line(finding: Finding) -> str:
    label = _SEVERITY_LABELS.get(finding.severity, finding.severity)
    return f"  [{label}] {finding.code}：{finding.message}"


def _write_text(text: str, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(text)


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n"


def _error(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return EXIT_BAD_INPUT


# --------------------------------------------------------------------------
# parse
# --------------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace) -> int:
    report = load_report(args.file)
    if args.json:
        from gongkai.core.annual.render import render

        sys.stdout.write(
            render(report, "json", findings=report.diagnostics).decode("utf-8")
        )
        return EXIT_OK
    lines = [f"{args.file}：{_describe(report)}"]
    if report.title:
        lines.append(f"标题：{report.title}")
    lines.append(f"部分：{'、'.join(report.sections) or '无'}")
    known = sum(value is not None for value in report.cells.values())
    lines.append(f"单元格：{known}/{len(report.cells)} 个有值")
    lines += [
        f"  {key} = {'' if value is None else value}"
        for key, value in report.cells.items()
    ]
    if report.diagnostics:
        lines.append("解析提示：")
        lines += [_finding_line(finding) for finding in report.diagnostics]
    _write_text("\n".join(lines) + "\n")
    return EXIT_OK


# --------------------------------------------------------------------------
# check
# --------------------------------------------------------------------------


def _check_result(path: str, report: Report, findings: list[Finding]) -> dict[str, Any]:
    from gongkai.core.annual.render.json import finding_dict

    return {
        "file": path,
        "agency": report.agency,
        "year": report.year,
        "version": report.version,
        "findings": [finding_dict(finding) for finding in findings],
    }


def _check_summary(
    path: str, report: Report, findings: list[Finding], *, show_info: bool
) -> str:
    counts = _count(findings)
    head = (
        f"{path}：{_describe(report)} —— 错误 {counts['error']} 个，"
        f"警告 {counts['warning']} 个，提示 {counts['info']} 个"
    )
    shown = [f for f in findings if show_info or f.severity != "info"]
    return "\n".join([head, *(_finding_line(f) for f in shown)]) + "\n"


def cmd_check(args: argparse.Namespace) -> int:
    """Check every file; an unreadable one is reported and the others still checked.

    Exit status: 2 if any file could not be read, else 1 if any has errors.
    """
    previous = load_report(args.previous) if args.previous else None
    results: list[dict[str, Any]] = []
    any_error = any_unreadable = False
    for path in args.files:
        try:
            report = load_report(path)
        except CliError as exc:
            any_unreadable = True
            _error(str(exc))
            results.append({"file": path, "error": str(exc)})
            continue
        findings = all_findings(report, previous)
        any_error = any_error or any(f.severity == "error" for f in findings)
        if args.json:
            results.append(_check_result(path, report, findings))
        else:
            _write_text(_check_summary(path, report, findings, show_info=args.all))
    if args.json:
        _write_text(_json_text(results))
    if any_unreadable:
        return EXIT_BAD_INPUT
    return EXIT_FINDINGS if any_error else EXIT_OK


# --------------------------------------------------------------------------
# render
# --------------------------------------------------------------------------


def cmd_render(args: argparse.Namespace) -> int:
    from gongkai.core.annual.render import FormOptions, render

    report = load_report(args.file)
    data = render(report, args.to, options=FormOptions(fee_decimals=args.fee_decimals))
    output = Path(args.output)
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise CliError(f"无法写入 {output}：{_os_reason(exc)}") from exc
    print(f"已生成 {output}（{args.to}，{len(data)} 字节）。", file=sys.stderr)
    return EXIT_OK


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


# --------------------------------------------------------------------------
# Registration
# --------------------------------------------------------------------------

# argparse's own words, in Chinese for our sub-commands (its gettext catalogue
# has no Chinese). Patterns of its error messages → Chinese templates.
_HELP_WORDS = (
    ("usage: ", "用法："),
    ("positional arguments:", "位置参数："),
    ("options:", "选项："),
    ("show this help message and exit", "显示本帮助并退出"),
)
_ERROR_PATTERNS = (
    (re.compile(r"the following arguments are required: (.+)"), r"缺少必需的参数：\1"),
    (
        re.compile(r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.+)\)"),
        r"参数 \1 的值“\2”无效，可选：\3",
    ),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 需要一个值"),
    (
        re.compile(r"argument (\S+): invalid int value: '(.*?)'"),
        r"参数 \1 须为整数，而不是“\2”",
    ),
    (re.compile(r"unrecognized arguments: (.+)"), r"无法识别的参数：\1"),
)


def _in_chinese(text: str) -> str:
    for english, chinese in _HELP_WORDS:
        text = text.replace(english, chinese)
    return text


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are in Chinese."""

    def format_usage(self) -> str:
        return _in_chinese(super().format_usage())

    def format_help(self) -> str:
        return _in_chinese(super().format_help())

    def error(self, message: str) -> NoReturn:
        for pattern, template in _ERROR_PATTERNS:
            message = pattern.sub(template, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"错误：{message}\n")


def _guarded(
    command: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """Turn CliError into a Chinese message on stderr and exit status 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except CliError as exc:
            return _error(str(exc))

    return run


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``gongkai report`` and its sub-commands to the top-level parser."""
    from gongkai.core.annual.render import FORMATS

    group = subparsers.add_parser(
        "report",
        help="年度报告：解析、审核、生成、批量审核",
        description="政府信息公开工作年度报告工具：解析（文本、HTML、DOCX、PDF）、按年报格式审核、生成、批量审核。",
    )
    # The group parser was made by the top-level dispatcher's class; give it the
    # Chinese help and errors too (a subclass that only overrides methods).
    group.__class__ = ChineseArgumentParser
    commands = group.add_subparsers(
        dest="report_command", metavar="子命令", parser_class=ChineseArgumentParser
    )
    group.set_defaults(func=lambda _args: _help(group))

    parse = commands.add_parser("parse", help="解析一份年度报告，列出读到的单元格")
    parse.add_argument(
        "file", metavar="文件", help="年度报告文件（.txt/.html/.docx/.pdf 等）"
    )
    parse.add_argument(
        "--json", action="store_true", help="以 JSON 输出（扁平单元格键）"
    )
    parse.set_defaults(func=_guarded(cmd_parse))

    check = commands.add_parser("check", help="审核年度报告；有错误时退出状态为 1")
    check.add_argument(
        "files", nargs="+", metavar="文件", help="一个或多个年度报告文件"
    )
    check.add_argument(
        "--previous",
        metavar="上年文件",
        help="上一年度的报告，用于核对结转和现行有效件数",
    )
    check.add_argument("--json", action="store_true", help="以 JSON 输出审核结果")
    check.add_argument(
        "--all",
        action="store_true",
        help="也列出“提示”级别的信息（默认只列错误和警告）",
    )
    check.set_defaults(func=_guarded(cmd_check))

    render = commands.add_parser("render", help="把年度报告生成为指定格式")
    render.add_argument("file", metavar="文件", help="年度报告文件")
    render.add_argument("--to", required=True, choices=FORMATS, help="输出格式")
    render.add_argument(
        "-o", "--output", required=True, metavar="输出文件", help="输出文件路径"
    )
    render.add_argument(
        "--fee-decimals",
        type=int,
        choices=range(7),
        metavar="位数",
        help="行政事业性收费金额（万元）保留的小数位数，如地方模板要求“保留4位小数”时填 4",
    )
    render.set_defaults(func=_guarded(cmd_render))

    audit = commands.add_parser(
        "audit", help="批量解析并审核一个目录下的所有报告，写出汇总表"
    )
    audit.add_argument(
        "directory", metavar="目录", help="存放年度报告的目录（含子目录）"
    )
    audit.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="汇总文件",
        help="汇总表（.xlsx 或 .csv）",
    )
    audit.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="进程数",
        help="并行解析的进程数（默认 1；大批量审核时可设为CPU核数）",
    )
    audit.set_defaults(func=_guarded(cmd_audit))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_BAD_INPUT
