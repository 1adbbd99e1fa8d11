"""One row of `gongkai report audit`'s summary: shared by the table writers and the
HTML summary (kept apart so neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    # for the HTML summary: cells read / cells of the format, and every finding as
    # [severity, code, message, where, cell keys separated by spaces]
    cells_read: int = 0
    cells_total: int = 0
    findings: list[list[str]] = field(default_factory=list)

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
