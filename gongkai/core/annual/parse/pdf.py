"""PDF -> linear document, from the text layer with pypdfium2.

pypdfium2 reads a 5-page report in a few milliseconds (pdfplumber takes about a
second), and its text order follows the content stream, which for reports
exported from Word is row by row. Page footers are blanked by ``text_doc``.
"""

from __future__ import annotations

from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.plain import text_doc

_MAX_PAGES = 200


def pdf_doc(data: bytes) -> Doc:
    try:
        pages = _page_texts(data)
    except Exception as exc:  # pdfium raises PdfiumError, ValueError, ...
        doc = Doc("", kind="pdf")
        doc.findings.append(finding("parse.pdf_unreadable", type(exc).__name__))
        return doc
    if not "".join(pages).strip():
        doc = Doc("", kind="pdf")
        doc.findings.append(finding("parse.pdf_no_text"))
        return doc
    starts: list[int] = []
    offset = 0
    for text in pages:
        starts.append(offset)
        offset += len(text) + 1
    doc = text_doc("\n".join(pages), kind="pdf")
    doc.page_starts = starts
    return doc


def _page_texts(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for index in range(min(len(pdf), _MAX_PAGES)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            texts.append(text.replace("\r\n", "\n").replace("\r", "\n"))
        return texts
    finally:
        pdf.close()
