"""Scanned reports read by OCR (issue 20, requirement 1).

The fast tests drive the page layout and the confidence rules with boxes made by
hand (no OCR engine); two slow tests run the real engine on scans — one made from
the corpus PDF (rendered at 150 dpi, specks added, turned by 1°), one from the seed
report as the platform prints it (official HTML → PDF by WeasyPrint → pages at
150 dpi, specks, turned 0.7°) — and compare every cell with the hand-read truth.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from gongkai.core.annual.parse import ocr, ocr_page_count, parse_bytes
from gongkai.core.annual.parse.doc import Doc
from gongkai.core.annual.parse.ocr import Box, Rules, layout_lines
from gongkai.core.annual.parse.report import parse_doc
from gongkai.core.tests.annual_fixtures import (
    CORPUS,
    SEED_FILE,
    requires_corpus,
    truth,
)
from gongkai.core.tests.annual_layouts import text_report

S3_COLUMNS = ("natural", "commercial", "research", "social", "legal", "other", "total")


def _grid(xs: list[float], ys: list[float]) -> Rules:
    return Rules(
        horizontal=[(y, xs[0], xs[-1]) for y in ys],
        vertical=[(x, ys[0], ys[-1]) for x in xs],
    )


def test_a_table_row_keeps_its_columns_and_a_missed_zero_is_a_blank() -> None:
    # label column 0–300, seven value columns of 50 px; rows 100–140, 140–180
    xs = [0.0, 300.0, *(300.0 + 50 * i for i in range(1, 8))]
    rules = _grid(xs, [100.0, 140.0, 180.0])

    def cell(col: int, row: int, text: str) -> Box:
        left = xs[col]
        top = 100 + 40 * row
        return Box(text, left + 10, top + 10, left + 30, top + 30, 0.9)

    boxes = [Box("标题在表外", 10, 20, 200, 50, 0.99)]
    boxes += [cell(0, 0, "（一）予以公开"), cell(0, 1, "（二）部分公开")]
    boxes += [cell(c, 0, v) for c, v in zip(range(1, 8), "5000005", strict=True)]
    # the engine missed the 0 of column 3 in the second row
    boxes += [cell(c, 1, v) for c, v in zip((1, 2, 4, 5, 6, 7), "200002", strict=True)]
    lines = layout_lines(boxes, rules)
    assert lines == [
        "标题在表外",
        "（一）予以公开\t5\t0\t0\t0\t0\t0\t5",
        "（二）部分公开\t2\t0\t∅\t0\t0\t0\t2",
    ]


def test_zeros_joined_over_cells_are_split_and_a_gap_in_a_lone_row_is_a_blank() -> None:
    xs = [0.0, 300.0, *(300.0 + 50 * i for i in range(1, 6))]  # label + 5 values
    rules = _grid(xs, [100.0, 140.0])

    def cell(col: int, text: str, span: int = 1) -> Box:
        return Box(text, xs[col] + 10, 110, xs[col + span - 1] + 40, 130, 0.9)

    joined = [cell(0, "行政复议"), cell(1, "1"), cell(2, "000", span=3), cell(5, "1")]
    assert layout_lines(joined, rules) == ["行政复议\t1\t0\t0\t0\t1"]
    # the only row of its table, one number missed between two others
    gap = [cell(0, "行政复议"), cell(1, "1"), cell(2, "0"), cell(4, "0"), cell(5, "1")]
    assert layout_lines(gap, rules) == ["行政复议\t1\t0\t∅\t0\t1"]


def test_the_first_row_of_a_table_continued_from_the_last_page_is_a_row() -> None:
    # rows 100–140 and 140–180; the vertical rules begin 12 px below the top rule
    # (their stubs above the first row were lost) and run on through the next row
    xs = [0.0, 300.0, 350.0, 400.0]
    rules = Rules(
        horizontal=[(y, 0.0, 400.0) for y in (100.0, 140.0, 180.0)],
        vertical=[(x, 112.0, 180.0) for x in xs],
    )

    def cell(col: int, row: int, text: str) -> Box:
        top = 100 + 40 * row
        return Box(text, xs[col] + 10, top + 10, xs[col] + 40, top + 30, 0.9)

    boxes = [cell(0, 0, "2.没有现成信息"), cell(1, 0, "1"), cell(2, 0, "1")]
    boxes += [cell(0, 1, "3.补正后"), cell(1, 1, "0"), cell(2, 1, "0")]
    assert layout_lines(boxes, rules) == ["2.没有现成信息\t1\t1", "3.补正后\t0\t0"]
    # a stroke inside one row that starts late and stops at its rule is no rule
    stroke = Rules(rules.horizontal, [*rules.vertical[:2], (375.0, 112.0, 141.0)])
    assert ocr._separators(stroke, 100.0, 140.0) == [0.0, 300.0]


def test_cells_the_detector_missed_or_joined_are_read_alone() -> None:
    xs = [0.0, 300.0, *(300.0 + 50 * i for i in range(1, 6))]  # label + 5 values
    rules = _grid(xs, [100.0, 140.0])
    asked: list[tuple[float, float, float, float]] = []

    def reader(rects: list[tuple[float, float, float, float]]) -> list[str]:
        asked.extend(rects)
        # the page shows 7 in column 3; column 5 is blank on the page
        return ["7" if rect[0] == xs[3] else "" for rect in rects]

    def cell(col: int, text: str, span: int = 1) -> Box:
        return Box(text, xs[col] + 10, 110, xs[col + span - 1] + 40, 130, 0.9)

    missed = [cell(0, "行政复议"), cell(1, "1"), cell(2, "0"), cell(4, "0")]
    assert layout_lines(missed, rules, reader) == ["行政复议\t1\t0\t7\t0"]
    # only the empty value cells were cut from the page, never the label
    assert sorted(rect[0] for rect in asked) == [xs[3], xs[5]]

    # "00" over three cells cannot be split by count: each cell is read alone
    asked.clear()
    joined = [cell(0, "行政复议"), cell(1, "1"), cell(2, "00", span=3), cell(5, "1")]
    assert layout_lines(joined, rules, lambda rects: ["0", "0", "0"]) == [
        "行政复议\t1\t0\t0\t0\t1"
    ]
    # without a reader (or when it reads nothing) the row is as before
    assert layout_lines(joined, rules) == ["行政复议\t1\t00\t1"]
    assert layout_lines(missed, rules, lambda rects: [""] * len(rects)) == [
        "行政复议\t1\t0\t∅\t0"
    ]


def test_a_blank_cell_with_specks_has_no_ink_to_read() -> None:
    np = pytest.importorskip("numpy")
    page = np.full((200, 300), 255, dtype=np.uint8)
    page[50, :] = page[150, :] = 0  # the rules of the row
    page[:, 20] = page[:, 120] = page[:, 220] = 0
    for y, x in ((80, 60), (120, 90), (100, 170)):
        page[y, x] = 0  # specks
    page[85:115, 160:175] = 0  # a digit's stroke in the second cell
    assert ocr._ink_crop(page, (20, 50, 120, 150)) is None
    crop = ocr._ink_crop(page, (120, 50, 220, 150))
    assert crop is not None
    assert crop.min() == 0 and crop.shape[0] < 100 and crop.shape[1] < 100
    # a rule the grid did not find, top to bottom through the cell: not ink to read
    page[50:150, 70] = 0
    assert ocr._ink_crop(page, (20, 50, 120, 150)) is None
    # a number running over the cell's rule is not read as this cell's alone
    page[85:115, 110:135] = 0
    assert ocr._ink_crop(page, (20, 50, 120, 150)) is None


def test_specks_around_a_number_are_dropped_but_words_kept() -> None:
    assert [ocr._clean(t) for t in ("0.", ".95", "O:", "Q", "50.", "行政处罚")] == [
        "0",
        "95",
        "0",
        "0",
        "50",
        "行政处罚",
    ]


def _ocr_report(text: str) -> Any:
    return parse_doc(Doc(text, kind="ocr"))


@requires_corpus
def test_sums_decide_the_confidence_of_ocr_values() -> None:
    cells = truth("pingtan_2024").cells
    good = _ocr_report(text_report(cells, title="某县2024年政府信息公开工作年度报告"))
    assert good.provenance["s3.granted.natural"].confidence == "certain"
    assert good.provenance["s3.granted.natural"].where.startswith("ocr:")
    # no sum covers section 二: read, but not certain
    assert good.provenance["s2.license.decisions"].confidence == "inferred"
    assert "parse.ocr_unconfirmed" in {d.code for d in good.diagnostics}

    # a misread digit breaks its row and its column: unknown, with a diagnostic
    misread = dict(cells)
    misread["s3.granted.natural"] = cells["s3.granted.natural"] + 3
    bad = _ocr_report(text_report(misread, title="某县2024年政府信息公开工作年度报告"))
    assert bad.cells["s3.granted.natural"] is None
    assert bad.provenance["s3.granted.natural"].confidence == "unknown"
    contradicted = [d for d in bad.diagnostics if d.code == "parse.ocr_contradicted"]
    assert contradicted and "s3.granted.natural" in contradicted[0].keys
    # the row's other cells hold in their columns but are in the failing row sum:
    # not certain (inferred, named); a cell of another row stays certain
    assert bad.provenance["s3.granted.commercial"].confidence == "inferred"
    assert bad.cells["s3.granted.commercial"] == cells["s3.granted.commercial"]
    disputed = [d for d in bad.diagnostics if d.code == "parse.ocr_disputed"]
    assert disputed and "s3.granted.commercial" in disputed[0].keys
    assert bad.provenance["s3.new.commercial"].confidence == "certain"


def test_a_value_one_sum_holds_and_another_breaks_is_not_certain() -> None:
    """A misread digit in a cell and in its row's 总计 (both 3 too high) keeps the
    row sum but breaks both columns: neither value may be marked certain."""
    cells = truth("pingtan_2024").cells
    misread = dict(cells)
    for key in ("s3.granted.natural", "s3.granted.total"):
        misread[key] = cells[key] + 3
    bad = _ocr_report(text_report(misread, title="某县2024年政府信息公开工作年度报告"))
    for key in ("s3.granted.natural", "s3.granted.total"):
        prov = bad.provenance[key]
        assert prov.confidence != "certain", (key, bad.cells[key], prov)
        if bad.cells[key] is not None:
            assert prov.confidence == "inferred" and "不符" in prov.note
    disputed = [d for d in bad.diagnostics if d.code == "parse.ocr_disputed"]
    assert len(disputed) == 1
    assert {"s3.granted.natural", "s3.granted.total"} <= set(disputed[0].keys)
    assert "不符" in disputed[0].message and disputed[0].severity == "warning"
    # no wrong value is certain anywhere in the report
    wrong = [
        k
        for k, v in bad.cells.items()
        if k in cells and v is not None and v != cells[k]
        if bad.provenance[k].confidence == "certain"
    ]
    assert wrong == []
    # a cell that only holding sums include stays certain (another row and column)
    assert bad.provenance["s3.granted.commercial"].confidence == "certain"
    assert bad.provenance["s3.new.legal"].confidence == "certain"


@requires_corpus
def test_a_group_label_wrapped_around_its_first_item_keeps_the_item() -> None:
    """A scan of a merged （六）其他处理 cell over three rows, its label wrapped in
    two lines: layout-ordered text has "（六）" before item 1 and "其他处理" before
    item 2, so the group label comes after the item it heads."""
    cells = truth("pingtan_2024").cells
    text = text_report(cells, title="某县2024年政府信息公开工作年度报告")
    assert "\n（六）其他处理\n1.申请人" in text
    text = text.replace("\n（六）其他处理\n1.申请人", "\n（六）\t1.申请人")
    text = text.replace("\n2.申请人逾期", "\n其他处理\t2.申请人逾期")
    report = _ocr_report(text)
    assert "parse.row_missing" not in {d.code for d in report.diagnostics}
    for row in ("no_supplement", "no_fee", "other"):
        for col in S3_COLUMNS:
            key = f"s3.other.{row}.{col}"
            assert report.cells[key] == cells[key], key
    assert report.cells["s3.other.no_supplement.natural"] == 1


class _FakeEngine:
    """Returns fixed boxes, as RapidOCR does: (4 points, text, score)."""

    def __init__(self, lines: list[str]) -> None:
        self.result = [
            (
                [
                    [20, 40 + 40 * i],
                    [900, 40 + 40 * i],
                    [900, 70 + 40 * i],
                    [20, 70 + 40 * i],
                ],
                line,
                0.99,
            )
            for i, line in enumerate(lines)
        ]

    def read(self, image: Any) -> list[Any]:
        return self.result

    def recognise(self, crops: list[Any]) -> list[tuple[str, float]]:
        return [("", 0.0) for _ in crops]


def _image_only_pdf() -> bytes:
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (595, 842), "white")  # the scan: a whole-page picture
    draw = ImageDraw.Draw(picture)
    for i in range(40):  # marks enough to look like text
        draw.rectangle((10 + 9 * i, 50, 14 + 9 * i, 60), fill="black")
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(picture))
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_an_image_only_pdf_is_read_by_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        "某县2024年政府信息公开工作年度报告",
        "一、总体情况",
        "全年主动公开信息35条。",
    ]
    monkeypatch.setattr(ocr, "_engine", _FakeEngine(lines))
    report = parse_bytes(_image_only_pdf(), "scan.pdf")
    codes = {d.code for d in report.diagnostics}
    assert "parse.ocr_used" in codes
    assert "parse.pdf_no_text" not in codes
    assert report.title == "某县2024年政府信息公开工作年度报告"
    assert report.sections["一"].strip() == "全年主动公开信息35条。"


def test_a_small_image_without_text_is_answered_not_crashed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    np = pytest.importorskip("numpy")
    from PIL import Image

    monkeypatch.setattr(ocr, "_engine", _FakeEngine([]))
    for height, width in ((12, 200), (64, 64), (40, 2000)):
        pixels = np.full((height, width), 255, dtype=np.uint8)
        pixels[np.random.default_rng(1).random(pixels.shape) < 0.05] = 0  # marks
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, "PNG")
        report = parse_bytes(out.getvalue(), "scan.png")
        assert [d.code for d in report.diagnostics] == ["parse.ocr_no_text"]


def test_a_damaged_image_is_refused_in_chinese() -> None:
    report = parse_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "scan.png")
    assert [d.code for d in report.diagnostics] == ["parse.image_unreadable"]


# --- limits: pages too large are refused before anything is decoded ---------------


def _tiff_declaring(sizes: list[tuple[int, int]]) -> bytes:
    """A small TIFF whose frames declare these sizes (width, height), 1 bit a pixel,
    with a few bytes of pixel data each: what a hostile upload looks like."""
    import struct

    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for n, (width, height) in enumerate(sizes):
        entries = [
            (256, 4, width),  # ImageWidth
            (257, 4, height),  # ImageLength
            (258, 3, 1),  # BitsPerSample
            (259, 3, 1),  # Compression: none
            (262, 3, 0),  # Photometric: white is zero
            (273, 4, 0),  # StripOffsets (patched below)
            (277, 3, 1),  # SamplesPerPixel
            (278, 4, height),  # RowsPerStrip
            (279, 4, 16),  # StripByteCounts
        ]
        start = len(out)
        data_at = start + 2 + 12 * len(entries) + 4
        after = data_at + 16
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            value = data_at if tag == 273 else value
            fmt = "<HHIHH" if kind == 3 else "<HHII"
            packed = (tag, kind, 1, value, 0) if kind == 3 else (tag, kind, 1, value)
            out += struct.pack(fmt, *packed)
        out += struct.pack("<I", after if n < len(sizes) - 1 else 0)
        out += b"\x00" * 16
    return bytes(out)


def _pdf_of_size(width: float, height: float, pages: int = 1) -> bytes:
    """A PDF of whole-page pictures (a scan) of this page size in points."""
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        page = pdf.new_page(width, height)
        image = pdfium.PdfImage.new(pdf)
        image.set_bitmap(pdfium.PdfBitmap.from_pil(Image.new("RGB", (8, 8), "white")))
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(image)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _never_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("a page was decoded or rendered")

    monkeypatch.setattr(ocr, "_image_pages", refuse)
    monkeypatch.setattr(ocr, "_pdf_pages", refuse)
    monkeypatch.setattr(ocr, "_get_engine", refuse)


@pytest.mark.parametrize(
    "name,sizes,words",
    [
        # 60 frames of 100 Mpx each: PIL's own bomb check lets each one through
        ("frames.tif", [(10_000, 10_000)] * 60, "每页40百万像素"),
        # 60 frames of 30 Mpx: each allowed, together 1.8 Gpx
        ("many.tif", [(6_000, 5_000)] * 60, "合计超过600百万像素"),
        # 400 Mpx in one frame: PIL's DecompressionBombError, said in Chinese
        ("bomb.tif", [(20_000, 20_000)], "40百万像素"),
    ],
)
def test_a_tiff_declaring_huge_frames_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch, name: str, sizes: list[tuple[int, int]], words: str
) -> None:
    data = _tiff_declaring(sizes)
    assert len(data) < 20_000
    _never_decoded(monkeypatch)
    report = parse_bytes(data, name)
    assert [d.code for d in report.diagnostics] == ["parse.scan_too_large"]
    message = report.diagnostics[0].message
    assert message.startswith("扫描件过大") and words in message, message
    # refused at once: nothing to hand to an OCR worker
    assert ocr_page_count(data, name) == 0


def test_a_giant_pdf_page_is_refused_before_rendering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _pdf_of_size(14_400, 14_400)  # 5 m square: 900 Mpx at 150 dpi
    _never_decoded(monkeypatch)
    report = parse_bytes(data, "giant.pdf")
    assert [d.code for d in report.diagnostics] == ["parse.scan_too_large"]
    assert "第1页的页面为508×508厘米" in report.diagnostics[0].message
    assert ocr_page_count(data, "giant.pdf") == 0


def test_pages_are_rendered_with_their_long_side_capped() -> None:
    # A4 stays at 150 dpi; A2 is rendered with its long side at MAX_SIDE
    a4, a2 = (595.0, 842.0), (1191.0, 1684.0)
    assert ocr._pdf_plan(_pdf_of_size(*a4)) == [ocr.OCR_DPI / 72]
    [scale] = ocr._pdf_plan(_pdf_of_size(*a2))
    assert round(a2[1] * scale) == ocr.MAX_SIDE
    [page] = list(ocr._pdf_pages(_pdf_of_size(*a2), [scale]))
    assert max(page.shape[:2]) <= ocr.MAX_SIDE
    # an A4 page scanned at 300 dpi is read at the same bound, one frame at a time
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (2480, 3508), 255).save(out, "PNG")
    frames = ocr._image_pages(out.getvalue())
    assert max(next(frames).shape[:2]) == ocr.MAX_SIDE


def test_the_pages_to_read_by_ocr_are_counted_without_reading_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import Image

    _never_decoded(monkeypatch)
    frames = [Image.new("L", (200, 300), 255) for _ in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    assert ocr_page_count(out.getvalue(), "scan.tif") == 3
    assert ocr_page_count(_image_only_pdf(), "scan.pdf") == 1
    assert ocr_page_count(_pdf_of_size(595, 842, pages=4), "x.pdf") == 4
    assert ocr_page_count("某县2024年政府信息公开工作年度报告".encode(), "a.txt") == 0
    if (CORPUS / "raw" / "hongze_2024.pdf").exists():  # a PDF with a text layer
        assert (
            ocr_page_count((CORPUS / "raw" / "hongze_2024.pdf").read_bytes(), "a.pdf")
            == 0
        )
    assert ocr_page_count(b"%PDF-1.4\n" + b"\x00" * 60, "broken.pdf") == 0


# --- the real engine --------------------------------------------------------------

ROWS_ON_THE_SCAN = (
    "new",
    "carried",
    "granted",
    "partial",
    *(
        f"withheld.{item}"
        for item in (
            "state_secret",
            "other_laws",
            "security_stability",
            "third_party",
            "internal_affairs",
            "process_info",
            "case_file",
            "query_matter",
        )
    ),
)


def _scan_of_hongze() -> bytes:
    """Title of page 1 over table 三 of page 3, 150 dpi, 0.3 % specks, turned 1°."""
    np = pytest.importorskip("numpy")
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument((CORPUS / "raw" / "hongze_2024.pdf").read_bytes())
    scale = ocr.OCR_DPI / 72
    title = pdf[0].render(scale=scale).to_pil().convert("L").crop((0, 160, 1240, 290))
    table = pdf[2].render(scale=scale).to_pil().convert("L").crop((0, 740, 1240, 1590))
    page = Image.new("L", (1240, title.height + table.height), 255)
    page.paste(title, (0, 0))
    page.paste(table, (0, title.height))
    pixels = np.array(page)
    pixels[np.random.default_rng(7).random(pixels.shape) < 0.003] = 0
    scan = Image.fromarray(pixels).rotate(1.0, expand=True, fillcolor=255)
    out = io.BytesIO()
    scan.save(out, "PNG")
    return out.getvalue()


@pytest.mark.slow
@requires_corpus
def test_a_noisy_turned_scan_reads_at_target_accuracy() -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    report = parse_bytes(_scan_of_hongze(), "scan.png")
    expected = truth("hongze_2024").cells
    keys = [f"s3.{row}.{col}" for row in ROWS_ON_THE_SCAN for col in S3_COLUMNS]
    right = [k for k in keys if report.cells[k] == expected[k]]
    wrong_certain = [
        k
        for k in keys
        if report.cells[k] is not None
        and report.cells[k] != expected[k]
        and report.provenance[k].confidence == "certain"
    ]
    assert wrong_certain == []
    assert len(right) >= 0.98 * len(keys), sorted(set(keys) - set(right))
    assert report.year == 2024
    assert report.provenance["s3.new.total"].where.startswith("ocr:第1页")


def scan_of_seed() -> bytes:
    """The seed report as the platform prints it (official HTML, WeasyPrint PDF),
    every page rasterised at 150 dpi, 0.2 % specks, turned 0.7°: an image-only PDF."""
    np = pytest.importorskip("numpy")
    weasyprint = pytest.importorskip("weasyprint")
    import pypdfium2 as pdfium
    from PIL import Image

    from gongkai.core.annual.render import render

    seed = parse_bytes(SEED_FILE.read_bytes(), SEED_FILE.name)
    printed = weasyprint.HTML(string=render(seed, "html").decode("utf-8")).write_pdf()
    pdf = pdfium.PdfDocument(printed)
    rng = np.random.default_rng(3)
    pages = []
    for page in pdf:
        pixels = np.array(page.render(scale=ocr.OCR_DPI / 72).to_pil().convert("L"))
        pixels[rng.random(pixels.shape) < 0.002] = 0
        pages.append(Image.fromarray(pixels).rotate(0.7, fillcolor=255))
    out = io.BytesIO()
    pages[0].save(
        out,
        "PDF",
        resolution=float(ocr.OCR_DPI),
        save_all=True,
        append_images=pages[1:],
    )
    return out.getvalue()


@pytest.mark.slow
@requires_corpus
@pytest.mark.skipif(not SEED_FILE.is_file(), reason="seed ../shared/seeds not present")
def test_the_seed_report_printed_and_scanned_reads_at_target_accuracy() -> None:
    pytest.importorskip("rapidocr_onnxruntime")
    data = scan_of_seed()
    assert ocr_page_count(data, "scan.pdf") >= 4  # image-only: every page by OCR
    report = parse_bytes(data, "scan.pdf")
    expected = {
        k: v for k, v in truth("seed_luopu_2021").cells.items() if v is not None
    }
    right = [k for k, v in expected.items() if _same(report.cells.get(k), v)]
    wrong_certain = [
        k
        for k, v in expected.items()
        if report.cells.get(k) is not None
        and not _same(report.cells[k], v)
        and report.provenance[k].confidence == "certain"
    ]
    assert wrong_certain == []
    assert len(right) >= 0.98 * len(expected), sorted(set(expected) - set(right))
    assert report.year == 2021
    assert "parse.ocr_used" in {d.code for d in report.diagnostics}


def _same(a: Any, b: Any) -> bool:
    return a is not None and Decimal(str(a)) == Decimal(str(b))
