"""`gongkai report …`: read, check, render and audit annual reports (年度报告).

Sub-commands: ``parse``, ``check``, ``render``, ``audit``. Every command prints
Chinese messages, never a traceback, and returns an exit status: 0 success,
1 the checks found errors, 2 bad input (missing file, unreadable report, bad
option).

The renderers are imported inside the commands that render: they load python-docx,
openpyxl and WeasyPrint, which ``parse`` and ``check`` do not need.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from gongkai.cli.report_audit import AUDIT_HEADER, AuditRow, ProgressBar, cmd_audit
from gongkai.cli.report_common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    CliError,
    UnreadableReport,
    _count,
    _describe,
    _error,
    _finding_line,
    _json_text,
    _os_reason,
    _write_text,
    all_findings,
    load_report,
)
from gongkai.core.annual.model import Finding, Report

# The reading and audit parts are in report_common.py and report_audit.py; their
# public names stay importable from here.
__all__ = [
    "AUDIT_HEADER",
    "EXIT_BAD_INPUT",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "AuditRow",
    "ChineseArgumentParser",
    "CliError",
    "ProgressBar",
    "UnreadableReport",
    "all_findings",
    "cmd_audit",
    "cmd_check",
    "cmd_parse",
    "cmd_render",
    "load_report",
    "register",
]

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
        "--json",
        action="store_true",
        help="以 JSON 输出（扁平单元格键；provenance 给出每个单元格的可信度、所在页和行）",
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
    audit.add_argument(
        "--resume",
        action="store_true",
        help="接着上次中断的审核继续：已审核且未改动的文件不再解析"
        "（进度记在汇总文件旁的 .progress.jsonl 中，审核完成后删除）",
    )
    audit.add_argument(
        "--html",
        metavar="HTML文件",
        help="另写一份HTML汇总（可排序、筛选；逐个文件列出问题及所在位置）",
    )
    audit.set_defaults(func=_guarded(cmd_audit))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_BAD_INPUT
