"""DOCX -> linear document (python-docx paragraphs and tables in body order)."""

from __future__ import annotations

import io
import zipfile

from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.grid import Cell, table_lines
from gongkai.core.annual.parse.plain import text_doc

# A DOCX is a zip; refuse archives that would inflate beyond this (zip bombs).
_MAX_UNCOMPRESSED = 200 * 1024 * 1024


def docx_doc(data: bytes) -> Doc:
    try:
        lines = _docx_lines(data)
    except Exception as exc:  # python-docx/lxml raise many types on broken files
        doc = Doc("", kind="docx")
        doc.findings.append(finding("parse.docx_unreadable", f"{type(exc).__name__}"))
        return doc
    return text_doc("\n".join(lines), kind="docx")


def _docx_lines(data: bytes) -> list[str]:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(i.file_size for i in archive.infolist()) > _MAX_UNCOMPRESSED:
            raise ValueError("archive too large")
    document = Document(io.BytesIO(data))
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, document).text)
        elif tag == "tbl":
            lines.extend(table_lines(_table_rows(Table(element, document)), pad=False))
    return lines


def _table_rows(table: object) -> list[list[Cell]]:
    """Cells that start in each row: python-docx repeats merged cells, drop repeats."""
    seen: set[int] = set()
    alive: list[object] = []  # keep lxml proxies alive so their ids stay unique
    rows: list[list[Cell]] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[Cell] = []
        for cell in row.cells:
            tc = cell._tc
            if id(tc) in seen:
                continue
            alive.append(tc)
            seen.add(id(tc))
            cells.append(Cell(cell.text.replace("\n", "")))
        rows.append(cells)
    return rows
