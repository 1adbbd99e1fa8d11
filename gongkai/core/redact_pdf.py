"""Redacting a PDF for 部分公开: every page becomes a picture, the withheld parts are
painted over on the picture, and a new image-only PDF is written.

Why not a black rectangle over the text: a rectangle drawn on a PDF page is one
more object on top of the page; the text under it is still in the content stream
and can be selected, copied, searched or extracted (the classic failed redaction).
Deleting glyphs from content streams is fragile (fonts with custom encodings, text
drawn as paths, form XObjects, annotations, incremental updates keep old
versions). Rendering each page to pixels with pdfium, overwriting the withheld
pixels with opaque boxes and writing only the pixels back leaves nothing of the
original file in the output: no text layer, no fonts, no metadata, no
attachments, no JavaScript, no earlier revisions. The cost is a larger file
without selectable text, which is acceptable for a disclosed copy.

:func:`check_pdf` then opens the output with two independent readers (pdfium and
pdfplumber) and refuses it if any text, metadata or attachment is found.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from gongkai.core.redaction import (
    RedactionError,
    RegionMark,
    TextMark,
    compact,
    describe_region,
    describe_text,
    ground_for,
    item,
    leaks,
)

DPI = 150  # readable on screen and in print
MAX_PAGES = 300
MAX_PIXELS = 24_000_000  # per page; a poster-sized page is rendered smaller
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
PAD = 2  # pixels added around each box, so no anti-aliased edge of a glyph remains


@dataclass(frozen=True)
class RedactedFile:
    data: bytes
    descriptions: tuple[str, ...]  # one per mark, in the marks' order
    pages: int


def _open_error(exc: Exception) -> RedactionError:
    text = str(exc).lower()
    if "password" in text or "security" in text:
        return RedactionError(
            "该PDF文件已加密（设有打开密码），无法读取。请上传未加密的文件。"
        )
    return RedactionError("无法读取该PDF文件（文件已损坏或不是有效的PDF）。")


@contextmanager
def opened(data: bytes) -> Iterator[pdfium.PdfDocument]:
    """The document, or a Chinese :class:`RedactionError` for an encrypted, broken
    or too long file."""
    try:
        doc = pdfium.PdfDocument(data)
        # Form fields are drawn on the page image too (before any page is loaded).
        doc.init_forms()
    except (pdfium.PdfiumError, ValueError, OSError) as exc:
        raise _open_error(exc) from exc
    try:
        count = len(doc)
        if count == 0:
            raise RedactionError("该PDF文件没有页面。")
        if count > MAX_PAGES:
            raise RedactionError(
                f"该PDF文件有{count}页，超过每个文件{MAX_PAGES}页的上限，请拆分后分别处理。"
            )
        yield doc
    finally:
        doc.close()


def page_count(data: bytes) -> int:
    with opened(data) as doc:
        return len(doc)


def _scale(page: pdfium.PdfPage, dpi: float) -> float:
    width, height = page.get_size()
    wanted = dpi / 72
    if width * height * wanted * wanted > MAX_PIXELS:
        wanted = math.sqrt(MAX_PIXELS / max(width * height, 1))
    return wanted


def page_image(data: bytes, number: int, *, width: int = 900) -> bytes:
    """Page ``number`` (1-based) of the original as a PNG about ``width`` pixels wide,
    for the marking screen."""
    with opened(data) as doc:
        if not 1 <= number <= len(doc):
            raise RedactionError(f"页码应在 1 到 {len(doc)} 之间。")
        page = doc[number - 1]
        page_width = page.get_size()[0]
        bitmap = page.render(scale=min(width / max(page_width, 1), 4.0))
        out = io.BytesIO()
        bitmap.to_pil().convert("RGB").save(out, "PNG")
        return out.getvalue()


def find_font(candidates: Sequence[str] = FONT_CANDIDATES) -> str | None:
    for path in candidates:
        if Path(path).is_file():
            return path
    return None


# ------------------------------------------------------------------------ locating


def _page_hits(
    textpage: pdfium.PdfTextPage, needle: str
) -> list[list[tuple[float, float, float, float]]]:
    """Each occurrence of ``needle`` (compacted) on the page, as its rectangles in
    page coordinates. Whitespace and line breaks between characters are skipped, so a
    phrase broken over two lines is found."""
    total = textpage.count_chars()
    text = textpage.get_text_range()
    if len(text) != total:  # not one character per index: ask index by index
        text = "".join(textpage.get_text_range(i, 1)[:1] or " " for i in range(total))
    kept: list[int] = []
    chars: list[str] = []
    for index, char in enumerate(text):
        if compact(char):
            kept.append(index)
            chars.append(char)
    joined = "".join(chars)
    hits = []
    start = joined.find(needle)
    while start != -1:
        first, last = kept[start], kept[start + len(needle) - 1]
        count = textpage.count_rects(first, last - first + 1)
        hits.append([textpage.get_rect(i) for i in range(count)])
        start = joined.find(needle, start + len(needle))
    return hits


@dataclass
class _Box:
    page: int  # 0-based
    rect: tuple[float, float, float, float]  # page coordinates or fractions
    fraction: bool
    code: str


def _text_boxes(
    doc: pdfium.PdfDocument, index: int, mark: TextMark
) -> tuple[list[_Box], str]:
    needle = compact(mark.phrase)
    boxes: list[_Box] = []
    where: list[str] = []
    seen = 0
    for number in range(len(doc)):
        textpage = doc[number].get_textpage()
        hits = _page_hits(textpage, needle)
        for position, rects in enumerate(hits, seen + 1):
            if mark.occurrence is None or mark.occurrence == position:
                code = ground_for(mark.ground).box_code
                boxes += [_Box(number, r, False, code) for r in rects]
                where.append(f"第{number + 1}页")
        seen += len(hits)
    if seen == 0:
        raise RedactionError(
            f"{item(index)}要删除的文字在PDF的文字层中没有找到（扫描件没有文字层，"
            "请在页面图上框选区域）。"
        )
    if mark.occurrence is not None and mark.occurrence > seen:
        raise RedactionError(
            f"{item(index)}这段文字在文件中只出现{seen}处，没有第{mark.occurrence}处。"
        )
    return boxes, describe_text(where, len(needle))


def locate_text(data: bytes, mark: TextMark) -> str:
    """Where a text mark falls ("第1页2处、第3页…"), or a Chinese refusal if the
    phrase (or its n-th occurrence) is not in the text layer."""
    with opened(data) as doc:
        return _text_boxes(doc, 0, mark)[1]


# ------------------------------------------------------------------------- drawing


@functools.lru_cache(maxsize=64)
def _label_font(path: str | None, size: int) -> ImageFont.FreeTypeFont:
    if path is None:
        raise RedactionError(
            "服务器缺少中文字体（fonts-noto-cjk），无法在遮盖框上标注依据。"
        )
    return ImageFont.truetype(path, size)


def _draw(
    image: Image.Image,
    boxes: list[tuple[int, int, int, int, str]],
    font_path: str | None,
) -> None:
    draw = ImageDraw.Draw(image)
    for left, top, right, bottom, _code in boxes:
        draw.rectangle((left, top, right, bottom), fill=(0, 0, 0))
    for left, top, right, bottom, code in boxes:
        width, height = right - left, bottom - top
        size = int(min(height * 0.7, width * 0.9 / max(len(code), 1)))
        size = max(size, 9)
        font = _label_font(font_path, size)
        x0, y0, x1, y1 = draw.textbbox((0, 0), code, font=font)
        text_w, text_h = x1 - x0, y1 - y0
        cx, cy = (left + right) / 2, (top + bottom) / 2
        origin = (cx - text_w / 2 - x0, cy - text_h / 2 - y0)
        if text_w > width or text_h > height:
            # A box too small for its code: the code sits on a black tag of its own,
            # so the reason stays visible and nothing of the page shows through.
            draw.rectangle(
                (
                    cx - text_w / 2 - 2,
                    cy - text_h / 2 - 2,
                    cx + text_w / 2 + 2,
                    cy + text_h / 2 + 2,
                ),
                fill=(0, 0, 0),
            )
        draw.text(origin, code, font=font, fill=(255, 255, 255))


def _pixel_box(
    box: _Box, page: pdfium.PdfPage, bitmap: pdfium.PdfBitmap, size: tuple[int, int]
) -> tuple[int, int, int, int, str]:
    width, height = size
    if box.fraction:
        left, top, right, bottom = box.rect
        xs: tuple[float, ...] = (left * width, right * width)
        ys: tuple[float, ...] = (top * height, bottom * height)
    else:
        conv = bitmap.get_posconv(page)
        left, bottom, right, top = box.rect
        corners = [conv.to_bitmap(x, y) for x in (left, right) for y in (bottom, top)]
        xs = tuple(float(c[0]) for c in corners)
        ys = tuple(float(c[1]) for c in corners)
    return (
        max(math.floor(min(xs)) - PAD, 0),
        max(math.floor(min(ys)) - PAD, 0),
        min(math.ceil(max(xs)) + PAD, width - 1),
        min(math.ceil(max(ys)) + PAD, height - 1),
        box.code,
    )


# -------------------------------------------------------------------------- output


def redact_pdf(
    data: bytes,
    marks: Sequence[TextMark | RegionMark],
    *,
    dpi: float = DPI,
    font_path: str | None = None,
) -> RedactedFile:
    """The image-only redacted copy of ``data``, checked by :func:`check_pdf`."""
    font_path = font_path or find_font()
    descriptions: list[str] = []
    boxes: list[_Box] = []
    allowed: dict[str, int] = {}
    with opened(data) as doc:
        pages = len(doc)
        regions_on_page: dict[int, int] = {}
        for index, mark in enumerate(marks, 1):
            if isinstance(mark, RegionMark):
                if mark.page > pages:
                    raise RedactionError(f"{item(index)}文件只有{pages}页。")
                regions_on_page[mark.page] = regions_on_page.get(mark.page, 0) + 1
                rect = (mark.x0, mark.y0, mark.x1, mark.y1)
                code = ground_for(mark.ground).box_code
                boxes.append(_Box(mark.page - 1, rect, True, code))
                descriptions.append(
                    describe_region(mark.page, regions_on_page[mark.page])
                )
            else:
                found, description = _text_boxes(doc, index, mark)
                boxes += found
                descriptions.append(description)
                # An image-only output has no text at all; the phrase may not remain.
                allowed[mark.phrase] = 0
        out = pdfium.PdfDocument.new()
        try:
            for number in range(pages):
                page = doc[number]
                bitmap = page.render(scale=_scale(page, dpi), may_draw_forms=True)
                image = bitmap.to_pil().convert("RGB")
                drawn = [
                    _pixel_box(b, page, bitmap, image.size)
                    for b in boxes
                    if b.page == number
                ]
                _draw(image, drawn, font_path)
                jpeg = io.BytesIO()
                image.save(jpeg, "JPEG", quality=85)
                jpeg.seek(0)
                width_pt, height_pt = image.width * 72 / dpi, image.height * 72 / dpi
                if image.width * image.height >= MAX_PIXELS * 0.99:
                    width_pt, height_pt = page.get_size()
                target = out.new_page(width_pt, height_pt)
                picture = pdfium.PdfImage.new(out)
                picture.load_jpeg(jpeg, inline=False, autoclose=False)
                picture.set_matrix(pdfium.PdfMatrix().scale(width_pt, height_pt))
                target.insert_obj(picture)
                target.gen_content()
            buffer = io.BytesIO()
            out.save(buffer)
        finally:
            out.close()
    result = buffer.getvalue()
    problems = check_pdf(result, allowed)
    if problems:
        raise RedactionError("；".join(problems))
    return RedactedFile(result, tuple(descriptions), pages)


def extract_text(data: bytes) -> str:
    """All text two independent readers find in ``data`` (pdfium, pdfplumber)."""
    parts: list[str] = []
    with opened(data) as doc:
        for page in doc:
            parts.append(page.get_textpage().get_text_range())
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for plumber_page in plumber.pages:
            parts.append(plumber_page.extract_text() or "")
            parts.append("".join(c.get("text", "") for c in plumber_page.chars))
    return "\n".join(parts)


def check_pdf(data: bytes, allowed: dict[str, int]) -> list[str]:
    """What is wrong with a redacted PDF (empty when it may be delivered): any text
    layer, any withheld phrase (also in the raw bytes), metadata, attachments."""
    problems: list[str] = []
    try:
        text = extract_text(data)
    except RedactionError as exc:
        return [f"生成的文件无法读取：{exc}"]
    if compact(text):
        problems.append("生成的PDF仍含文字层")
    if leaks(text, allowed):
        problems.append(
            f"生成的PDF中仍能提取到{len(leaks(text, allowed))}项被删除的文字"
        )
    raw = data
    for phrase in allowed:
        for encoded in (phrase.encode("utf-8"), phrase.encode("utf-16-be")):
            if encoded in raw:
                problems.append("生成的PDF的字节中仍含被删除的文字")
                break
    with opened(data) as doc:
        info = doc.get_metadata_dict()
        # pdfium itself writes Creator "PDFium" and the creation date of the new
        # file; nothing of the original's document information may remain.
        if info.get("Creator") == "PDFium":
            info.pop("Creator")
        info.pop("CreationDate", None)
        info.pop("ModDate", None)
        if any(str(v).strip() for v in info.values()):
            problems.append("生成的PDF仍含元数据（标题、作者等）")
        if doc.count_attachments():
            problems.append("生成的PDF仍含附件")
    return problems
