"""Read published annual reports (text, HTML, DOCX, PDF) into one Report.

Public API::

    parse_bytes(data: bytes, filename: str | None = None) -> Report
    parse_text(text: str) -> Report
    ocr_page_count(data: bytes, filename: str | None = None) -> int

Every cell the format defines gets a value (or None) and a Provenance saying
where it was read and how sure the parser is (certain / inferred / unknown).
Problems become ``Report.diagnostics`` with stable ``parse.*`` codes; neither
function raises on any input.
"""

from __future__ import annotations

from gongkai.core.annual.model import Report
from gongkai.core.annual.parse.diagnostics import CODES, finding
from gongkai.core.annual.parse.html import html_doc
from gongkai.core.annual.parse.plain import text_doc
from gongkai.core.annual.parse.report import parse_doc
from gongkai.core.annual.parse.sniff import looks_like_html, ocr_page_count, read_bytes

__all__ = ["CODES", "ocr_page_count", "parse_bytes", "parse_text"]


def parse_text(text: str) -> Report:
    """Parse report text (copied from a web page, a text dump, extracted text)."""
    try:
        if looks_like_html(text):  # page source pasted as text
            return parse_doc(html_doc(text))
        return parse_doc(text_doc(text))
    except Exception as exc:  # last line of defence: a Report, never a crash
        return _crashed(exc)


def parse_bytes(data: bytes, filename: str | None = None) -> Report:
    """Parse a file's bytes; the format is sniffed from the bytes, then the name."""
    try:
        doc = read_bytes(data, filename)
        report = parse_doc(doc)
        for alternative in doc.alternatives:
            if not _unread_cells(report):
                break
            other = parse_doc(alternative())
            if _unread_cells(other) < _unread_cells(report):
                report = other
        return report
    except Exception as exc:
        return _crashed(exc)


def _unread_cells(report: Report) -> int:
    """Cells left unknown; a report with no tables at all counts as worst."""
    if not report.cells:
        return 10**6
    return sum(p.confidence == "unknown" for p in report.provenance.values())


def _crashed(exc: Exception) -> Report:
    report = Report(version="unknown")
    report.diagnostics.append(
        finding("parse.internal_error", f"{type(exc).__name__}: {exc}"[:200])
    )
    return report
