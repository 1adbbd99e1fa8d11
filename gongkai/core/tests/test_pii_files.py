"""Reading attachments for the personal-information check, and masked copies.

A file the check cannot read (encrypted, broken, too large, an image) is reported as
unreadable, never as clean."""

from __future__ import annotations

import csv
import io
import zipfile

import docx
import openpyxl
import pytest
from weasyprint import HTML

from gongkai.core.pii import Kind, find_pii
from gongkai.core.pii.masking import MaskError, mask_file
from gongkai.core.pii.readers import read_attachment, read_xlsx

STANDARD_ID = "11010519491231002X"
MOBILE = "13912345678"


def _found(result) -> set[tuple[str, str, str]]:
    return {
        (str(f.kind), f.text, f.where)
        for seg in result.segments
        for f in find_pii(seg.text, where=seg.where)
    }


# --------------------------------------------------------------------------- PDF


def test_a_pdf_text_layer_is_read_page_by_page():
    html = (
        "<p>第一页没有个人信息。</p>"
        f'<p style="page-break-before: always">王小明 {STANDARD_ID}</p>'
    )
    pdf = HTML(string=html).write_pdf()
    result = read_attachment(io.BytesIO(pdf), "pdf")
    assert result.complete and result.pages == 2
    assert ("resident_id", STANDARD_ID, "第2页") in _found(result)
    assert ("name", "王小明", "第2页") in _found(result)  # the cell space is kept


def test_a_pdf_page_without_text_is_unreadable_not_clean():
    pdf = HTML(string="<div style='height:10px'></div>").write_pdf()
    result = read_attachment(io.BytesIO(pdf), "pdf")
    assert not result.complete
    assert "没有文字层" in result.unreadable[0]


def test_a_broken_pdf_is_unreadable():
    result = read_attachment(io.BytesIO(b"%PDF-1.7\n1 0 obj<<>>garbage"), "pdf")
    assert result.unreadable


def _encrypted_pdf() -> bytes:
    """A minimal PDF with a Standard security handler whose user password is not empty
    (the /U entry matches no password), as an encrypted file from a scanner looks."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> /P -4 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        b"trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<"
        + b"33" * 16
        + b"> <"
        + b"33" * 16
        + b">] >>\nstartxref\n"
        + str(xref).encode()
        + b"\n%%EOF\n"
    )
    return out.getvalue()


def test_an_encrypted_pdf_is_unreadable():
    result = read_attachment(io.BytesIO(_encrypted_pdf()), "pdf")
    assert result.unreadable == ["PDF 已加密，无法读取"]
    assert result.segments == []


# --------------------------------------------------------------------------- images etc.


@pytest.mark.parametrize("kind", ["png", "jpg", "doc", "xls", "ofd", "zip"])
def test_formats_without_a_reader_are_unreadable(kind):
    assert read_attachment(io.BytesIO(b"\x89PNG...."), kind).unreadable


# --------------------------------------------------------------------------- DOCX


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("最低生活保障审核确认名单公示")
    p = document.add_paragraph("联系人手机：")
    # The number split over two runs, as Word often stores it.
    p.add_run(MOBILE[:5]).bold = True
    p.add_run(MOBILE[5:])
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "姓名"
    table.cell(0, 1).text = "身份证号"
    table.cell(1, 0).text = "王小明"
    table.cell(1, 1).text = STANDARD_ID
    document.sections[0].footer.paragraphs[0].text = f"经办人电话 {MOBILE}"
    document.core_properties.author = "王小明"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_tables_and_footers_are_read():
    found = _found(read_attachment(io.BytesIO(_docx()), "docx"))
    assert ("resident_id", STANDARD_ID, "表1第2行") in found
    assert ("name", "王小明", "表1第2行") in found
    assert ("mobile", MOBILE, "第2段") in found
    assert ("mobile", MOBILE, "第1节页脚") in found


def test_a_masked_docx_holds_none_of_the_values_anywhere_in_its_xml():
    masked, count = mask_file(_docx(), "docx")
    assert count >= 4
    with zipfile.ZipFile(io.BytesIO(masked)) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    for value in (STANDARD_ID, MOBILE, "王小明", MOBILE[:5]):
        assert value not in xml
    assert "1101**********002X" in xml
    assert "王*某" in xml
    again = read_attachment(io.BytesIO(masked), "docx")
    assert [k for k in _found(again) if k[0] != "name"] == []


# --------------------------------------------------------------------------- XLSX


def _xlsx(hidden_id: bool = True) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["序号", "姓名", "身份证号", "电话"])
    sheet.append([1, "王小明", STANDARD_ID, int(MOBILE)])  # the phone as a number
    hidden = book.create_sheet("备用")
    hidden.sheet_state = "hidden"
    if hidden_id:
        hidden.append(["李四", "110105491231002"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_cells_of_every_sheet_are_read_hidden_ones_too():
    result = read_attachment(io.BytesIO(_xlsx()), "xlsx")
    found = _found(result)
    assert ("resident_id", STANDARD_ID, "工作表“名单”第2行") in found
    assert ("mobile", MOBILE, "工作表“名单”第2行") in found
    assert ("resident_id", "110105491231002", "工作表“备用”第1行") in found
    assert result.cells >= 8


def test_a_spreadsheet_over_the_cell_bound_is_unreadable_not_checked_in_part():
    result = read_xlsx(io.BytesIO(_xlsx()), max_cells=4)
    assert result.unreadable and "单元格" in result.unreadable[0]


def test_a_masked_xlsx_holds_only_masks():
    masked, count = mask_file(_xlsx(), "xlsx")
    assert count >= 4
    book = openpyxl.load_workbook(io.BytesIO(masked))
    values = [str(c) for ws in book.worksheets for row in ws.values for c in row]
    assert "王*某" in values and "1101**********002X" in values
    assert "139****5678" in values
    assert not {STANDARD_ID, MOBILE, "王小明", "110105491231002"} & set(values)


# --------------------------------------------------------------------------- CSV


def test_a_gb18030_csv_is_read_and_masked_in_its_encoding():
    text = f"姓名,身份证号\r\n王小明,{STANDARD_ID}\r\n"
    raw = text.encode("gb18030")
    assert ("name", "王小明", "第2行") in _found(
        read_attachment(io.BytesIO(raw), "csv")
    )
    masked, count = mask_file(raw, "csv")
    rows = list(csv.reader(io.StringIO(masked.decode("gb18030"))))
    assert rows[1] == ["王*某", "1101**********002X"]
    assert count == 2


def test_a_pdf_cannot_be_masked_in_one_click():
    with pytest.raises(MaskError):
        mask_file(b"%PDF", "pdf")


def test_unreadable_is_a_kind_with_a_chinese_label():
    assert Kind.UNREADABLE.label == "无法读取的内容"
