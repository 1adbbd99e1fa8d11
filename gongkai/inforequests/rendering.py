"""Laying out a letter: DOCX (python-docx) and PDF (WeasyPrint), A4 to GB/T 9704.

The content is ``gongkai.core.letters.Letter`` (pure data, stored on the ``Letter``
row); this module only draws it. The page (A4, margins 37/35/28/26 mm) is
``core.gbt9704.GBT9704_PAGE``, shared with the annual report's DOCX.

GB/T 9704 keeps the 发文机关署名, 成文日期 and seal with the text: the issuing
body, seal and date never stand alone on a page. The last body paragraph (with
any 附件说明) is kept on the same page as them — "keep with next" in the DOCX,
one ``break-inside: avoid`` block in the PDF.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

from gongkai.core import letters as content
from gongkai.core.gbt9704 import GBT9704_PAGE, apply_to_docx_section
from gongkai.inforequests.models import Letter

BODY_FONT = "仿宋"  # GB/T 9704-2012: 正文 3号仿宋
TITLE_FONT = "方正小标宋简体"  # 标题 2号小标宋; falls back to 宋体 where not installed


def _run_font(run: Any, name: str, size_pt: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def render_docx(letter: content.Letter) -> bytes:
    """The letter as a Word document: 公文-like layout, 仿宋 body (east-Asian font set)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    apply_to_docx_section(doc.sections[0], GBT9704_PAGE)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    def para(
        text: str,
        *,
        align: Any = None,
        font: str = BODY_FONT,
        size: float = 16,
        bold: bool = False,
        indent: bool = False,
        keep_with_next: bool = False,
    ) -> None:
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if keep_with_next:
            p.paragraph_format.keep_with_next = True
        _run_font(p.add_run(text), font, size, bold=bold)

    para(letter.title, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=22)
    if letter.document_number:
        para(letter.document_number, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(f"{letter.addressee}：")
    last = len(letter.paragraphs) - 1
    for i, text in enumerate(letter.paragraphs):
        # The last body paragraph goes with the signature block (GB/T 9704).
        para(text, indent=True, keep_with_next=i == last)
    for i, name in enumerate(letter.attachments, 1):
        label = "附件：" if i == 1 else "　　　"
        number = f"{i}." if len(letter.attachments) > 1 else ""
        para(f"{label}{number}{name}", indent=True, keep_with_next=True)
    doc.add_paragraph().paragraph_format.keep_with_next = True
    right = WD_ALIGN_PARAGRAPH.RIGHT
    para(letter.issuing_body, align=right, keep_with_next=True)
    para(letter.seal_text, align=right, keep_with_next=True)
    para(letter.date_text, align=right)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(letter: content.Letter) -> bytes:
    """The letter as PDF (WeasyPrint; Noto CJK fonts from the system, nothing downloaded)."""
    from weasyprint import HTML

    html = render_to_string(
        "inforequests/letter_pdf.html", {"letter": letter, "page": GBT9704_PAGE}
    )
    return bytes(HTML(string=html).write_pdf())


def download_name(row: Letter, extension: str) -> str:
    base = f"{row.request.tracking_number}-{row.title}"
    if row.number:
        base += f"-{row.number}"
    return f"{base}.{extension}"
