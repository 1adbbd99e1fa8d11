"""What the ``gongkai report`` sub-commands share: exit statuses, the Chinese
errors, reading a report from a file, and the output helpers.

The machine-format reader is imported when a report is read: it loads openpyxl,
which a text report does not need.
"""

from __future__ import annotations

import errno
import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from gongkai.core.annual.checks import validate
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
