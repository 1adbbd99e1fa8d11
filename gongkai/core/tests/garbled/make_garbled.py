"""Regenerate the bad inputs of this folder: ``python make_garbled.py``.

Each file is something a bulk import meets in practice; the expected
diagnostic codes are asserted in ``test_annual_parse_garbled.py``.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = Path(__file__).parents[4].parent / "shared" / "corpus" / "raw"


def _pdf_with_blank_page() -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _pdf_with_an_image_only() -> bytes:
    """A 'scanned' page: one picture, no text layer."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(picture).rectangle((20, 20, 380, 180), outline="black", width=3)
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(picture))
    image.set_matrix(pdfium.PdfMatrix().scale(400, 200).translate(100, 500))
    page.insert_obj(image)
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def main() -> None:
    rng = random.Random(20240131)
    seed = (CORPUS / "seed_luopu_2021.txt").read_text(encoding="utf-8")
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "whitespace.txt": b" \r\n\t \xe3\x80\x80\n",
        "random.bin": bytes(rng.randrange(256) for _ in range(4096)),
        "truncated.pdf": (CORPUS / "hongze_2024.pdf").read_bytes()[:30000],
        "blank_page.pdf": _pdf_with_blank_page(),
        "image_only.pdf": _pdf_with_an_image_only(),
        "truncated.docx": (CORPUS / "blank_template.docx").read_bytes()[:6000],
        "old_word.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(rng.randrange(256) for _ in range(2000)),
        "unrelated_notice.txt": (
            "关于做好2024年春节期间安全生产工作的通知\n各乡镇、街道，各有关单位：\n"
            "春节将至，为切实做好节日期间安全生产工作，现将有关事项通知如下。\n"
            "一、高度重视，压实责任\n二、突出重点，强化检查\n三、加强值守，及时报告\n"
        ).encode(),
        # GBK bytes behind a page that claims UTF-8
        "gbk_declared_utf8.html": (
            '<html><head><meta charset="utf-8"><title>seed</title></head><body><pre>'
            + seed
            + "</pre></body></html>"
        ).encode("gbk"),
        # UTF-8 text decoded as Latin-1 and saved again: mojibake throughout
        "mojibake.txt": seed.encode("utf-8").decode("latin-1").encode("utf-8"),
        # the report cut off in the middle of section 三
        "cut_in_table.txt": seed[: seed.index("5.属于三类内部事务信息")].encode(
            "utf-8"
        ),
        "html_without_body.html": b"<html><head><title>x</title></head></html>",
        "deeply_nested.html": b"<div>" * 5000
        + "一、总体情况".encode()
        + b"</div>" * 5000,
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
