"""PDF -> linear document, from the text layer with pypdfium2.

pypdfium2 reads a 5-page report in about 10 ms (pdfplumber takes about a
second). Two readings of the text layer are offered:

* content-stream order (``get_text_range``) — right for PDFs exported from Word
  or WPS, which write a table row by row;
* layout order, rebuilt from character boxes (lines by baseline, left to
  right) — for PDFs whose stream order jumps around a table.

``parse_bytes`` parses the first and falls back to the second only when the
first leaves table cells unread (see ``Doc.alternatives``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.ocr import pdf_ocr_doc, pdf_scan_page_count
from gongkai.core.annual.parse.plain import text_doc

_MAX_PAGES = 200
_PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*(?:第\s*)?([0-9]{1,3})\s*(?:页)?\s*[-—–]?\s*$")


def pdf_doc(data: bytes) -> Doc:
    try:
        pages = _read_pages(data, _stream_text)
    except Exception:  # pdfium raises PdfiumError, ValueError, ...
        doc = Doc("", kind="pdf")
        doc.findings.append(finding("parse.pdf_unreadable", "文件结构无法读取"))
        return doc
    if not "".join(pages).strip():
        # image-only (scanned): read by OCR, which says pdf_no_text if it finds nothing
        return pdf_ocr_doc(data)
    doc = _join(pages)
    doc.alternatives.append(lambda: _join(_read_pages(data, _layout_text)))
    return doc


def scan_page_count(data: bytes) -> int:
    """Pages ``pdf_doc`` would send to OCR: 0 for a PDF with a text layer, an
    unreadable one or a scan refused by the pixel limits (all answered at once)."""
    try:
        pages = _read_pages(data, _stream_text)
    except Exception:  # pdfium raises PdfiumError, ValueError, ...
        return 0
    if "".join(pages).strip():
        return 0
    return pdf_scan_page_count(data)


def _join(pages: list[str]) -> Doc:
    pages = [_drop_page_number(text, number) for number, text in enumerate(pages, 1)]
    starts: list[int] = []
    offset = 0
    for text in pages:
        starts.append(offset)
        offset += len(text) + 1
    doc = text_doc("\n".join(pages), kind="pdf")
    doc.page_starts = starts
    return doc


def _drop_page_number(text: str, number: int) -> str:
    """Blank a first or last line that is just this page's number ("3", "- 3 -")."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for i in filled[:1] + filled[-1:]:
        m = _PAGE_NUMBER.match(lines[i])
        if m and int(m.group(1)) == number:
            lines[i] = " " * len(lines[i])
    return "\n".join(lines)


def _read_pages(data: bytes, reader: Callable[[Any], str]) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for index in range(min(len(pdf), _MAX_PAGES)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                texts.append(reader(textpage))
            finally:
                textpage.close()
                page.close()
        return texts
    finally:
        pdf.close()


def _stream_text(textpage: Any) -> str:
    text: str = textpage.get_text_range()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _layout_text(textpage: Any) -> str:
    """Lines rebuilt from character boxes: same baseline band, left to right."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    chars = []
    for i in range(min(count, len(text))):
        if text[i].strip():
            left, bottom, right, top = textpage.get_charbox(i)
            chars.append((text[i], left, bottom, right, top))
    chars.sort(key=lambda c: -c[4])
    lines: list[list[tuple[str, float, float, float, float]]] = []
    for char in chars:
        middle = (char[2] + char[4]) / 2
        if lines and _line_bottom(lines[-1]) <= middle <= _line_top(lines[-1]):
            lines[-1].append(char)
        else:
            lines.append([char])
    return "\n".join(_line_text(line) for line in lines)


def _line_top(line: list[tuple[str, float, float, float, float]]) -> float:
    return max(c[4] for c in line)


def _line_bottom(line: list[tuple[str, float, float, float, float]]) -> float:
    return min(c[2] for c in line)


def _line_text(line: list[tuple[str, float, float, float, float]]) -> str:
    line.sort(key=lambda c: c[1])
    height = max(1.0, max(c[4] - c[2] for c in line))
    out = [line[0][0]]
    for before, char in itertools.pairwise(line):
        gap = char[1] - before[3]
        # cells of a table are far apart; letters of one word or number are not
        if gap > 1.0 * height:
            out.append("\t")
        elif gap > 0.6 * height:
            out.append(" ")
        out.append(char[0])
    return "".join(out)
