"""DOCX -> linear document: paragraphs and tables in body order.

python-docx opens and validates the package; the body is then walked as XML
directly, because ``_Row.cells`` rebuilds the whole table grid for every row
(about a second for a report's section-三 table). A cell continuing a vertical
merge (``w:vMerge`` without ``restart``) and the cells a ``w:gridSpan`` covers
are copies of a cell already written, so they are skipped.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.grid import Cell, table_lines
from gongkai.core.annual.parse.plain import text_doc

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A DOCX is a zip; refuse archives that would inflate beyond this (zip bombs).
_MAX_UNCOMPRESSED = 200 * 1024 * 1024


def docx_doc(data: bytes) -> Doc:
    try:
        lines = _docx_lines(data)
    except Exception:  # python-docx/lxml/zipfile raise many types
        doc = Doc("", kind="docx")
        doc.findings.append(finding("parse.docx_unreadable", "文件结构无法读取"))
        return doc
    return text_doc("\n".join(lines), kind="docx")


def _docx_lines(data: bytes) -> list[str]:
    from docx import Document

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(i.file_size for i in archive.infolist()) > _MAX_UNCOMPRESSED:
            raise ValueError("archive too large")
    body = Document(io.BytesIO(data)).element.body
    lines: list[str] = []
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            lines.append(_text(element))
        elif element.tag == f"{_W}tbl":
            lines.extend(table_lines(_table_rows(element), pad=False))
    return lines


def _text(element: Any) -> str:
    """Text of a paragraph or cell: runs joined, tabs kept, breaks as nothing."""
    parts: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab"):
        parts.append("\t" if node.tag == f"{_W}tab" else (node.text or ""))
    return "".join(parts)


def _table_rows(tbl: Any) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for tr in tbl.iterchildren(f"{_W}tr"):
        cells: list[Cell] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            if _continues_vertical_merge(tc):
                continue
            paragraphs = [_text(p) for p in tc.iter(f"{_W}p")]
            cells.append(Cell("".join(paragraphs), colspan=_grid_span(tc)))
        rows.append(cells)
    return rows


def _continues_vertical_merge(tc: Any) -> bool:
    merge = tc.find(f"{_W}tcPr/{_W}vMerge")
    return merge is not None and merge.get(f"{_W}val", "continue") != "restart"


def _grid_span(tc: Any) -> int:
    span = tc.find(f"{_W}tcPr/{_W}gridSpan")
    try:
        return max(1, int(span.get(f"{_W}val"))) if span is not None else 1
    except (TypeError, ValueError):
        return 1
