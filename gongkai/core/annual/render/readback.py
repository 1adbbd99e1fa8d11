"""Read our own machine formats (JSON, XLSX) back into a Report.

These are the exact inverses of ``render_json`` and ``render_xlsx``, so a
report exported by Gongkai can be edited and re-imported, checked or rendered
to another format. Published reports (text, HTML, DOCX, PDF) go through
``gongkai.core.annual.parse`` instead.
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from gongkai.core.annual.model import CellNumber, Finding, Provenance, Report
from gongkai.core.annual.parse import parse_bytes
from gongkai.core.annual.render.json import FORMAT_NAME
from gongkai.core.annual.render.xlsx import CELLS_SHEET, META_SHEET, TEXT_SHEET

_VERSIONS = ("2021", "2019", "legacy", "unknown")


class NotOurFormat(ValueError):
    """The bytes are not a JSON/XLSX file written by Gongkai's renderers."""


def is_machine_format(data: bytes) -> bool:
    """Quick sniff: our JSON (``"format": "gongkai.annual-report"``) or our XLSX."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return FORMAT_NAME.encode() in data[:512]
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return False
        return "xl/workbook.xml" in names
    return False


def read_machine_format(data: bytes) -> Report:
    """Our JSON or XLSX back into a Report; NotOurFormat for anything else."""
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    return read_json(data)


def _version(value: Any) -> str:
    text = str(value or "unknown")
    return text if text in _VERSIONS else "unknown"


def _finding(raw: dict[str, Any]) -> Finding:
    return Finding(
        code=str(raw["code"]),
        severity=raw.get("severity", "info"),
        message=str(raw.get("message", "")),
        keys=tuple(raw.get("keys", ())),
        where=str(raw.get("where", "")),
    )


def read_json(data: bytes) -> Report:
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotOurFormat(f"不是有效的JSON：{exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise NotOurFormat("不是本系统导出的年报JSON。")
    return Report(
        version=_version(document.get("version")),  # type: ignore[arg-type]
        year=document.get("year"),
        agency=document.get("agency"),
        title=document.get("title"),
        cells=dict(document.get("cells") or {}),
        sections={str(k): str(v) for k, v in (document.get("sections") or {}).items()},
        provenance=_provenance(document.get("provenance")),
        diagnostics=[],
    )


def _provenance(raw: Any) -> dict[str, Provenance]:
    """The per-cell provenance of a parsed report's JSON (absent: none)."""
    if not isinstance(raw, dict):
        return {}
    out: dict[str, Provenance] = {}
    for key, item in raw.items():
        if not isinstance(item, dict):
            continue
        confidence = item.get("confidence")
        if confidence not in ("certain", "inferred", "unknown"):
            continue
        out[str(key)] = Provenance(
            where=str(item.get("where") or ""),
            confidence=confidence,
            note=str(item.get("note") or ""),
        )
    return out


def _xlsx_number(value: Any) -> CellNumber | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise NotOurFormat("单元格值不是数字。")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))  # shortest text that reads back as the float
    return Decimal(str(value))


def read_xlsx(data: bytes) -> Report:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad package
        raise NotOurFormat(f"不是有效的XLSX：{exc}") from exc
    if not {META_SHEET, CELLS_SHEET, TEXT_SHEET} <= set(book.sheetnames):
        raise NotOurFormat("不是本系统导出的年报XLSX。")
    meta = {
        row[2]: row[1]
        for row in book[META_SHEET].iter_rows(min_row=2, values_only=True)
    }
    cells = {
        str(row[0]): _xlsx_number(row[4])
        for row in book[CELLS_SHEET].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    sections = {
        str(row[0]): str(row[2] or "")
        for row in book[TEXT_SHEET].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    year = meta.get("year")
    return Report(
        version=_version(meta.get("version")),  # type: ignore[arg-type]
        year=int(year) if year not in (None, "") else None,
        agency=meta.get("agency") or None,
        title=meta.get("title") or None,
        cells=cells,
        sections=sections,
    )


def read_report(data: bytes, filename: str | None = None) -> Report:
    """Any report file: our JSON/XLSX exports exactly, everything else via the parser."""
    if is_machine_format(data):
        return read_machine_format(data)

    return parse_bytes(data, filename)
