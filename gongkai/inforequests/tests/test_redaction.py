"""区分处理 for 部分公开 (条例第三十七条), through the screens: the redacted PDF and
DOCX hold none of the withheld words (text extraction, every DOCX part, metadata),
the reply letter lists each redaction with its article, the original stays with
the case's staff, and bad files are answered in Chinese."""

from __future__ import annotations

import io
import zipfile

import docx
import pypdf
import pypdfium2 as pdfium
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from lxml import etree
from weasyprint import HTML

from gongkai.audit.models import AuditEvent
from gongkai.core.redact_docx import part_texts
from gongkai.core.redact_pdf import extract_text
from gongkai.inforequests import letters as L
from gongkai.inforequests import steps as S
from gongkai.inforequests.models import InfoRequest, RedactionDocument, RedactionMark
from gongkai.inforequests.tests.factories import registration

pytestmark = pytest.mark.django_db

NAME, PHONE, ID = "李秀英", "13800138000", "410305199001012343"
INTERNAL = "拟提交党工委会议研究"


def at(day: str) -> time_machine.travel:
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def case(tree, media) -> InfoRequest:
    with at("2026-09-18"):
        request, _code, _receipt = L.register(
            actor=tree.officer, organisation=tree.street, registration=registration()
        )
        S.perform("accept", actor=tree.officer, request=request, data={})
    return InfoRequest.objects.get(pk=request.pk)


def _pdf() -> bytes:
    html = (
        "<html><head><meta charset=utf-8><title>李秀英低保审核材料</title>"
        "<meta name=author content=李秀英></head><body>"
        f"<p>申请人{NAME}，身份证号{ID}，联系电话{PHONE}。</p>"
        f"<p>审核意见：{INTERNAL}。</p>"
        f"<p style='page-break-before:always'>附：{NAME}家庭收入情况。</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _docx() -> bytes:
    d = docx.Document()
    d.core_properties.author = NAME
    d.core_properties.title = f"{NAME}的材料"
    p = d.add_paragraph("申请人")
    p.add_run(NAME[:1])
    p.add_run(f"{NAME[1:]}，联系电话{PHONE}。")
    d.add_paragraph(f"审核意见：{INTERNAL}。")
    d.add_table(rows=1, cols=2).cell(0, 1).text = ID
    d.sections[0].header.paragraphs[0].text = f"{NAME}家庭情况"
    noted = d.add_paragraph("备注")
    d.add_comment(noted.runs, text=f"核实{PHONE}", author=NAME, initials="LX")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _url(name: str, case: InfoRequest, *args) -> str:
    return reverse(f"inforequests:{name}", args=[case.pk, *args])


def _upload(client, case, name: str, data: bytes):
    return client.post(
        _url("redaction_upload", case), {"file": SimpleUploadedFile(name, data)}
    )


def _mark(client, case, doc, **fields):
    return client.post(_url("redaction_mark", case, doc.pk), fields)


def _letter_text(case: InfoRequest) -> str:
    reply = case.letters.get(kind="reply")
    return "\n".join(reply.content["paragraphs"])


def test_the_redacted_files_hold_none_of_the_words_and_the_letter_lists_them(
    client, tree, case
):
    client.force_login(tree.officer)
    with at("2026-09-21"):
        assert _upload(client, case, "低保审核表.pdf", _pdf()).status_code == 302
        pdf_doc = RedactionDocument.objects.get(kind="pdf")
        assert pdf_doc.pages == 2
        for phrase in (NAME, PHONE, ID):
            response = _mark(
                client, case, pdf_doc, kind="text", phrase=phrase, ground="privacy"
            )
            assert response.status_code == 302
        region = _mark(
            client,
            case,
            pdf_doc,
            kind="region",
            page=1,
            x0=0.05,
            y0=0.08,
            x1=0.95,
            y1=0.16,
            ground="process_info",
        )
        assert region.status_code == 302
        produced = client.post(_url("redaction_produce", case, pdf_doc.pk))
        assert produced.status_code == 302

        # The file name holds the applicant's name: scrubbed in the letter and download.
        assert _upload(client, case, f"{NAME}审核意见.docx", _docx()).status_code == 302
        docx_doc = RedactionDocument.objects.get(kind="docx")
        for phrase, ground in ((NAME, "privacy"), (PHONE, "privacy"), (ID, "privacy")):
            _mark(client, case, docx_doc, kind="text", phrase=phrase, ground=ground)
        _mark(
            client,
            case,
            docx_doc,
            kind="text",
            phrase=INTERNAL,
            ground="other_laws",
            other_basis="《中华人民共和国保守国家秘密法》第十三条",
        )
        assert (
            client.post(_url("redaction_produce", case, docx_doc.pk)).status_code == 302
        )

        pdf_out = client.get(_url("redaction_download", case, pdf_doc.pk, "output"))
        docx_out = client.get(_url("redaction_download", case, docx_doc.pk, "output"))
    assert NAME not in docx_out["Content-Disposition"]
    assert "%E5%AE%A1%E6%A0%B8%E6%84%8F%E8%A7%81" in docx_out["Content-Disposition"]
    pdf_bytes = b"".join(pdf_out.streaming_content)
    docx_bytes = b"".join(docx_out.streaming_content)

    # PDF: nothing to extract at all (image-only), no document information.
    text = extract_text(pdf_bytes)
    assert text.strip() == ""
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    assert "".join(page.extract_text() or "" for page in reader.pages).strip() == ""
    info = pdfium.PdfDocument(pdf_bytes).get_metadata_dict()
    assert NAME not in "".join(info.values()) and info["Title"] == ""
    for phrase in (NAME, PHONE, ID):
        assert phrase.encode("utf-16-be") not in pdf_bytes

    # DOCX: no part of the package holds a withheld phrase — body, table, header,
    # comments, core properties.
    for member, content in part_texts(docx_bytes):
        flat = "".join(content.split())
        for phrase in (NAME, PHONE, ID, INTERNAL):
            assert phrase not in flat, (member, phrase)
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        core = etree.fromstring(archive.read("docProps/core.xml"))
        assert not any(n.startswith("word/comments") for n in archive.namelist())
    assert "".join(core.itertext()).strip() == ""
    body = "".join(p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs)
    assert "【已删除：第十五条】" in body and "【已删除：其他法规】" in body

    # The 部分公开 reply lists each redaction, with its article.
    with at("2026-09-22"):
        S.perform(
            "decide",
            actor=tree.officer,
            request=case,
            data={
                "outcome": "partial",
                "note": "含个人隐私和过程性信息",
                "details": {
                    "provided_part": "低保审核表和审核意见",
                    "provision": "随本告知书提供区分处理后的电子文件",
                    "withheld_part": "申请人的个人信息和内部研究意见",
                    "withheld_reason": "属于个人隐私和过程性信息",
                    "withheld_ground": "withheld.third_party",
                },
            },
        )
    letter = _letter_text(InfoRequest.objects.get(pk=case.pk))
    assert "区分处理情况（不予公开的内容及依据）如下" in letter
    expected = [
        "《低保审核表.pdf》第1页、第2页，共2处（每处3个字），依据《条例》第十五条（个人隐私）",
        "《低保审核表.pdf》第1页（11个字），依据《条例》第十五条（个人隐私）",
        "《低保审核表.pdf》第1页（18个字），依据《条例》第十五条（个人隐私）",
        "《低保审核表.pdf》第1页 区域1，依据《条例》第十六条第二款（过程性信息）",
        "《【已删除】审核意见.docx》正文第1段、页眉，共2处（每处3个字），依据《条例》第十五条（个人隐私）",
        "《【已删除】审核意见.docx》正文第1段（11个字），依据《条例》第十五条（个人隐私）",
        "《【已删除】审核意见.docx》正文表格1第1行第2列（18个字），依据《条例》第十五条（个人隐私）",
        "《【已删除】审核意见.docx》正文第2段（10个字），依据"
        "《中华人民共和国保守国家秘密法》第十三条（其他法律、法规禁止公开）",
    ]
    for line in expected:
        assert line in letter, line
    for phrase in (NAME, PHONE, ID, INTERNAL):
        assert phrase not in letter
    # The case file: the timeline holds the list, without the words.
    produced_events = case.events.filter(action="redaction_produced")
    assert produced_events.count() == 2
    assert all(NAME not in str(e.data) for e in produced_events)
    with at("2026-09-22"):
        client.force_login(tree.officer)  # a new day: the idle session has ended
        response = client.get(reverse("inforequests:detail", args=[case.pk]))
    assert response.status_code == 200, response
    page = response.content.decode()
    assert "生成区分处理文件（部分公开）" in page and "第1页 区域1" in page


def test_a_partial_decision_waits_for_marked_documents_to_be_produced(
    client, tree, case
):
    client.force_login(tree.officer)
    with at("2026-09-21"):
        _upload(client, case, "表.pdf", _pdf())
        doc = RedactionDocument.objects.get()
        _mark(client, case, doc, kind="text", phrase=NAME, ground="privacy")
        refused = client.post(
            _url("act", case, "decide"),
            {
                "outcome": "partial",
                "note": "含个人隐私",
                "detail_withheld_ground": "withheld.third_party",
                "detail_provided_part": "表",
                "detail_provision": "随本告知书提供",
                "detail_withheld_part": "姓名",
                "detail_withheld_reason": "个人隐私",
            },
        )
    assert refused.status_code == 400
    assert "区分处理文件尚未生成" in refused.content.decode()
    assert InfoRequest.objects.get(pk=case.pk).status == "in_progress"


def test_the_withheld_words_are_encrypted_at_rest_and_never_audited(client, tree, case):
    client.force_login(tree.officer)
    with at("2026-09-21"):
        _upload(client, case, "表.pdf", _pdf())
        doc = RedactionDocument.objects.get()
        _mark(client, case, doc, kind="text", phrase=PHONE, ground="privacy")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phrase FROM inforequests_redactionmark")
        (stored,) = cursor.fetchone()
    assert PHONE not in stored and stored.startswith("gk")
    assert RedactionMark.objects.get().phrase == PHONE
    audited = AuditEvent.objects.filter(action__startswith="inforequest.redaction")
    assert {"inforequest.redaction.upload", "inforequest.redaction.mark"} <= set(
        audited.values_list("action", flat=True)
    )
    assert all(PHONE not in str(a.details) for a in audited)


def test_only_the_case_staff_see_the_original_a_supervisor_gets_the_output(
    client, tree, case
):
    client.force_login(tree.officer)
    with at("2026-09-21"):
        _upload(client, case, "表.pdf", _pdf())
        doc = RedactionDocument.objects.get()
        _mark(client, case, doc, kind="text", phrase=NAME, ground="privacy")
        client.post(_url("redaction_produce", case, doc.pk))
        client.force_login(tree.supervisor)
        page = client.get(_url("redaction", case, doc.pk))
        original = client.get(_url("redaction_download", case, doc.pk, "original"))
        image = client.get(_url("redaction_page_image", case, doc.pk, 1))
        output = client.get(_url("redaction_download", case, doc.pk, "output"))
        client.force_login(tree.sibling_street and tree.liaison_a)
        outside = client.get(_url("redaction_download", case, doc.pk, "output"))
    assert (page.status_code, original.status_code, image.status_code) == (403,) * 3
    # At rest the original is encrypted: not a PDF, the name not readable in it.
    doc.refresh_from_db()
    with doc.original.storage.open(doc.original.name, "rb") as stored:
        raw = stored.read()
    assert not raw.startswith(b"%PDF") and NAME.encode("utf-16-be") not in raw
    assert output.status_code == 200
    assert outside.status_code == 404
    denied = AuditEvent.objects.filter(
        action__startswith="inforequest.redaction", result="denied"
    )
    assert denied.count() == 3


def test_bad_files_are_refused_in_chinese_and_nothing_is_stored(
    client, tree, case, settings
):
    client.force_login(tree.officer)
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(_pdf()))
    writer.encrypt(user_password="secret", owner_password="owner")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    settings.UPLOAD_MAX_MB = 1
    cases = [
        ("加密.pdf", encrypted.getvalue(), "密码"),
        ("坏.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100, "无法读取该PDF文件"),
        ("假.docx", b"PK\x03\x04 not really a zip", "不符"),
        ("文本.docx", "这不是Word文件".encode(), "不符"),
        ("大.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10), "文件过大"),
    ]
    with at("2026-09-21"):
        for name, data, message in cases:
            response = _upload(client, case, name, data)
            assert response.status_code == 302, name
            shown = client.get(response["Location"]).content.decode()
            assert message in shown, (name, shown[:0])
    assert RedactionDocument.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_a_mark_is_checked_and_the_typed_form_comes_back(client, tree, case):
    client.force_login(tree.officer)
    with at("2026-09-21"):
        _upload(client, case, "表.pdf", _pdf())
        doc = RedactionDocument.objects.get()
        no_ground = _mark(client, case, doc, kind="text", phrase="某个短语")
        other = _mark(
            client, case, doc, kind="text", phrase="某个短语", ground="other_laws"
        )
        tiny = _mark(
            client,
            case,
            doc,
            kind="region",
            page=1,
            x0=0.5,
            y0=0.5,
            x1=0.5,
            y1=0.5,
            ground="privacy",
        )
        no_drag = _mark(client, case, doc, kind="region", ground="privacy")
        missing = _mark(
            client, case, doc, kind="text", phrase="文件里没有", ground="privacy"
        )
        produced = client.post(_url("redaction_produce", case, doc.pk))
    assert no_ground.status_code == 400
    assert "请选择不予公开的依据" in no_ground.content.decode()
    assert 'value="某个短语"' in no_ground.content.decode()
    assert "写明法律、法规" in other.content.decode()
    assert "太小" in tiny.content.decode()
    assert "拖出" in no_drag.content.decode()
    assert missing.status_code == 400  # refused as it is added, with the advice
    assert "没有找到" in missing.content.decode()
    assert "框选区域" in missing.content.decode()
    assert produced.status_code == 400  # nothing marked yet
    assert "请先标注" in produced.content.decode()
    assert not RedactionDocument.objects.get().output
    assert not RedactionMark.objects.exists()


def test_after_the_decision_the_marks_are_fixed(client, tree, case):
    client.force_login(tree.officer)
    with at("2026-09-21"):
        _upload(client, case, "表.pdf", _pdf())
        doc = RedactionDocument.objects.get()
        S.perform(
            "decide",
            actor=tree.officer,
            request=case,
            data={
                "outcome": "granted",
                "details": {"provision": "随本告知书提供"},
            },
        )
        late = _mark(client, case, doc, kind="text", phrase=NAME, ground="privacy")
    assert late.status_code == 400
    assert "退回修改决定" in late.content.decode()
    assert not RedactionMark.objects.exists()
