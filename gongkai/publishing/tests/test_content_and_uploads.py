from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from gongkai.publishing import services
from gongkai.publishing.models import Attachment
from gongkai.publishing.tests.factories import make_live, make_publication

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A real PDF with a text layer: the personal-information check can read it (a file it
# cannot read is never added to a live item unreviewed, issue 25).
TEXT_PDF = HTML(string="<p>公开文件，无个人信息。</p>").write_pdf()


def test_dangerous_html_is_stripped_and_structure_kept(tree) -> None:
    pub = make_publication(
        tree.street,
        tree.officer,
        body=(
            '<p onclick="steal()">通知<script>alert(1)</script></p>'
            '<a href="javascript:alert(1)">点我</a><img src=x onerror="x()">'
            '<iframe src="https://evil.example"></iframe><style>p{}</style>'
            '<table><tr><td colspan="2">表格</td></tr></table>'
            '<a href="https://www.gov.cn/">政府网</a>'
        ),
    )
    body = pub.body
    for bad in (
        "script",
        "onclick",
        "javascript:",
        "onerror",
        "<img",
        "iframe",
        "<style",
        "alert",
    ):
        assert bad not in body
    assert "<p>通知</p>" in body
    assert '<td colspan="2">表格</td>' in body
    assert 'href="https://www.gov.cn/"' in body


def test_updates_are_sanitised_too(tree) -> None:
    pub = make_publication(tree.street, tree.officer)
    pub = services.publication_update(
        actor=tree.officer, publication=pub, body="<p>新</p><script>x()</script>"
    )
    assert pub.body == "<p>新</p>"


def test_a_disguised_executable_is_refused(tree) -> None:
    pub = make_publication(tree.street, tree.officer)
    exe = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100)
    with pytest.raises(
        ValidationError, match="文件内容是Windows 可执行文件，不允许上传"
    ):
        services.attachment_add(actor=tree.officer, publication=pub, upload=exe)
    assert Attachment.objects.count() == 0


def test_content_that_does_not_match_the_extension_is_refused(tree) -> None:
    pub = make_publication(tree.street, tree.officer)
    fake = SimpleUploadedFile("scan.png", PDF)
    with pytest.raises(ValidationError, match=r"文件内容与扩展名“\.png”不符"):
        services.attachment_add(actor=tree.officer, publication=pub, upload=fake)


def test_unlisted_types_and_oversize_files_are_refused(tree, settings) -> None:
    pub = make_publication(tree.street, tree.officer)
    with pytest.raises(ValidationError, match=r"不支持该文件类型“\.html”"):
        services.attachment_add(
            actor=tree.officer,
            publication=pub,
            upload=SimpleUploadedFile("a.html", b"<html>"),
        )
    settings.GONGKAI_PUBLISHING_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match=r"文件过大：1\.0 MB，上限 1 MB"):
        services.attachment_add(actor=tree.officer, publication=pub, upload=big)


def test_a_real_pdf_is_stored_privately_and_served_only_with_permission(
    tree, client, settings
) -> None:
    pub = make_publication(tree.street, tree.officer)
    att = services.attachment_add(
        actor=tree.officer, publication=pub, upload=SimpleUploadedFile("公告.pdf", PDF)
    )
    assert att.kind == "pdf" and att.size == len(PDF)
    assert str(settings.MEDIA_ROOT) in att.file.path
    assert "公告" not in att.file.name  # stored under a random name
    url = f"/office/publishing/attachments/{att.pk}/"
    # The draft's attachment: not public, not for another community's liaison.
    assert client.get(url).status_code == 404
    client.force_login(tree.liaison_a)
    assert client.get(url).status_code == 404
    client.force_login(tree.officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_attachments_of_live_items_are_public_downloads(tree, client) -> None:
    pub = make_live(tree.street, tree.officer, tree.head)
    att = services.attachment_add(
        actor=tree.officer,
        publication=pub,
        upload=SimpleUploadedFile("a.pdf", TEXT_PDF),
    )
    assert client.get(f"/office/publishing/attachments/{att.pk}/").status_code == 200
