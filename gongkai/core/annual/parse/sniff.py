"""Which format a byte string is, and how its text is encoded."""

from __future__ import annotations

import codecs
import re

from gongkai.core.annual.model import Finding
from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.ocr import image_doc, image_page_count, looks_like_image
from gongkai.core.annual.parse.plain import text_doc

_HTML_START = re.compile(
    rb"^\s*(?:<!doctype\s+html|<html|<head|<meta|<body|<table|<div|<p[\s>]|<\?xml[^>]*>\s*<html)",
    re.I,
)
_HTML_ANY = re.compile(rb"<(?:html|body|table|tr|td|p|div|br)[\s>/]", re.I)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_bytes(data: bytes, filename: str | None) -> Doc:
    """Linear document of ``data`` whatever its format.

    Each format's reader is imported only when a file of that format comes: the PDF,
    DOCX and XLSX readers load large libraries (pdfplumber, python-docx, openpyxl) that
    a CLI run over text reports should not pay for.
    """
    name = (filename or "").lower()
    head = data[:4096]
    if head.startswith(b"%PDF") or (b"%PDF-" in head[:1024]):
        from gongkai.core.annual.parse.pdf import pdf_doc

        return pdf_doc(data)
    if looks_like_image(head, name):
        return image_doc(data)
    if head.startswith(b"PK\x03\x04"):
        return _zip_doc(data)
    if head.startswith(_OLE_MAGIC):
        return _unsupported("Word 97-2003 (.doc) / OLE 文件，请另存为DOCX")
    if name.endswith(".pdf"):
        from gongkai.core.annual.parse.pdf import pdf_doc

        return pdf_doc(data)
    if name.endswith(".docx"):
        from gongkai.core.annual.parse.docx import docx_doc

        return docx_doc(data)
    if _MHT_START.match(head):
        return _mht_doc(data)
    findings: list[Finding] = []
    text = decode(data, findings)
    if _looks_html(data, name):
        from gongkai.core.annual.parse.html import html_doc

        doc = html_doc(text)
    else:
        doc = text_doc(text)
    doc.findings[:0] = findings
    return doc


def ocr_page_count(data: bytes, filename: str | None) -> int:
    """How many pages ``read_bytes`` would read by OCR (about 2 s of CPU each): a
    caller with a time limit (a web request) hands such a file to a worker. 0 for a
    file with text (PDF text layer, DOCX, XLSX, HTML, text) and for a scan that is
    unreadable or refused by the pixel limits, which is answered at once."""
    name = (filename or "").lower()
    head = data[:4096]
    if head.startswith(b"%PDF") or (b"%PDF-" in head[:1024]):
        from gongkai.core.annual.parse.pdf import scan_page_count

        return scan_page_count(data)
    if looks_like_image(head, name):
        return image_page_count(data)
    if name.endswith(".pdf") and not head.startswith((b"PK\x03\x04", _OLE_MAGIC)):
        from gongkai.core.annual.parse.pdf import scan_page_count

        return scan_page_count(data)
    return 0


def _zip_doc(data: bytes) -> Doc:
    """DOCX or XLSX, told apart by the package's parts."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
        # NotImplementedError: a header asks for a zip version Python cannot read.
        names = set()
    if "xl/workbook.xml" in names:
        from gongkai.core.annual.parse.xlsx import xlsx_doc

        return xlsx_doc(data)
    if names and "word/document.xml" not in names:
        return _unsupported("ZIP 压缩包（不是DOCX/XLSX）")
    from gongkai.core.annual.parse.docx import docx_doc

    return docx_doc(data)


_MHT_START = re.compile(
    rb"^\s*(?:From:|Subject:|Date:|MIME-Version:|Content-Type:\s*multipart/related)",
    re.I,
)


def _mht_doc(data: bytes) -> Doc:
    """A web page saved as one file (.mht/.mhtml): its text/html part."""
    import email
    from email.message import Message

    message = email.message_from_bytes(data)
    for part in message.walk():
        if isinstance(part, Message) and part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset()
                findings: list[Finding] = []
                if charset:
                    text = payload.decode(charset, errors="replace")
                else:
                    text = decode(payload, findings)
                from gongkai.core.annual.parse.html import html_doc

                doc = html_doc(text)
                doc.findings[:0] = findings
                return doc
    return _unsupported("MHT 文件中没有HTML内容")


def _unsupported(detail: str) -> Doc:
    doc = Doc("", kind="unknown")
    doc.findings.append(finding("parse.unsupported_format", detail))
    return doc


def _looks_html(data: bytes, name: str) -> bool:
    if name.endswith((".html", ".htm", ".shtml", ".xhtml", ".mht")):
        return True
    sample = data[:65536].lstrip(codecs.BOM_UTF8)
    return bool(_HTML_START.match(sample)) or len(_HTML_ANY.findall(sample)) >= 5


def looks_like_html(text: str) -> bool:
    """True for page source (markup), not for text that mentions a tag."""
    return _looks_html(text[:65536].encode("utf-8", "replace"), "")


def decode(data: bytes, findings: list[Finding]) -> str:
    """Text of ``data``: BOM, then <meta charset>, then UTF-8, then GB18030.

    GB18030 is a superset of GBK and GB2312, the encodings of older Chinese
    government sites. Big5 is tried for Traditional-Chinese mirrors.
    """
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    declared = _declared_charset(data)
    candidates = [c for c in (declared, "utf-8", "gb18030", "big5") if c]
    for enc in dict.fromkeys(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc != "utf-8":
            findings.append(finding("parse.encoding_fallback", enc))
        return text
    findings.append(finding("parse.encoding_replaced"))
    return data.decode("utf-8", errors="replace")


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:65536])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030"):
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
