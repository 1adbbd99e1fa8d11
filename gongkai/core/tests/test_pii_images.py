"""Images among attachments are read by OCR for the personal-information check
(issue 25: "images by OCR where the reports issue's OCR is available")."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gongkai.core.pii.detect import find_pii
from gongkai.core.pii.readers import MAX_OCR_FRAMES, read_attachment

pytest.importorskip("rapidocr_onnxruntime")
Image = pytest.importorskip("PIL.Image")
ImageDraw = pytest.importorskip("PIL.ImageDraw")
ImageFont = pytest.importorskip("PIL.ImageFont")

FONTS = sorted(Path("/usr/share/fonts").glob("**/NotoSansCJK-Regular.ttc"))


def _png(lines: list[str]) -> bytes:
    if not FONTS:
        pytest.skip("fonts-noto-cjk is not installed")
    font = ImageFont.truetype(str(FONTS[0]), 40)
    image = Image.new("RGB", (1200, 100 + 100 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((40, 60 + 100 * i), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_numbers_in_a_photographed_list_are_found() -> None:
    scan = _png(["联系电话：13912345678", "身份证号：110101199003074514"])
    read = read_attachment(io.BytesIO(scan), "png")
    assert read.unreadable == []
    text = "\n".join(segment.text for segment in read.segments)
    kinds = {hit.kind for hit in find_pii(text)}
    assert {"mobile", "resident_id"} <= kinds, kinds


def test_an_image_without_text_or_broken_is_left_to_a_person() -> None:
    blank = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(blank, "PNG")
    for data in (blank.getvalue(), b"not an image"):
        read = read_attachment(io.BytesIO(data), "jpg")
        assert read.segments == [] and len(read.unreadable) == 1
        assert "图片" in read.unreadable[0]


def test_a_long_tiff_is_not_read_while_the_reviewer_waits() -> None:
    frames = [Image.new("L", (200, 200), 255) for _ in range(MAX_OCR_FRAMES + 1)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:])
    read = read_attachment(io.BytesIO(out.getvalue()), "tiff")
    assert (
        read.segments == []
        and f"超过自动识别的{MAX_OCR_FRAMES}页" in read.unreadable[0]
    )
