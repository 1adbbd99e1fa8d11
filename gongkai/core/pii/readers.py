"""Text of an attachment as the personal-information check reads it, in segments that
say where they come from (a PDF page, a sheet row, a DOCX paragraph or table row).

A file that cannot be read completely — encrypted or broken, too large, a scanned image
with no text layer, a format with no reader here — is reported in ``unreadable`` with
the reason in Chinese. The check turns that into a finding which holds publication for
a person to decide: a file it could not read is never passed as clean.

Bounds (so a hostile or huge file costs bounded time and memory): at most
``MAX_PDF_PAGES`` pages and ``MAX_CELLS`` spreadsheet cells are read; beyond that the
file is reported unreadable rather than checked in part.

OCR: an image (PNG/JPEG/TIFF, at most ``MAX_OCR_FRAMES`` frames) is read by the OCR
engine of the annual-report parser (``core/annual/parse/ocr.py``, about 2 s of CPU a
page). An image in which OCR finds no text, one with more frames, or one over the pixel
limits is still reported unreadable: a person looks at it. A PDF page with no text
layer is reported unreadable as before.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import docx
import openpyxl
import pypdfium2 as pdfium

from gongkai.core.annual.parse.ocr import image_doc, image_page_count

__all__ = [
    "MAX_CELLS",
    "MAX_PDF_PAGES",
    "ReadResult",
    "Segment",
    "read_attachment",
    "read_csv",
    "read_docx",
    "read_pdf",
    "read_xlsx",
]

MAX_PDF_PAGES = 500
MAX_CELLS = 500_000
MAX_TEXT_BYTES = 20 * 1024 * 1024
# A PDF page with fewer visible characters than this is treated as an image.
MIN_PAGE_CHARS = 1


@dataclass(frozen=True)
class Segment:
    """One piece of text of a file and where it is (``where``: Chinese, for screens)."""

    where: str
    text: str


@dataclass
class ReadResult:
    segments: list[Segment] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    pages: int = 0
    cells: int = 0

    @property
    def complete(self) -> bool:
        return not self.unreadable


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- PDF


def read_pdf(data: IO[bytes]) -> ReadResult:
    """The text layer of each page (pypdfium2). Pages with no text are reported.

    pypdfium2 rather than pdfplumber: 25 times faster on 公示 tables, and it keeps the
    space between adjacent table cells (pdfplumber joins a name and the ID number
    after it into one word, which hides the name from the "next to" rule)."""
    result = ReadResult()
    try:
        document = pdfium.PdfDocument(data.read())
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            result.unreadable.append("PDF 已加密，无法读取")
        else:
            result.unreadable.append("PDF 无法解析（文件损坏或不是 PDF）")
        return result
    try:
        count = len(document)
        if count > MAX_PDF_PAGES:
            result.unreadable.append(
                f"PDF 共 {count} 页，超过可自动检查的 {MAX_PDF_PAGES} 页"
            )
            return result
        empty: list[int] = []
        for number in range(1, count + 1):
            page = document[number - 1]
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
            page.close()
            result.pages += 1
            if len(text.strip()) < MIN_PAGE_CHARS:
                empty.append(number)
                continue
            result.segments.append(Segment(f"第{number}页", text))
        if empty:
            listed = "、".join(str(n) for n in empty[:10])
            more = " 等" if len(empty) > 10 else ""
            result.unreadable.append(
                f"第{listed}{more}页没有文字层（可能是扫描图片），无法自动检查"
            )
    except pdfium.PdfiumError as exc:
        result.unreadable.append(f"PDF 读取中断（{exc}）")
    finally:
        document.close()
    return result


# --------------------------------------------------------------------------- DOCX


def _docx_rows(table: Any, label: str) -> Iterator[Segment]:
    for r, row in enumerate(table.rows, start=1):
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats across the row
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(p.text for p in cell.paragraphs))
            for n, inner in enumerate(cell.tables, start=1):
                yield from _docx_rows(inner, f"{label}第{r}行内嵌表{n}")
        yield Segment(f"{label}第{r}行", "\t".join(cells))


def docx_segments(document: Any) -> Iterator[Segment]:
    """Paragraphs, table rows (cells tab-separated), headers and footers of a document."""
    for n, paragraph in enumerate(document.paragraphs, start=1):
        if paragraph.text.strip():
            yield Segment(f"第{n}段", paragraph.text)
    for n, table in enumerate(document.tables, start=1):
        yield from _docx_rows(table, f"表{n}")
    for s, section in enumerate(document.sections, start=1):
        for part_name, part in (("页眉", section.header), ("页脚", section.footer)):
            text = "\n".join(p.text for p in part.paragraphs if p.text.strip())
            if text:
                yield Segment(f"第{s}节{part_name}", text)
    props = document.core_properties
    meta = "\n".join(
        str(v) for v in (props.author, props.last_modified_by, props.title) if v
    )
    if meta:
        yield Segment("文档属性", meta)


def read_docx(data: IO[bytes]) -> ReadResult:
    result = ReadResult()
    try:
        document = docx.Document(data)
        result.segments.extend(docx_segments(document))
    except Exception as exc:
        result.unreadable.append(f"Word 文件无法解析（{type(exc).__name__}）")
    result.pages = 1
    return result


# --------------------------------------------------------------------------- XLSX


def read_xlsx(data: IO[bytes], *, max_cells: int = MAX_CELLS) -> ReadResult:
    """Every cell of every sheet (hidden ones too), read in streaming mode, one segment
    per row (cells tab-separated)."""
    result = ReadResult()
    try:
        book = openpyxl.load_workbook(data, read_only=True, data_only=True)
    except Exception as exc:
        result.unreadable.append(f"Excel 文件无法解析（{type(exc).__name__}）")
        return result
    try:
        for sheet in book.worksheets:
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                result.cells += len(row)
                if result.cells > max_cells:
                    result.unreadable.append(
                        f"表格超过 {max_cells} 个单元格，未能完整检查"
                    )
                    return result
                text = "\t".join(_cell_text(v) for v in row)
                if text.strip():
                    result.segments.append(
                        Segment(f"工作表“{sheet.title}”第{r}行", text)
                    )
    except Exception as exc:
        result.unreadable.append(f"Excel 文件读取中断（{type(exc).__name__}）")
    finally:
        book.close()
    return result


# --------------------------------------------------------------------------- CSV / text


def decode_text(raw: bytes) -> tuple[str, str] | None:
    """(text, encoding) for UTF-8 (with or without BOM) or GB18030; None if neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def read_csv(data: IO[bytes], *, max_cells: int = MAX_CELLS) -> ReadResult:
    result = ReadResult()
    raw = data.read(MAX_TEXT_BYTES + 1)
    if len(raw) > MAX_TEXT_BYTES:
        result.unreadable.append("CSV 文件过大，未能完整检查")
        return result
    decoded = decode_text(raw)
    if decoded is None:
        result.unreadable.append("CSV 文件编码无法识别")
        return result
    try:
        for r, row in enumerate(csv.reader(io.StringIO(decoded[0])), start=1):
            result.cells += len(row)
            if result.cells > max_cells:
                result.unreadable.append(f"表格超过 {max_cells} 个单元格，未能完整检查")
                return result
            text = "\t".join(row)
            if text.strip():
                result.segments.append(Segment(f"第{r}行", text))
    except csv.Error as exc:
        result.unreadable.append(f"CSV 文件无法解析（{exc}）")
    return result


def read_text(data: IO[bytes]) -> ReadResult:
    result = ReadResult()
    raw = data.read(MAX_TEXT_BYTES + 1)
    decoded = decode_text(raw) if len(raw) <= MAX_TEXT_BYTES else None
    if decoded is None:
        result.unreadable.append("文本文件过大或编码无法识别")
        return result
    result.segments.append(Segment("全文", decoded[0]))
    return result


# --------------------------------------------------------------------------- dispatch

IMAGE_KINDS = frozenset({"png", "jpg", "jpeg", "tif", "tiff"})
# Read while the reviewer waits (保密审查): a few pages, not a 60-page TIFF.
MAX_OCR_FRAMES = 5


def read_image(data: IO[bytes]) -> ReadResult:
    """The text OCR finds in an image; unreadable (for a person to look at) when it
    finds none, when the image has more than ``MAX_OCR_FRAMES`` frames or when it is
    refused by the OCR's pixel limits."""
    result = ReadResult()
    raw = data.read()
    try:
        frames = image_page_count(raw)
    except Exception:  # PIL raises many kinds for damaged files
        frames = 0
    if frames > MAX_OCR_FRAMES:
        result.unreadable.append(
            f"图片有{frames}页，超过自动识别的{MAX_OCR_FRAMES}页，请转为PDF或人工核对"
        )
        return result
    doc = image_doc(raw)
    refused = [
        f
        for f in doc.findings
        if f.severity == "error" and f.code != "parse.ocr_no_text"
    ]
    if refused:
        result.unreadable.append(f"图片无法识别文字（{refused[0].message}）")
    elif not doc.text.strip():
        result.unreadable.append("图片中没有识别出文字，请人工核对")
    else:
        result.segments.append(Segment("图片（OCR识别）", doc.text))
    return result


_NO_READER = {
    "doc": "旧版 Word（doc）格式无法自动检查，请转存为 docx",
    "xls": "旧版 Excel（xls）格式无法自动检查，请转存为 xlsx",
    "ofd": "OFD 版式文件无法自动检查",
    "zip": "压缩包无法自动检查",
}


def read_attachment(data: IO[bytes], kind: str) -> ReadResult:
    """Read a file of ``kind`` (its checked extension: pdf, docx, xlsx, csv, txt…)."""
    if kind == "pdf":
        return read_pdf(data)
    if kind == "docx":
        return read_docx(data)
    if kind == "xlsx":
        return read_xlsx(data)
    if kind == "csv":
        return read_csv(data)
    if kind == "txt":
        return read_text(data)
    if kind in IMAGE_KINDS:
        return read_image(data)
    reason = _NO_READER.get(kind, f"{kind or '未知'} 格式无法自动检查")
    return ReadResult(unreadable=[reason])


def is_zip(data: IO[bytes]) -> bool:
    """Whether the bytes are a ZIP container (DOCX/XLSX are)."""
    position = data.tell()
    try:
        return zipfile.is_zipfile(data)
    finally:
        data.seek(position)
