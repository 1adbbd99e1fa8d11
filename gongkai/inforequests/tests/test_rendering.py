"""Letters in every format are A4 to GB/T 9704, and the signature stays with the text.

Read back: the DOCX with python-docx, the PDF with pdfplumber. No database needed:
the letter is ``core.letters.Letter`` content.
"""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
import pytest
from docx import Document

from gongkai.core.gbt9704 import GBT9704_PAGE
from gongkai.core.letters import Letter
from gongkai.inforequests import rendering as R

PT_PER_MM = 72 / 25.4
TOLERANCE_MM = 0.5
DATE_LINE = "2026年3月2日"


def letter(paragraphs: int, attachments: tuple[str, ...] = ()) -> Letter:
    # One short line per paragraph, so the body grows a line at a time.
    return Letter(
        key="acknowledgement",
        title="政府信息公开申请接收回执",
        document_number="测街公开〔2026〕1号",
        addressee="王小明",
        paragraphs=tuple(
            f"第{i:02d}段：本机关已收到您的申请。" for i in range(1, paragraphs + 1)
        ),
        issued_on=date(2026, 3, 2),
        issuing_body="测试街道办事处",
        seal_text="（盖章）",
        attachments=attachments,
    )


# -- the page ------------------------------------------------------------------


def test_the_shared_page_is_a4_with_the_gbt9704_margins() -> None:
    page = GBT9704_PAGE
    assert (page.width_mm, page.height_mm) == (210, 297)
    assert (page.top_mm, page.bottom_mm, page.left_mm, page.right_mm) == (
        37,
        35,
        28,
        26,
    )
    assert (page.text_width_mm, page.text_height_mm) == (156, 225)  # 版心


def test_the_docx_letter_is_a4_with_the_gbt9704_margins() -> None:
    doc = Document(io.BytesIO(R.render_docx(letter(3))))
    assert len(doc.sections) == 1
    section = doc.sections[0]
    got = {
        "width": section.page_width.mm,
        "height": section.page_height.mm,
        "top": section.top_margin.mm,
        "bottom": section.bottom_margin.mm,
        "left": section.left_margin.mm,
        "right": section.right_margin.mm,
    }
    expected = {
        "width": 210,
        "height": 297,
        "top": 37,
        "bottom": 35,
        "left": 28,
        "right": 26,
    }
    for key, mm in expected.items():
        assert got[key] == pytest.approx(mm, abs=TOLERANCE_MM), key


def test_the_pdf_letter_is_a4_and_its_text_sits_inside_the_margins() -> None:
    with pdfplumber.open(io.BytesIO(R.render_pdf(letter(3)))) as pdf:
        page = pdf.pages[0]
        assert page.width / PT_PER_MM == pytest.approx(210, abs=TOLERANCE_MM)
        assert page.height / PT_PER_MM == pytest.approx(297, abs=TOLERANCE_MM)
        lines = {line["text"]: line for line in page.extract_text_lines()}
    # The addressee starts at the left margin; the date ends at the right one.
    assert lines["王小明："]["x0"] / PT_PER_MM == pytest.approx(28, abs=TOLERANCE_MM)
    right_edge = lines[DATE_LINE]["x1"] / PT_PER_MM
    assert right_edge == pytest.approx(210 - 26, abs=TOLERANCE_MM)
    top = min(line["top"] for line in lines.values()) / PT_PER_MM
    assert 37 <= top < 37 + 10  # the title's first line, below the 天头


# -- the signature stays with the text -------------------------------------------


def _pages(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


@pytest.mark.parametrize("attachments", [(), ("政府信息公开申请表",)])
def test_the_pdf_never_puts_the_date_and_seal_alone_on_a_page(
    attachments: tuple[str, ...],
) -> None:
    # Add one-line paragraphs until the letter runs onto page 2, and a few more:
    # at every length the page with the date also holds the last body paragraph.
    overflowed = 0
    for n in range(8, 60):
        pages = _pages(R.render_pdf(letter(n, attachments)))
        if n == 8:
            assert len(pages) == 1  # the search starts before the edge
        (with_date,) = [text for text in pages if DATE_LINE in text]
        last = f"第{n:02d}段"
        assert last in with_date, (n, with_date)
        assert "测试街道办事处" in with_date and "（盖章）" in with_date
        if attachments:
            assert "附件：" in with_date
        if len(pages) > 1:
            overflowed += 1
            if overflowed == 6:
                break
    assert overflowed == 6, "the letters never reached a second page"


def _keep_with_next(data: bytes) -> dict[str, bool]:
    doc = Document(io.BytesIO(data))
    return {
        p.text: bool(p.paragraph_format.keep_with_next)
        for p in doc.paragraphs
        if p.text
    }


def test_the_docx_keeps_the_last_paragraph_and_the_signature_together() -> None:
    keep = _keep_with_next(R.render_docx(letter(5)))
    assert keep["第05段：本机关已收到您的申请。"] is True
    assert keep["测试街道办事处"] is True
    assert keep["（盖章）"] is True
    assert keep[DATE_LINE] is False  # the last line of the letter
    # The rest of the body may break across pages as usual.
    assert [keep[f"第{i:02d}段：本机关已收到您的申请。"] for i in range(1, 5)] == [
        False
    ] * 4
    # The empty line before the signature is kept with it too.
    doc = Document(io.BytesIO(R.render_docx(letter(5))))
    blank = [p for p in doc.paragraphs if not p.text]
    assert blank and all(p.paragraph_format.keep_with_next for p in blank)


def test_the_docx_keeps_the_attachment_note_with_the_signature() -> None:
    keep = _keep_with_next(R.render_docx(letter(2, ("申请表", "身份证明"))))
    assert keep["第02段：本机关已收到您的申请。"] is True
    assert keep["附件：1.申请表"] is True
    assert keep["　　　2.身份证明"] is True
    assert keep["第01段：本机关已收到您的申请。"] is False
