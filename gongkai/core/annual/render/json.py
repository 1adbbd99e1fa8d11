"""JSON: the flat cell keys (corpus README), metadata, sections and findings.

``provenance`` (when the report was parsed) gives per cell how sure the parser
is (``certain`` / ``inferred`` / ``unknown``), where the value was read
(``where`` as printed in diagnostics, plus ``page`` and ``line`` numbers; page
is null outside PDFs) and why, when it was not read directly (``note``).

Decimal amounts are written as JSON numbers with the places they were entered
with (``24252.311082``), never through a binary float; read them back with
``json.loads(..., parse_float=Decimal)``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from gongkai.core.annual.model import CellNumber, Finding, Provenance, Report

FORMAT_NAME = "gongkai.annual-report"
FORMAT_REVISION = 1


def _number(value: CellNumber | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(int(value))


def _cells_json(cells: dict[str, CellNumber | None], indent: str) -> str:
    if not cells:
        return "{}"
    lines = [
        f"{indent}  {json.dumps(key, ensure_ascii=False)}: {_number(value)}"
        for key, value in cells.items()
    ]
    return "{\n" + ",\n".join(lines) + f"\n{indent}}}"


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "message": finding.message,
        "keys": list(finding.keys),
        "where": finding.where,
    }


_PAGE = re.compile(r"第([0-9]+)页")
_LINE = re.compile(r"第([0-9]+)行")


def provenance_dict(provenance: Provenance) -> dict[str, Any]:
    page = _PAGE.search(provenance.where)
    line = _LINE.search(provenance.where)
    return {
        "confidence": provenance.confidence,
        "where": provenance.where,
        "page": int(page.group(1)) if page else None,
        "line": int(line.group(1)) if line else None,
        "note": provenance.note,
    }


def render_json(report: Report, findings: Sequence[Finding] = ()) -> bytes:
    placeholder = "\x00cells\x00"
    document = {
        "format": FORMAT_NAME,
        "format_revision": FORMAT_REVISION,
        "version": report.version,
        "year": report.year,
        "agency": report.agency,
        "title": report.title,
        "sections": report.sections,
        "cells": placeholder,
        "findings": [finding_dict(f) for f in findings],
    }
    if report.provenance:
        document["provenance"] = {
            key: provenance_dict(report.provenance[key])
            for key in report.cells
            if key in report.provenance
        }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    text = text.replace(json.dumps(placeholder), _cells_json(report.cells, "  "), 1)
    return (text + "\n").encode("utf-8")
