"""Issue 17 (4): the portal page shows 正文 as paragraphs (rich text as cleaned, plain
text one paragraph per line) and lists the files published with the item — never a
withheld original, never a file of an item that is not public."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from weasyprint import HTML

from gongkai.publishing import services
from gongkai.publishing.models import Attachment, Publication
from gongkai.publishing.tests.factories import make_publication

TEXT_PDF = HTML(string="<p>公开文件，无个人信息。</p>").write_pdf()
MASKED_PDF = HTML(string="<p>公开文件（已遮蔽）。</p>").write_pdf()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def publish(tree, pub: Publication) -> Publication:
    pub = services.publication_submit(actor=tree.officer, publication=pub)
    pub = services.publication_approve(
        actor=tree.head, publication=pub, secrecy_checked=True
    )
    return services.publication_publish(actor=tree.officer, publication=pub)


def attach(tree, pub: Publication, name: str, data: bytes = TEXT_PDF) -> Attachment:
    return services.attachment_add(
        actor=tree.officer,
        publication=pub,
        upload=SimpleUploadedFile(name, data, "application/pdf"),
    )


def page_of(pub: Publication) -> str:
    response = Client().get(f"/gk/{pub.organisation_id}/publications/{pub.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def body_of(html: str) -> str:
    return html.split('<div class="publication-body">', 1)[1].split("</div>", 1)[0]


def test_a_plain_text_body_is_one_paragraph_per_line(tree) -> None:
    pub = make_publication(
        tree.street,
        tree.officer,
        body="第一段：改造范围。\n第二段：实施时间。\r\n\n第三段 a < b",
    )
    body = body_of(page_of(publish(tree, pub)))
    assert re.findall(r"<p>(.*?)</p>", body) == [
        "第一段：改造范围。",
        "第二段：实施时间。",
        "第三段 a &lt; b",
    ]


def test_a_rich_body_keeps_its_structure_and_loses_scripts(tree) -> None:
    pub = make_publication(
        tree.street,
        tree.officer,
        body="<p>说明</p><ol><li>一</li><li>二</li></ol>"
        "<table><tbody><tr><th>项目</th></tr><tr><td>道路</td></tr></tbody></table>",
    )
    # A body stored before cleaning existed (or by a raw update) is cleaned on display.
    Publication.objects.filter(pk=pub.pk).update(
        body=pub.body + '<p onclick="x()">尾<script>alert(1)</script></p>'
    )
    body = body_of(page_of(publish(tree, Publication.objects.get(pk=pub.pk))))
    assert "<ol><li>一</li><li>二</li></ol>" in body
    assert "<th>项目</th>" in body and "<td>道路</td>" in body
    assert "script" not in body and "onclick" not in body and "<p>尾</p>" in body


def test_files_of_a_live_item_are_listed_and_served_with_type_and_name(tree) -> None:
    pub = make_publication(tree.street, tree.officer)
    kept = attach(tree, pub, "改造计划.pdf")
    original = attach(tree, pub, "名单（原件）.pdf")
    copy = services.attachment_add_masked_copy(
        actor=tree.officer, attachment=original, data=MASKED_PDF, masked_count=1
    )
    pub = publish(tree, pub)
    html = page_of(pub)
    base = f"/gk/{pub.organisation_id}/publications/{pub.pk}/files/"
    assert f'href="{base}{kept.pk}/"' in html
    assert f'href="{base}{copy.pk}/"' in html
    # The unmasked original of the masked copy is neither listed nor served.
    assert f"{base}{original.pk}/" not in html
    assert Client().get(f"{base}{original.pk}/").status_code == 404

    response = Client().get(f"{base}{kept.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E6%94%B9%E9%80%A0%E8%AE%A1%E5%88%92.pdf"
    )
    assert b"".join(response.streaming_content) == TEXT_PDF


def test_a_file_name_cannot_carry_folders_or_control_characters(tree) -> None:
    pub = make_publication(tree.street, tree.officer)
    odd = attach(tree, pub, "计划.pdf")
    Attachment.objects.filter(pk=odd.pk).update(
        original_name='..\\..\\boot/"计划"\r\n.exe'
    )
    pub = publish(tree, pub)
    url = f"/gk/{pub.organisation_id}/publications/{pub.pk}/files/{odd.pk}/"
    response = Client().get(url)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    # The name ends with the checked type, never the stored extension.
    assert disposition.endswith(".pdf") and ".exe" not in disposition
    for bad in ("%2F", "%5C", "%0D", "%0A", "%22", "/", "\\"):
        assert bad not in disposition.split("filename*=utf-8''", 1)[1], disposition


def test_files_of_an_item_that_is_not_public_are_not_served(tree) -> None:
    draft = make_publication(tree.street, tree.officer, title="草稿")
    draft_file = attach(tree, draft, "草稿附件.pdf")
    url = f"/gk/{tree.street.pk}/publications/{draft.pk}/files/{draft_file.pk}/"
    assert Client().get(url).status_code == 404

    live = publish(tree, make_publication(tree.street, tree.officer, title="已公开"))
    # Another item's file under a public item's address is refused too.
    url = f"/gk/{tree.street.pk}/publications/{live.pk}/files/{draft_file.pk}/"
    assert Client().get(url).status_code == 404
    # And a public item read through an organisation outside its own path.
    kept = attach(tree, make_publication(tree.street, tree.officer), "x.pdf")
    item = publish(tree, kept.publication)
    url = f"/gk/{tree.sibling_street.pk}/publications/{item.pk}/files/{kept.pk}/"
    assert Client().get(url).status_code == 404


def test_a_file_missing_from_storage_is_a_chinese_404(tree) -> None:
    pub = make_publication(tree.street, tree.officer)
    lost = attach(tree, pub, "计划.pdf")
    pub = publish(tree, pub)
    lost.file.storage.delete(lost.file.name)
    url = f"/gk/{pub.organisation_id}/publications/{pub.pk}/files/{lost.pk}/"
    response = Client().get(url)
    assert response.status_code == 404
    assert (
        "页面不存在" in response.content.decode()
    )  # the site's Chinese 404, not a 500
