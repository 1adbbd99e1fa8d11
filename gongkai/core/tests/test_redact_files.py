"""The redaction engines: the withheld words are gone from the output file, checked
the way anyone could look for them — text extraction, every XML part, metadata."""

from __future__ import annotations

import io
import zipfile

import docx
import pypdf
import pypdfium2 as pdfium
import pytest
from docx.enum.style import WD_STYLE_TYPE
from lxml import etree
from weasyprint import HTML

from gongkai.core import redact_docx as docx_engine
from gongkai.core import redact_pdf as pdf_engine
from gongkai.core.redact_docx import check_docx, part_texts, redact_docx
from gongkai.core.redact_pdf import check_pdf, extract_text, page_count, redact_pdf
from gongkai.core.redaction import RedactionError, region_mark, text_mark

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAME, PHONE, ID = "张三丰", "13912345678", "410305199001012343"


def _pdf() -> bytes:
    html = (
        "<html><head><meta charset=utf-8><title>张三丰的材料</title>"
        "<meta name=author content=张三丰></head><body>"
        f"<p>申请人{NAME}，身份证号{ID}，电话{PHONE}。</p>"
        f"<p>{NAME}的住址是洛阳市老城区某路8号，备用电话{PHONE}。</p>"
        f"<p style='page-break-before:always'>第二页：{NAME}。</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _docx() -> bytes:
    d = docx.Document()
    d.core_properties.author = NAME
    d.core_properties.title = f"关于{NAME}的材料"
    d.core_properties.comments = f"电话{PHONE}"
    p = d.add_paragraph("申请人")
    p.add_run("张三")  # the name is split over two runs, as Word often does
    p.add_run(f"丰，电话{PHONE[:3]}")
    p.add_run(f"{PHONE[3:]}。")
    d.add_paragraph(f"第二段：{NAME}的地址，备用电话{PHONE}。")
    d.add_table(rows=2, cols=2).cell(1, 1).text = f"{NAME} {ID}"
    d.sections[0].header.paragraphs[0].text = f"页眉 {NAME}"
    d.sections[0].footer.paragraphs[0].text = f"页脚 {ID}"
    noted = d.add_paragraph("有批注的段落")
    d.add_comment(noted.runs, text=f"批注里有{NAME}", author=NAME, initials="ZS")
    hidden = d.add_paragraph("可见的文字")
    hidden.add_run(f"隐藏的{ID}").font.hidden = True
    body = d.element.body
    tracked = etree.SubElement(body, _w("p"))
    deletion = etree.SubElement(tracked, _w("del"), {_w("id"): "91", _w("author"): "x"})
    run = etree.SubElement(etree.SubElement(deletion, _w("r")), _w("delText"))
    run.text = f"修订中删掉的{ID}"
    body.append(body.find(_w("sectPr")))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_the_fixtures_really_hold_the_words_everywhere_we_look():
    pdf_text = extract_text(_pdf())
    assert NAME in pdf_text and PHONE in pdf_text
    holding = {n for n, text in part_texts(_docx()) if NAME in text or ID in text}
    assert {
        "word/document.xml",
        "word/header1.xml",
        "word/footer1.xml",
        "word/comments.xml",
        "docProps/core.xml",
    } <= holding


def test_a_redacted_pdf_has_no_text_layer_no_metadata_and_none_of_the_words():
    source = _pdf()
    result = redact_pdf(
        source,
        [
            text_mark(NAME, "privacy"),
            text_mark(PHONE, "privacy"),
            region_mark(2, 0.1, 0.05, 0.6, 0.2, "internal_affairs"),
        ],
    )
    assert result.pages == 2 == page_count(result.data)
    text = extract_text(result.data)
    assert NAME not in text and PHONE not in text and text.strip() == ""
    doc = pdfium.PdfDocument(result.data)
    info = doc.get_metadata_dict()
    assert info["Title"] == info["Author"] == info["Subject"] == ""
    assert doc.count_attachments() == 0
    assert NAME.encode("utf-16-be") not in result.data
    assert result.descriptions == (
        "第1页2处、第2页，共3处（每处3个字）",
        "第1页，共2处（每处11个字）",
        "第2页 区域1",
    )


def test_each_pdf_box_is_opaque_and_carries_its_article():
    source = _pdf()
    result = redact_pdf(source, [region_mark(1, 0.2, 0.3, 0.8, 0.6, "privacy")])
    page = pdfium.PdfDocument(result.data)[0]
    image = page.render(scale=1).to_pil().convert("L")
    w, h = image.size
    # Inside the box, away from the label: black. The label itself: white pixels.
    assert image.getpixel((int(w * 0.25), int(h * 0.35))) < 40
    box = image.crop(
        (int(w * 0.2) + 3, int(h * 0.3) + 3, int(w * 0.8) - 3, int(h * 0.6) - 3)
    )
    assert box.getextrema()[1] > 200  # the white reason code is drawn on the box


def test_the_second_occurrence_only_leaves_the_first():
    result = redact_pdf(_pdf(), [text_mark(PHONE, "privacy", occurrence=2)])
    assert result.descriptions == ("第1页（11个字）",)
    page = pdfium.PdfDocument(result.data)[0]
    # Image-only: nothing can be extracted, the first number is only in the picture.
    assert extract_text(result.data).strip() == ""
    assert page.get_size()[0] > 500


def test_a_phrase_not_in_the_text_layer_is_refused_in_chinese():
    with pytest.raises(RedactionError, match="没有找到"):
        redact_pdf(_pdf(), [text_mark("不存在的文字", "privacy")])
    with pytest.raises(RedactionError, match="只出现2处"):
        redact_pdf(_pdf(), [text_mark(PHONE, "privacy", occurrence=3)])


def test_an_encrypted_or_broken_pdf_is_refused_in_chinese():
    with pytest.raises(RedactionError, match="无法读取"):
        redact_pdf(b"%PDF-1.7 this is not a pdf", [])
    encrypted = _encrypted_pdf()
    with pytest.raises(RedactionError, match="加密"):
        page_count(encrypted)


def _encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(_pdf()))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_pdf_check_finds_a_text_layer_and_metadata():
    problems = check_pdf(_pdf(), {NAME: 0})
    assert any("文字层" in p for p in problems)
    assert any("被删除的文字" in p for p in problems)
    assert any("元数据" in p for p in problems)


def test_a_redacted_docx_holds_none_of_the_words_in_any_part():
    result = redact_docx(
        _docx(),
        [
            text_mark(NAME, "privacy"),
            text_mark(ID, "privacy"),
            text_mark(PHONE, "privacy"),
        ],
    )
    for name, text in part_texts(result.data):
        flat = "".join(text.split())
        assert NAME not in flat and ID not in flat and PHONE not in flat, name
    with zipfile.ZipFile(io.BytesIO(result.data)) as archive:
        names = set(archive.namelist())
        core = etree.fromstring(archive.read("docProps/core.xml"))
    assert not any(n.startswith("word/comments") for n in names)
    assert "".join(core.itertext()).strip() == ""
    reopened = docx.Document(io.BytesIO(result.data))
    assert (
        reopened.paragraphs[0].text
        == "申请人【已删除：第十五条】，电话【已删除：第十五条】。"
    )
    assert (
        reopened.tables[0].cell(1, 1).text
        == "【已删除：第十五条】 【已删除：第十五条】"
    )
    assert reopened.sections[0].header.paragraphs[0].text == "页眉 【已删除：第十五条】"
    assert "修订中删掉的" not in "".join(p.text for p in reopened.paragraphs)
    assert result.descriptions[0] == (
        "正文第1段、正文第2段、正文表格1第2行第2列、页眉，共4处（每处3个字）"
    )


def test_a_chosen_docx_occurrence_keeps_the_others_and_the_check_allows_them():
    result = redact_docx(_docx(), [text_mark(PHONE, "trade_secret", occurrence=2)])
    reopened = docx.Document(io.BytesIO(result.data))
    assert PHONE in reopened.paragraphs[0].text.replace(" ", "")
    assert (
        reopened.paragraphs[1].text
        == "第二段：张三丰的地址，备用电话【已删除：第十五条】。"
    )
    assert result.descriptions == ("正文第2段（11个字）",)
    assert check_docx(result.data, {PHONE: 0}) != []  # the first one is still there
    assert check_docx(result.data, {PHONE: 1}) == []


def test_a_file_that_is_not_a_docx_is_refused_in_chinese():
    with pytest.raises(RedactionError, match="不是有效的 docx"):
        redact_docx(b"not a zip at all", [text_mark(NAME, "privacy")])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(RedactionError, match="不是有效的 docx"):
        redact_docx(buffer.getvalue(), [text_mark(NAME, "privacy")])


def _docx_with_hidden_places() -> bytes:
    """The phrase only where a reader does not look: a mailto link's target, a
    picture's alt text, custom document properties, a field code."""
    from PIL import Image

    d = docx.Document()
    paragraph = d.add_paragraph("联系方式：")
    part = d.part
    rid = part.relate_to(
        f"mailto:{PHONE}@139.com",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    link = etree.SubElement(paragraph._p, _w("hyperlink"))
    link.set(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", rid
    )
    run = etree.SubElement(link, _w("r"))
    etree.SubElement(run, _w("t")).text = "电子邮箱"
    field = d.add_paragraph()._p
    code_run = etree.SubElement(field, _w("r"))
    etree.SubElement(code_run, _w("instrText")).text = f' HYPERLINK "tel:{PHONE}" '
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(picture, "PNG")
    picture.seek(0)
    d.add_picture(picture)
    for pr in d.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    ):
        pr.set("descr", f"{NAME}的照片")
    plain = io.BytesIO()
    d.save(plain)
    # Custom properties, added to the package by hand as Word writes them.
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            raw = source.read(info)
            if info.filename == "[Content_Types].xml":
                raw = raw.replace(
                    b"</Types>",
                    b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
                )
            if info.filename == "_rels/.rels":
                raw = raw.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/custom-properties" '
                    b'Target="docProps/custom.xml"/></Relationships>',
                )
            target.writestr(info, raw)
        target.writestr(
            "docProps/custom.xml",
            '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.'
            'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
            'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
            'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="经办人">'
            f"<vt:lpwstr>{NAME}</vt:lpwstr></property></Properties>",
        )
    return out.getvalue()


def test_a_docx_loses_the_words_in_links_alt_text_field_codes_and_custom_properties():
    source = _docx_with_hidden_places()
    holding = {n for n, text in part_texts(source) if NAME in text or PHONE in text}
    assert {
        "word/_rels/document.xml.rels",
        "word/document.xml",
        "docProps/custom.xml",
    } <= holding
    result = redact_docx(
        source, [text_mark(NAME, "privacy"), text_mark(PHONE, "privacy")]
    )
    for name, text in part_texts(result.data):
        assert NAME not in text and PHONE not in text, name
    assert result.descriptions == (
        "文档属性、批注、修订或链接中（3个字）",
        "文档属性、批注、修订或链接中（11个字）",
    )
    reopened = docx.Document(io.BytesIO(result.data))
    assert "电子邮箱" in reopened.paragraphs[0]._p.xml  # the link text stays


def test_a_text_mark_is_located_before_anything_is_produced():
    assert (
        pdf_engine.locate_text(_pdf(), text_mark(PHONE, "privacy"))
        == "第1页，共2处（每处11个字）"
    )
    assert (
        docx_engine.locate_text(_docx(), text_mark(ID, "privacy", occurrence=1))
        == "正文表格1第2行第2列（18个字）"
    )
    with pytest.raises(RedactionError, match=r"^要删除的文字在PDF的文字层中没有找到"):
        pdf_engine.locate_text(_pdf(), text_mark("扫描件里的字", "privacy"))


def test_text_hidden_by_its_style_is_removed_too():
    d = docx.Document()
    style = d.styles.add_style("内部备注", WD_STYLE_TYPE.CHARACTER)
    style.font.hidden = True
    paragraph = d.add_paragraph("可见的正文。")
    paragraph.add_run(f"隐藏备注：{NAME}同意。", style="内部备注")
    d.add_paragraph(f"正文再提一次{PHONE}。")
    source = io.BytesIO()
    d.save(source)
    result = redact_docx(source.getvalue(), [text_mark(PHONE, "privacy")])
    reopened = docx.Document(io.BytesIO(result.data))
    text = "".join(p.text for p in reopened.paragraphs)
    assert "隐藏备注" not in text and NAME not in text
    assert text == "可见的正文。正文再提一次【已删除：第十五条】。"
