"""Scanned reports: image-only PDFs and images (PNG/JPEG/TIFF) read by OCR.

The engine is RapidOCR (``rapidocr-onnxruntime``): PP-OCRv4 Chinese detection and
recognition models shipped inside the wheel and run by onnxruntime on the CPU —
nothing is downloaded at run time. It is imported only when a scan comes.

A page becomes lines of the same linear document every reader writes:

1. the page is rendered (PDF, 150 dpi) or decoded (image) and given to the engine,
   which returns text boxes with a recognition score;
2. the table's ruling lines are found in the image (OpenCV morphology: long thin
   horizontal and vertical strokes); the pages of a slightly rotated scan are
   straightened first (the skew is measured on the long text boxes);
3. a box whose centre lies between two horizontal rules and two vertical rules is
   in a table cell: each table row (band between two rules) becomes one line, its
   cells joined by tabs, and an empty value cell of a row that holds numbers is
   written ``∅`` — so a ``0`` the engine missed is a blank the row sums decide,
   never a shifted row; boxes outside tables are grouped into text lines by height.

``confirm_by_sums`` then sets the confidence of what was read (issue 20): a value
in a relation (row sum, column sums, 一＋二＝三＋四, section 四 totals) that holds is
``certain``; one whose every complete relation fails is ``unknown`` with
``parse.ocr_contradicted``; one no relation can check is ``inferred``.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from dataclasses import dataclass
from typing import Any

from gongkai.core.annual.checks.layout import (
    T3_APPLICANT_COLUMNS,
    T3_CARRIED,
    T3_CARRY_FORWARD,
    T3_COLUMNS,
    T3_NEW,
    T3_TOTAL,
    T3_TOTAL_COLUMN,
    T4_GROUPS,
    T4_OUTCOMES,
    T4_TOTAL,
    t3_key,
    t4_key,
)
from gongkai.core.annual.model import Finding, Provenance, Report
from gongkai.core.annual.parse.diagnostics import finding
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.plain import text_doc

OCR_DPI = 150
_MAX_PAGES = 60
IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"II*\x00",
    b"MM\x00*",
)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")

_engine: Any = None


def looks_like_image(data: bytes, name: str) -> bool:
    return data.startswith(IMAGE_MAGIC) or name.endswith(IMAGE_SUFFIXES)


def _get_engine() -> Any:
    """The RapidOCR engine, built once per process (loading the models takes ~1 s)."""
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR(
            use_cls=False,
            print_verbose=False,
            intra_op_num_threads=1,
            inter_op_num_threads=1,
        )
    return _engine


# --- entry points ------------------------------------------------------------------


def image_doc(data: bytes) -> Doc:
    """A PNG/JPEG/TIFF scan (every frame of a multi-page TIFF) read by OCR."""
    try:
        pages = _image_pages(data)
    except Exception as exc:  # PIL raises many kinds for damaged files
        return _failed("parse.image_unreadable", type(exc).__name__)
    return _ocr_pages(pages)


def pdf_ocr_doc(data: bytes) -> Doc:
    """An image-only PDF: every page rendered at ``OCR_DPI`` and read by OCR."""
    try:
        pages = _pdf_pages(data)
    except Exception as exc:
        return _failed("parse.pdf_unreadable", type(exc).__name__)
    doc = _ocr_pages(pages) if pages else Doc("", kind="pdf")
    if not doc.text.strip() and not doc.findings:
        doc.findings.append(finding("parse.pdf_no_text"))
    return doc


def _failed(code: str, detail: str) -> Doc:
    doc = Doc("", kind="ocr")
    doc.findings.append(finding(code, detail))
    return doc


def _ocr_pages(pages: list[Any]) -> Doc:
    if not any(_has_marks(_gray(page)) for page in pages):
        return Doc("", kind="ocr")
    try:
        engine = _get_engine()
    except ImportError:
        return _failed("parse.ocr_unavailable", "rapidocr-onnxruntime")
    texts = [page_text(engine, page) for page in pages]
    starts: list[int] = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    doc = text_doc("\n".join(texts), kind="ocr")
    doc.page_starts = starts
    if doc.text.strip():
        doc.findings.append(finding("parse.ocr_used", str(len(pages))))
    return doc


def _image_pages(data: bytes) -> list[Any]:
    import numpy as np
    from PIL import Image, ImageSequence

    pages: list[Any] = []
    with Image.open(io.BytesIO(data)) as image:
        for frame in ImageSequence.Iterator(image):
            if len(pages) >= _MAX_PAGES:
                break
            pages.append(np.array(frame.convert("RGB")))
    return pages


_SCAN_COVER = 0.4  # a scanned page is a picture covering most of the page


def _pdf_pages(data: bytes) -> list[Any]:
    """Rendered pages of a scanned PDF; ``[]`` when no page is mostly a picture
    (a PDF whose text layer is lost or a page with a small image is not a scan)."""
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        pages: list[Any] = []
        scanned = False
        for index in range(min(len(pdf), _MAX_PAGES)):
            page = pdf[index]
            try:
                scanned = scanned or _is_scan(page)
                bitmap = page.render(scale=OCR_DPI / 72)
                pages.append(np.array(bitmap.to_pil().convert("RGB")))
            finally:
                page.close()
        return pages if scanned else []
    finally:
        pdf.close()


def _is_scan(page: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    area = max(width * height, 1.0)
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) >= _SCAN_COVER * area:
            return True
    return False


# --- one page ------------------------------------------------------------------------


@dataclass
class Box:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Rules:
    """Ruling lines of the page: horizontal (y, x0, x1), vertical (x, y0, y1)."""

    horizontal: list[tuple[float, float, float]]
    vertical: list[tuple[float, float, float]]


_MIN_MARKS = 20  # a page with fewer separate ink marks holds no text to read


def _has_marks(gray: Any) -> bool:
    """Cheap test before OCR: a blank page or a lone picture frame has no text."""
    import cv2

    _, ink = cv2.threshold(gray, 128, 255, cv2.THRESH_BINARY_INV)
    count, _ = cv2.connectedComponents(ink, connectivity=8)
    return bool(count - 1 >= _MIN_MARKS)


def page_text(engine: Any, image: Any) -> str:
    """The linear text of one page image (RGB array)."""
    if not _has_marks(_gray(image)):
        return ""
    result, _ = engine(image[:, :, ::-1], text_score=0.3)
    boxes = [_box(points, text, score) for points, text, score in result or []]
    angle = _skew(result or [])
    gray = _gray(image)
    if abs(angle) > 0.2:
        gray, boxes = _straighten(gray, boxes, angle)
    rules = find_rules(gray)
    return "\n".join(layout_lines(boxes, rules))


def _box(points: Any, text: str, score: float) -> Box:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return Box(_clean(text), min(xs), min(ys), max(xs), max(ys), float(score))


_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "Q": "0", "D": "0", "l": "1", "I": "1", "|": "1"}
)
# specks a noisy scan adds around a number: dots, colons, degree signs, quotes
_SPECKS = ".:：;；,，°'`\"·、。_-~"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _clean(text: str) -> str:
    """A box's text; a number with specks around it or a letter for a digit
    (``0.`` ``.95`` ``O:`` ``Q``) is the number. Text keeps its characters."""
    text = text.strip()
    core = text.strip(_SPECKS + " ").translate(_DIGIT_LOOKALIKES)
    if (
        core
        and len(core) <= 12
        and _NUMBER.fullmatch(core.replace(",", ""))
        and (any(c.isdigit() for c in text) or len(core) == 1)
    ):
        return core
    return text


def _skew(result: list[Any]) -> float:
    """Median angle (degrees) of the top edges of long text boxes."""
    angles = []
    for points, _text, _score in result:
        (x0, y0), (x1, y1) = points[0], points[1]
        width = math.hypot(x1 - x0, y1 - y0)
        height = math.hypot(points[3][0] - x0, points[3][1] - y0)
        if width > 6 * max(height, 1):
            angles.append(math.degrees(math.atan2(y1 - y0, x1 - x0)))
    if len(angles) < 3:
        return 0.0
    angles.sort()
    return angles[len(angles) // 2]


def _gray(image: Any) -> Any:
    import numpy as np

    rgb = image.astype(np.float32)
    return (0.299 * rgb[:, :, 0] + 0.587 * rgb[:, :, 1] + 0.114 * rgb[:, :, 2]).astype(
        np.uint8
    )


def _straighten(gray: Any, boxes: list[Box], angle: float) -> tuple[Any, list[Box]]:
    """Rotate the page image and the box centres by ``-angle`` around the centre."""
    import cv2

    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rotated = cv2.warpAffine(gray, matrix, (w, h), borderValue=255)
    moved = []
    for box in boxes:
        x = matrix[0][0] * box.cx + matrix[0][1] * box.cy + matrix[0][2]
        y = matrix[1][0] * box.cx + matrix[1][1] * box.cy + matrix[1][2]
        half_w, half_h = (box.x1 - box.x0) / 2, box.height / 2
        moved.append(
            Box(box.text, x - half_w, y - half_h, x + half_w, y + half_h, box.score)
        )
    return rotated, moved


def find_rules(gray: Any) -> Rules:
    """Long thin strokes of the page: the table's ruling lines."""
    import cv2

    h, w = gray.shape
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (w // 25, 1))
    )
    vertical = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, h // 80))
    )
    # close small gaps left by noise along a rule
    horizontal = cv2.dilate(
        horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3))
    )
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))
    rules = Rules([], [])
    for mask, out, is_horizontal in (
        (horizontal, rules.horizontal, True),
        (vertical, rules.vertical, False),
    ):
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, count):
            x, y, bw, bh, _area = (float(v) for v in stats[i])
            if is_horizontal:
                out.append((y + bh / 2, x, x + bw))
            else:
                out.append((x + bw / 2, y, y + bh))
    return rules


def _distinct(values: list[float], tolerance: float) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= tolerance:
            continue
        out.append(value)
    return out


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,]+(?:\.\d+)?", text))


def layout_lines(boxes: list[Box], rules: Rules) -> list[str]:
    """Lines of the page in reading order: table rows (cells by tabs) and text lines."""
    h_ys = _distinct([y for y, _, _ in rules.horizontal], 4.0)
    rows: dict[int, list[Box]] = {}
    loose: list[Box] = []
    for box in boxes:
        band = _band(box, h_ys, rules)
        if band is None:
            loose.append(box)
        else:
            rows.setdefault(band, []).append(box)
    cells = {
        band: _cells(members, _separators(rules, h_ys[band], h_ys[band + 1]))
        for band, members in rows.items()
    }
    # value columns: cell intervals where some row of the page has a number
    value_columns = [
        span for row in cells.values() for span, text in row if _numeric(text)
    ]
    items: list[tuple[float, str]] = []
    for band, row in cells.items():
        line = _table_line(row, value_columns)
        if line:
            items.append((h_ys[band], line))
    for group in _text_lines(loose):
        items.append((min(b.y0 for b in group), _join_text(group)))
    items.sort(key=lambda item: item[0])
    return [line for _, line in items]


def _band(box: Box, h_ys: list[float], rules: Rules) -> int | None:
    """Index of the band between two horizontal rules holding the box, in a table."""
    for i in range(len(h_ys) - 1):
        top, bottom = h_ys[i], h_ys[i + 1]
        if top < box.cy < bottom:
            seps = _separators(rules, top, bottom)
            if len(seps) >= 2 and seps[0] < box.cx < seps[-1]:
                return i
            return None
    return None


def _separators(rules: Rules, top: float, bottom: float) -> list[float]:
    """Vertical rules crossing the whole band (text strokes never do)."""
    slack = max(4.0, (bottom - top) * 0.15)
    return _distinct(
        [
            x
            for x, y0, y1 in rules.vertical
            if y0 <= top + slack and y1 >= bottom - slack
        ],
        6.0,
    )


Span = tuple[float, float]


_COVERED = "\x00"  # a cell a box from the next cell spills over: not a blank


def _cells(members: list[Box], seps: list[float]) -> list[tuple[Span, str]]:
    """Texts of the row's cells. A box over several cells (the engine joined the
    ``0`` of neighbouring cells into ``000``) gives one digit to each cell when the
    counts match; otherwise it stays in its centre cell and the others are marked
    covered."""
    spans = list(itertools.pairwise(seps)) or [(0.0, 1e9)]
    groups: list[list[Box]] = [[] for _ in spans]
    covered: set[int] = set()
    for box in members:
        under = [
            i
            for i, (left, right) in enumerate(spans)
            if box.x0 <= (left + right) / 2 <= box.x1
        ]
        if len(under) >= 2 and box.text.isdigit() and len(box.text) == len(under):
            for i, digit in zip(under, box.text, strict=True):
                left, right = spans[i]
                groups[i].append(Box(digit, left, box.y0, right, box.y1, box.score))
            continue
        index = next(
            (i for i, (left, right) in enumerate(spans) if left <= box.cx < right), 0
        )
        groups[index].append(box)
        covered.update(i for i in under if i != index)
    return [
        (
            span,
            "".join(b.text for b in sorted(group, key=lambda b: (b.y0, b.x0)))
            or (_COVERED if i in covered else ""),
        )
        for i, (span, group) in enumerate(zip(spans, groups, strict=True))
    ]


def _same_span(a: Span, b: Span) -> bool:
    return abs(a[0] - b[0]) <= 8 and abs(a[1] - b[1]) <= 8


def _table_line(row: list[tuple[Span, str]], value_columns: list[Span]) -> str:
    """One table row: its cells by tabs; in a row with numbers an empty cell of a
    value column (one holding numbers in other rows) is written ``∅``."""
    if not any(_numeric(text) for _, text in row):
        return "\t".join(text for _, text in row if text and text != _COVERED)
    last_label = max(
        (
            i
            for i, (_, text) in enumerate(row)
            if text and text != _COVERED and not _numeric(text)
        ),
        default=-1,
    )
    numbers = [i for i, (_, text) in enumerate(row) if _numeric(text)]
    out = []
    for i, (span, text) in enumerate(row):
        if text == _COVERED:
            continue
        if text:
            out.append(text)
        elif i > last_label and (
            numbers[0] < i < numbers[-1]  # a gap between numbers of the row
            or any(_same_span(span, v) for v in value_columns)
        ):
            out.append("∅")
    return "\t".join(out)


def _text_lines(boxes: list[Box]) -> list[list[Box]]:
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        if lines:
            last = lines[-1]
            top = min(b.y0 for b in last)
            bottom = max(b.y1 for b in last)
            if top <= box.cy <= bottom:
                last.append(box)
                continue
        lines.append([box])
    return lines


def _join_text(line: list[Box]) -> str:
    line.sort(key=lambda b: b.x0)
    out = [line[0].text]
    for before, box in itertools.pairwise(line):
        gap = box.x0 - before.x1
        out.append("\t" if gap > 1.5 * max(box.height, 1) else "")
        out.append(box.text)
    return "".join(out)


# --- confidence from the sums ------------------------------------------------------


def _relations(report: Report) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(plus keys, minus keys): sum(plus) == sum(minus), for the cells present."""

    cells = report.cells
    relations: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    stems = sorted({k[3:].rsplit(".", 1)[0] for k in cells if k.startswith("s3.")})
    for stem in stems:
        relations.append(
            (
                tuple(t3_key(stem, c) for c in T3_APPLICANT_COLUMNS),
                (t3_key(stem, T3_TOTAL_COLUMN),),
            )
        )
    not_results = {T3_NEW, T3_CARRIED, T3_TOTAL, T3_CARRY_FORWARD}
    result_stems = [
        s
        for s in stems
        if s not in not_results
        and not s.endswith(".subtotal")
        and not (
            s.startswith("other.")
            and any(cells.get(f"s3.other.subtotal.{c}") is not None for c in T3_COLUMNS)
        )
    ]
    for col in T3_COLUMNS:
        relations.append(
            (tuple(t3_key(s, col) for s in result_stems), (t3_key(T3_TOTAL, col),))
        )
        relations.append(
            (
                (t3_key(T3_NEW, col), t3_key(T3_CARRIED, col)),
                (t3_key(T3_TOTAL, col), t3_key(T3_CARRY_FORWARD, col)),
            )
        )
    for group in T4_GROUPS:
        relations.append(
            (tuple(t4_key(group, c) for c in T4_OUTCOMES), (t4_key(group, T4_TOTAL),))
        )
    return [(p, m) for p, m in relations if all(k in cells for k in p + m)]


def confirm_by_sums(report: Report) -> None:
    """Set the confidence of OCR'd values from the arithmetic (issue 20, req. 1)."""
    held: dict[str, bool] = {}
    failed: dict[str, bool] = {}
    for plus, minus in _relations(report):
        values = [report.cells[k] for k in plus + minus]
        if any(v is None for v in values):
            continue
        ok = sum(report.cells[k] or 0 for k in plus) == sum(
            report.cells[k] or 0 for k in minus
        )
        for key in plus + minus:
            if ok:
                held[key] = True
            else:
                failed[key] = True
    contradicted: list[str] = []
    unconfirmed: list[str] = []
    for key, value in report.cells.items():
        prov = report.provenance.get(key)
        if value is None or prov is None or not prov.where.startswith("ocr"):
            continue
        if held.get(key):
            continue  # confirmed: keeps what the reading said
        if failed.get(key):
            report.cells[key] = None
            report.provenance[key] = Provenance(
                prov.where, "unknown", f"OCR识别为{value}，与表内合计不符"
            )
            contradicted.append(key)
        elif prov.confidence == "certain":
            report.provenance[key] = Provenance(
                prov.where, "inferred", "OCR识别，无合计关系可核对"
            )
            unconfirmed.append(key)
    extra: list[Finding] = []
    if contradicted:
        extra.append(
            finding(
                "parse.ocr_contradicted", str(len(contradicted)), tuple(contradicted)
            )
        )
    if unconfirmed:
        extra.append(
            finding("parse.ocr_unconfirmed", str(len(unconfirmed)), tuple(unconfirmed))
        )
    report.diagnostics.extend(extra)
