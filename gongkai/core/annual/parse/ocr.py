"""Scanned reports: image-only PDFs and images (PNG/JPEG/TIFF) read by OCR.

The engine is RapidOCR (``rapidocr-onnxruntime``): PP-OCRv4 Chinese detection and
recognition models shipped inside the wheel and run by onnxruntime on the CPU —
nothing is downloaded at run time. It is imported only when a scan comes.

A page becomes lines of the same linear document every reader writes:

1. the page is rendered (PDF, 150 dpi) or decoded (image); text boxes are found
   once on the page scaled down (``DET_SHORT_SIDE``) and read from the full-size
   page as tight crops batched by width (``Engine``: ~2 s CPU a page, where
   RapidOCR's own call spends ~10 s);
2. the table's ruling lines are found in the image (OpenCV morphology: long thin
   horizontal and vertical strokes); the pages of a slightly rotated scan are
   straightened first (the skew is measured on the long text boxes);
3. a box whose centre lies between two horizontal rules and two vertical rules is
   in a table cell: each table row (band between two rules) becomes one line, its
   cells joined by tabs. In a row holding numbers, a value cell the detector left
   empty or joined with its neighbours (``000`` over three cells) is cut from the
   page and read alone; a cell still empty in a value column is written ``∅`` — so
   a ``0`` the engine missed is a blank the row sums decide, never a shifted row;
   boxes outside tables are grouped into text lines by height.

``confirm_by_sums`` then sets the confidence of what was read (issue 20): a value
is ``certain`` only when a relation (row sum, column sums, 一＋二＝三＋四, section 四
totals) that includes it holds and none that includes it fails; one in both a
holding and a failing relation is ``inferred`` with ``parse.ocr_disputed``; one
whose every complete relation fails is ``unknown`` with ``parse.ocr_contradicted``;
one no relation can check is ``inferred``.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import warnings
from collections.abc import Callable, Iterator
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

# onnxruntime threads per process: one. A page is small work in many short runs
# (one detection, a few dozen recognition batches); a second thread gains little
# there and takes the other core of a 2-core server from the web workers. Several
# reports at once run in several processes (`gongkai report audit --jobs N`).
OCR_THREADS = 1


def looks_like_image(data: bytes, name: str) -> bool:
    return data.startswith(IMAGE_MAGIC) or name.endswith(IMAGE_SUFFIXES)


def _get_engine() -> Any:
    """The OCR engine, built once per process (loading the models takes ~1 s)."""
    global _engine
    if _engine is None:
        _engine = Engine()
    return _engine


# detection runs on the page scaled so that its short side is this many pixels (a
# 150-dpi A4 page: 1240 → 700, text lines ~12 px high, which the DB detector finds
# as well as at full size in a third of the time); never enlarged
DET_SHORT_SIDE = 700
# recognition: crops are scaled to 40 px high (a 150-dpi text line is 40–45 px;
# the model's usual 48 enlarges specks and costs a third more — on the benchmark
# scans 40 reads every cell 48 reads, at 0.7× the CPU) and as wide as their text,
# at least REC_MIN_WIDTH (a lone "0" padded to 320 px, as RapidOCR does, costs three
# times as much and reads no better); crops of like width share a batch
REC_HEIGHT = 40
REC_MIN_WIDTH = 64
REC_BATCH = 8
REC_WIDTH_SPREAD = 1.3  # widest / narrowest crop of a batch (padding wasted ≤ 30 %)


class Engine:
    """RapidOCR's PP-OCRv4 models, driven for report pages.

    ``RapidOCR.__call__`` detects at full size and pads every crop to at least
    320 px; a table page has 100–200 crops, most of them a number two digits wide,
    so that call spends ~10 s CPU a page. Here detection runs once at a reduced
    scale chosen from the page size, the boxes are scaled back and cut from the
    full-size page, and recognition runs on tight crops batched by width.
    """

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._rapid = RapidOCR(
            use_cls=False,  # report pages are upright; the skew is handled here
            print_verbose=False,
            intra_op_num_threads=OCR_THREADS,
            inter_op_num_threads=1,
        )
        self._det = self._rapid.text_det
        # no resizing inside the detector beyond rounding to a multiple of 32
        self._det.limit_type = "min"
        self._det.limit_side_len = 32
        self._rec = self._rapid.text_rec

    def read(self, image: Any, text_score: float = 0.3) -> list[Any]:
        """Text boxes of a page (RGB array): ``[(4 points, text, score), …]``."""
        import cv2
        import numpy as np

        bgr = np.ascontiguousarray(image[:, :, ::-1])
        h, w = bgr.shape[:2]
        scale = min(1.0, DET_SHORT_SIDE / max(min(h, w), 1))
        small = (
            cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            if scale < 1.0
            else bgr
        )
        boxes, _ = self._det(small)
        if boxes is None or len(boxes) == 0:
            return []
        # back to full-size coordinates (the detector rounded the size to 32 px)
        sy = h / small.shape[0]
        sx = w / small.shape[1]
        quads = [
            np.array(box, dtype=np.float32) * np.array([sx, sy], dtype=np.float32)
            for box in boxes
        ]
        crops = [_crop(bgr, quad) for quad in quads]
        texts = self.recognise(crops)
        return [
            (quad.tolist(), text, score)
            for quad, (text, score) in zip(quads, texts, strict=True)
            if score >= text_score
        ]

    def recognise(self, crops: list[Any]) -> list[tuple[str, float]]:
        """Text and score of each crop (BGR arrays), in batches of like width."""
        import cv2
        import numpy as np

        ratios = [c.shape[1] / max(c.shape[0], 1) for c in crops]
        order = sorted(range(len(crops)), key=lambda i: ratios[i])
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        start = 0
        floor = REC_MIN_WIDTH / REC_HEIGHT
        while start < len(order):
            end = start + 1
            limit = REC_WIDTH_SPREAD * max(ratios[order[start]], floor)
            while (
                end < len(order)
                and end - start < REC_BATCH
                and ratios[order[end]] <= limit
            ):
                end += 1
            batch = order[start:end]
            width = max(
                REC_MIN_WIDTH,
                math.ceil(REC_HEIGHT * max(ratios[i] for i in batch) / 8) * 8,
            )
            tensor = np.zeros((len(batch), 3, REC_HEIGHT, width), dtype=np.float32)
            for n, i in enumerate(batch):
                w = max(1, min(width, math.ceil(REC_HEIGHT * ratios[i])))
                pixels = cv2.resize(crops[i], (w, REC_HEIGHT)).astype(np.float32)
                tensor[n, :, :, :w] = pixels.transpose(2, 0, 1) / 127.5 - 1.0
            preds = self._rec.session(tensor)[0]
            for i, (text, score, *_rest) in zip(
                batch, self._rec.postprocess_op(preds), strict=True
            ):
                out[i] = (str(text), float(score))
            start = end
        return out


def _crop(bgr: Any, quad: Any) -> Any:
    """The box cut out of the page and made upright (a perspective warp of its
    four corners). A crop much taller than wide is a vertical label: turned."""
    import cv2
    import numpy as np

    width = int(
        max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3]))
    )
    height = int(
        max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))
    )
    width, height = max(width, 1), max(height, 1)
    target = np.array(
        [[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32
    )
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    crop = cv2.warpPerspective(
        bgr,
        matrix,
        (width, height),
        borderMode=cv2.BORDER_REPLICATE,
        flags=cv2.INTER_CUBIC,
    )
    if height >= 1.5 * width:
        crop = np.ascontiguousarray(np.rot90(crop))
    return crop


# --- entry points ------------------------------------------------------------------

# Pixel limits, checked on the sizes the file declares before anything is decoded
# or rendered (a small file can declare a page of 10^5 × 10^5 px, or 60 TIFF frames
# of 100 Mpx each, which PIL's decompression-bomb check lets through):
#
# * a page is rendered (PDF) or scaled down (image) so that its long side is at most
#   MAX_SIDE px — an A3 page at 150 dpi; an A4 page stays at 150 dpi; a PDF page
#   that would come out below MIN_DPI is refused;
# * an image frame larger than MAX_IMAGE_PIXELS (an A4 page scanned at 600 dpi is
#   35 Mpx) is refused, not decoded;
# * a file whose pages add up to more than MAX_TOTAL_PIXELS (60 A4 pages scanned at
#   300 dpi: 522 Mpx) is refused.
#
# Pages are decoded and read one at a time, so memory holds one page, not the file.
MAX_SIDE = 2480
# a PDF page so large that MAX_SIDE px give it less than this is refused: its text
# would be too small to read (a page longer than 63 cm, beyond A2)
MIN_DPI = 100
MAX_IMAGE_PIXELS = 40_000_000
MAX_TOTAL_PIXELS = 600_000_000


class _TooLarge(Exception):
    """The file's pages exceed the pixel limits: the Chinese reason."""


def image_doc(data: bytes) -> Doc:
    """A PNG/JPEG/TIFF scan (every frame of a multi-page TIFF) read by OCR."""
    try:
        count = _image_plan(data)
    except _TooLarge as exc:
        return _failed("parse.scan_too_large", str(exc))
    except Exception:  # PIL raises many kinds for damaged files
        return _failed("parse.image_unreadable", "不是可读的PNG、JPEG或TIFF图片")
    try:
        doc = _ocr_pages(_image_pages(data), count)
    except _Unreadable:
        return _failed("parse.image_unreadable", "不是可读的PNG、JPEG或TIFF图片")
    if not doc.text.strip() and not doc.findings:
        doc.findings.append(finding("parse.ocr_no_text"))
    return doc


def pdf_ocr_doc(data: bytes) -> Doc:
    """An image-only PDF: every page rendered at ``OCR_DPI`` (long side at most
    ``MAX_SIDE``) and read by OCR. Whether it is a scan is decided from the page
    objects before any page is rendered."""
    try:
        scales = _pdf_plan(data)
    except _TooLarge as exc:
        return _failed("parse.scan_too_large", str(exc))
    except Exception:  # pdfium raises PdfiumError, ValueError, ...
        return _failed("parse.pdf_unreadable", "页面无法转为图片")
    if not scales:
        doc = Doc("", kind="pdf")
    else:
        try:
            doc = _ocr_pages(_pdf_pages(data, scales), len(scales))
        except _Unreadable:
            return _failed("parse.pdf_unreadable", "页面无法转为图片")
    if not doc.text.strip() and not doc.findings:
        doc.findings.append(finding("parse.pdf_no_text"))
    return doc


def image_page_count(data: bytes) -> int:
    """Pages OCR would read in this image (0: unreadable or refused by the limits,
    which ``image_doc`` answers at once without OCR)."""
    try:
        return _image_plan(data)
    except Exception:
        return 0


def pdf_scan_page_count(data: bytes) -> int:
    """Pages OCR would read in this PDF without a text layer (0: not a scan,
    unreadable or refused by the limits — answered at once without OCR)."""
    try:
        return len(_pdf_plan(data))
    except Exception:
        return 0


class _Unreadable(Exception):
    """A page could not be decoded or rendered."""


def _failed(code: str, detail: str) -> Doc:
    doc = Doc("", kind="ocr")
    doc.findings.append(finding(code, detail))
    return doc


def _ocr_pages(pages: Iterator[Any], count: int) -> Doc:
    """Read the pages one at a time; the engine is built at the first page with
    ink (a blank file is answered without it)."""
    texts: list[str] = []
    engine: Any = None
    for page in pages:
        if not _has_marks(_gray(page)):
            texts.append("")
            continue
        if engine is None:
            try:
                engine = _get_engine()
            except ImportError:
                return _failed("parse.ocr_unavailable", "rapidocr-onnxruntime")
        texts.append(page_text(engine, page))
    if engine is None:
        return Doc("", kind="ocr")
    starts: list[int] = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + 1
    doc = text_doc("\n".join(texts), kind="ocr")
    doc.page_starts = starts
    if doc.text.strip():
        doc.findings.append(finding("parse.ocr_used", str(count)))
    return doc


def _image_plan(data: bytes) -> int:
    """Frames to read, checked against the limits on their declared sizes (no
    frame is decoded here)."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            # the limits below are the check; PIL's own warning adds nothing
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return _frames_within_limits(data)
    except Image.DecompressionBombError as exc:
        raise _TooLarge(
            f"图片像素过多，超过每页{MAX_IMAGE_PIXELS // 1_000_000}百万像素的上限，"
            "请以300 dpi左右重新扫描"
        ) from exc


def _frames_within_limits(data: bytes) -> int:
    from PIL import Image, ImageSequence

    total = 0
    count = 0
    with Image.open(io.BytesIO(data)) as image:
        for frame in ImageSequence.Iterator(image):
            if count >= _MAX_PAGES:
                break
            count += 1
            width, height = frame.size
            pixels = width * height
            if pixels > MAX_IMAGE_PIXELS:
                raise _TooLarge(
                    f"第{count}页图片为{width}×{height}像素，超过每页"
                    f"{MAX_IMAGE_PIXELS // 1_000_000}百万像素的上限，"
                    "请以300 dpi左右重新扫描"
                )
            total += pixels
            if total > MAX_TOTAL_PIXELS:
                raise _TooLarge(_total_reason(count))
    return count


def _total_reason(count: int) -> str:
    return (
        f"前{count}页图片合计超过{MAX_TOTAL_PIXELS // 1_000_000}百万像素的上限，"
        "请降低扫描分辨率（300 dpi即可）或分成几个文件"
    )


def _image_pages(data: bytes) -> Iterator[Any]:
    """The frames, decoded one at a time and scaled down to ``MAX_SIDE``."""
    import numpy as np
    from PIL import Image, ImageSequence

    with Image.open(io.BytesIO(data)) as image:
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            if index >= _MAX_PAGES:
                break
            try:
                rgb = frame.convert("RGB")
                if max(rgb.size) > MAX_SIDE:
                    rgb.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                page = np.array(rgb)
            except Exception as exc:  # a frame damaged after its header
                raise _Unreadable from exc
            yield page


_SCAN_COVER = 0.4  # a scanned page is a picture covering most of the page


def _pdf_plan(data: bytes) -> list[float]:
    """The render scale of each page of a scanned PDF, from its page objects and
    sizes (nothing is rendered); ``[]`` when no page is mostly a picture (a PDF
    whose text layer is lost or a page with a small image is not a scan)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        scales: list[float] = []
        scanned = False
        total = 0.0
        for index in range(min(len(pdf), _MAX_PAGES)):
            page = pdf[index]
            try:
                scanned = scanned or _is_scan(page)
                width, height = page.get_size()
            finally:
                page.close()
            if not (width > 0 and height > 0):
                raise ValueError("page without a size")
            scale = min(OCR_DPI / 72, MAX_SIDE / max(width, height))
            if scale < MIN_DPI / 72:
                raise _TooLarge(
                    f"第{index + 1}页的页面为{width / 72 * 2.54:.0f}×"
                    f"{height / 72 * 2.54:.0f}厘米，远大于A3纸，无法以可识别的清晰度"
                    "转为图片，请按A4或A3纸张重新扫描"
                )
            scales.append(scale)
            total += (width * scale) * (height * scale)
            if total > MAX_TOTAL_PIXELS:
                raise _TooLarge(_total_reason(index + 1))
        return scales if scanned else []
    finally:
        pdf.close()


def _pdf_pages(data: bytes, scales: list[float]) -> Iterator[Any]:
    """The pages rendered one at a time at their planned scale."""
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for index, scale in enumerate(scales):
            page = pdf[index]
            try:
                bitmap = page.render(scale=scale)
                image = np.array(bitmap.to_pil().convert("RGB"))
            except Exception as exc:
                raise _Unreadable from exc
            finally:
                page.close()
            yield image
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
    gray = _gray(image)
    if not _has_marks(gray):
        return ""
    result = engine.read(image)
    boxes = [_box(points, text, score) for points, text, score in result]
    angle = _skew(result)
    if abs(angle) > 0.2:
        gray, boxes = _straighten(gray, boxes, angle)
    rules = find_rules(gray)
    return "\n".join(layout_lines(boxes, rules, _cell_reader(engine, gray)))


_CELL_SCORE = 0.5  # a cell read alone counts only with a confident reading


def _cell_reader(engine: Any, gray: Any) -> CellReader:
    """Reads table cells (rectangles of the straightened page) one by one."""

    def read(rects: list[tuple[float, float, float, float]]) -> list[str]:
        import cv2

        crops: list[Any] = []
        where: list[int] = []
        for k, rect in enumerate(rects):
            crop = _ink_crop(gray, rect)
            if crop is not None:
                crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR))
                where.append(k)
        out = [""] * len(rects)
        for k, (text, score) in zip(where, engine.recognise(crops), strict=True):
            if score >= _CELL_SCORE:
                out[k] = _clean(text)
        return out

    return read


def _ink_crop(gray: Any, rect: tuple[float, float, float, float]) -> Any:
    """The inked part of a cell, inside its rules and without specks; ``None``
    when the cell is blank."""
    import cv2
    import numpy as np

    x0, y0, x1, y1 = rect
    h, w = gray.shape
    margin = max(4, int(0.12 * (y1 - y0)))
    top, bottom = max(0, int(y0) + margin), min(h, int(y1) - margin)
    left, right = max(0, int(x0) + margin), min(w, int(x1) - margin)
    if bottom - top < 8 or right - left < 6:
        return None
    cell = gray[top:bottom, left:right]
    ink = (cell < 128).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    ch, cw = cell.shape
    keep = []
    for i in range(1, count):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if area < 6 or bh < 5:
            continue  # a speck of a noisy scan, a crumb of a rule
        if y == 0 and y + bh == ch:
            continue  # top to bottom: what is left of a vertical rule
        if x == 0 or x + bw == cw:
            return None  # ink running into the next cell: not this cell's alone
        keep.append(i)
    if not keep:
        return None
    xs0 = min(int(stats[i][cv2.CC_STAT_LEFT]) for i in keep)
    ys0 = min(int(stats[i][cv2.CC_STAT_TOP]) for i in keep)
    xs1 = max(
        int(stats[i][cv2.CC_STAT_LEFT] + stats[i][cv2.CC_STAT_WIDTH]) for i in keep
    )
    ys1 = max(
        int(stats[i][cv2.CC_STAT_TOP] + stats[i][cv2.CC_STAT_HEIGHT]) for i in keep
    )
    pad = max(3, (ys1 - ys0) // 3)
    return cell[
        max(0, ys0 - pad) : min(cell.shape[0], ys1 + pad),
        max(0, xs0 - pad) : min(cell.shape[1], xs1 + pad),
    ]


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
    import cv2

    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


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
        ink,
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (max(2, w // 25), 1)),
    )
    vertical = cv2.morphologyEx(
        ink,
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(2, h // 80))),
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


CellReader = Callable[[list[tuple[float, float, float, float]]], list[str]]


def layout_lines(
    boxes: list[Box], rules: Rules, read_cells: CellReader | None = None
) -> list[str]:
    """Lines of the page in reading order: table rows (cells by tabs) and text lines.

    ``read_cells`` (given by ``page_text``) reads cells straight from the page:
    in a row holding numbers, each value cell the detector left empty or
    covered by a box over several cells is read again on its own.
    """
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
    if read_cells is not None:
        _reread(cells, h_ys, read_cells)
    # value columns: cell intervals where some row of the page has a number
    value_columns = [
        span for row in cells.values() for span, text in row if _numeric(_bare(text))
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
    """Vertical rules crossing the whole band (text strokes never do). A rule that
    runs on through the next band may start up to 40 % of the band late: the first
    row of a table continued from the previous page, whose short rule stubs above
    the row are lost in the scan."""
    height = bottom - top
    slack = max(4.0, height * 0.15)
    return _distinct(
        [
            x
            for x, y0, y1 in rules.vertical
            if (y0 <= top + slack and y1 >= bottom - slack)
            or (y0 <= top + 0.4 * height and y1 >= bottom + 0.5 * height)
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
    spanning: set[int] = set()
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
        if len(under) >= 2 and _numeric(box.text):
            spanning.add(index)  # digits of several cells that did not split
    out = []
    for i, (span, group) in enumerate(zip(spans, groups, strict=True)):
        text = "".join(b.text for b in sorted(group, key=lambda b: (b.y0, b.x0)))
        if i in spanning or (i in covered and not text):
            text = _COVERED + text  # read again if the page can be read
        out.append((span, text))
    return out


def _reread(
    cells: dict[int, list[tuple[Span, str]]],
    h_ys: list[float],
    read_cells: CellReader,
) -> None:
    """Read again, cell by cell, what the detector missed or joined in number rows.

    A value cell (right of the row's last label) that is empty or covered by a box
    over several cells is cut from the page and read alone; a reading that is a
    number replaces it. A cell the engine still finds nothing in stays as it was.
    """
    wanted: list[tuple[int, int]] = []
    rects: list[tuple[float, float, float, float]] = []
    for band, row in cells.items():
        texts = [_bare(text) for _, text in row]
        if not any(_numeric(t) for t in texts):
            continue
        last_label = max(
            (i for i, t in enumerate(texts) if t and not _numeric(t)), default=-1
        )
        for i, (span, text) in enumerate(row):
            if i > last_label and (not text or text.startswith(_COVERED)):
                wanted.append((band, i))
                rects.append((span[0], h_ys[band], span[1], h_ys[band + 1]))
    if not rects:
        return
    for (band, i), text in zip(wanted, read_cells(rects), strict=True):
        if _numeric(text):
            cells[band][i] = (cells[band][i][0], text)


def _bare(text: str) -> str:
    return text.removeprefix(_COVERED)


def _same_span(a: Span, b: Span) -> bool:
    return abs(a[0] - b[0]) <= 8 and abs(a[1] - b[1]) <= 8


def _table_line(row: list[tuple[Span, str]], value_columns: list[Span]) -> str:
    """One table row: its cells by tabs; in a row with numbers an empty cell of a
    value column (one holding numbers in other rows) is written ``∅``. A cell a
    box of the next cell spills over is left out."""
    texts = [_bare(text) for _, text in row]
    covered = {i for i, (_, text) in enumerate(row) if text == _COVERED}
    if not any(_numeric(text) for text in texts):
        return "\t".join(text for text in texts if text)
    last_label = max(
        (i for i, text in enumerate(texts) if text and not _numeric(text)),
        default=-1,
    )
    numbers = [i for i, text in enumerate(texts) if _numeric(text)]
    out = []
    for i, ((span, _), text) in enumerate(zip(row, texts, strict=True)):
        if i in covered:
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
    disputed: list[str] = []
    unconfirmed: list[str] = []
    for key, value in report.cells.items():
        prov = report.provenance.get(key)
        if value is None or prov is None or not prov.where.startswith("ocr"):
            continue
        if held.get(key) and not failed.get(key):
            continue  # confirmed: keeps what the reading said
        if held.get(key):
            # one sum holds, another that includes it fails: the failing sum has a
            # wrong cell and this may be it (a misread digit in a row's cell and
            # its 总计 keeps the row sum but breaks both columns)
            if prov.confidence == "certain":
                report.provenance[key] = Provenance(
                    prov.where, "inferred", f"OCR识别为{value}，部分合计关系不符"
                )
            disputed.append(key)
        elif failed.get(key):
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
    if disputed:
        extra.append(finding("parse.ocr_disputed", str(len(disputed)), tuple(disputed)))
    if unconfirmed:
        extra.append(
            finding("parse.ocr_unconfirmed", str(len(unconfirmed)), tuple(unconfirmed))
        )
    report.diagnostics.extend(extra)
