"""Issue 18, F13: active PDF content, PDF/HTML polyglots and zip bombs are refused
in clear Chinese, and an honest PDF, Word or Excel file still passes."""

from __future__ import annotations

import io
import re
import zipfile

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.security.uploads import validate_upload


def _pdf(change=None) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _open_action_js(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )


def _launch(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")
    )


def _page_js(pdf: pikepdf.Pdf) -> None:
    # Additional action on the page, the JavaScript in a compressed object stream.
    pdf.pages[0].obj.AA = pikepdf.Dictionary(
        O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("this.x=1"))
    )


def _names_js(pdf: pikepdf.Pdf) -> None:
    script = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(2)"))
    )
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("a"), script])
        )
    )


def _embedded(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _refusal(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        validate_upload(_file(name, data))
    return info.value.messages[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_open_action_js, "JavaScript"),
        (_page_js, "JavaScript"),
        (_names_js, "JavaScript"),
        (_launch, "启动外部程序"),
        (_embedded, "内嵌了其他文件"),
    ],
)
def test_active_pdf_content_is_refused(change, message):
    """Before the fix each of these was accepted as an attachment."""
    assert message in _refusal("材料.pdf", _pdf(change))


def test_javascript_in_a_compressed_object_stream_is_found():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    _open_action_js(pdf)
    out = io.BytesIO()
    pdf.save(
        out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True
    )
    data = out.getvalue()
    assert b"/JavaScript" not in data  # hidden from a byte search
    assert "JavaScript" in _refusal("a.pdf", data)


def test_an_escaped_name_in_an_unreadable_pdf_is_still_found():
    data = b"%PDF-1.4\n1 0 obj<</S/J#61vaScript/JS(app.alert(1))>>endobj\n%%EOF\n"
    assert "JavaScript" in _refusal("a.pdf", data)


def test_a_pdf_html_polyglot_is_refused():
    polyglot = (
        _pdf()
        + b"\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    )
    assert "网页" in _refusal("a.pdf", polyglot)


def test_an_honest_pdf_passes():
    assert validate_upload(_file("申请表.pdf", _pdf())).kind == "pdf"


def _docx_with(member: str, size: int) -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    with (
        zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as out,
    ):
        chunk = b"\0" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            out.write(chunk)
    return buffer.getvalue()


def test_a_docx_zip_bomb_is_refused_without_being_expanded():
    bomb = _docx_with("word/media/image1.png", 200 * 1024 * 1024)
    assert len(bomb) < 2 * 1024 * 1024  # small on the wire, 200 MB expanded
    message = _refusal("申请.docx", bomb)
    assert "压缩炸弹" in message and re.search(r"约 20\d MB", message), message


def test_an_extreme_expansion_ratio_is_refused_below_the_size_limit():
    bomb = _docx_with("word/media/image1.png", 20 * 1024 * 1024)
    message = _refusal("申请.docx", bomb)
    assert "压缩比异常" in message


def test_an_xlsx_bomb_is_refused_and_an_honest_workbook_passes(settings):
    from openpyxl import Workbook

    book = Workbook()
    for row in range(200):
        book.active.append([f"第{row}行", row, row * 1.5])
    buffer = io.BytesIO()
    book.save(buffer)
    assert validate_upload(_file("统计.xlsx", buffer.getvalue())).kind == "xlsx"
    settings.UPLOAD_MAX_EXPANDED_MB = 1
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/big.bin", b"A" * (2 * 1024 * 1024))
    assert "压缩炸弹" in _refusal("统计.xlsx", buffer.getvalue())


def test_a_pdf_with_an_opening_password_cannot_be_checked_and_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    assert "已加密" in _refusal("a.pdf", out.getvalue())
