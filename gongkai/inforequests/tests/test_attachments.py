from __future__ import annotations

import base64
import io
import os
import stat
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.core.crypto import CryptoError, blob_key_id
from gongkai.inforequests.models import InfoRequest, RequestAttachment
from gongkai.inforequests.tests.factories import register
from gongkai.portal.tests.test_portal import application, solve_captcha
from gongkai.security.files import open_private_file, store_private_file
from gongkai.security.keys import reset_key_ring

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "身份证明.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@time_machine.travel("2026-09-18 10:00 +0800")
def test_an_online_application_keeps_its_attachment_privately(
    client, tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    answer = solve_captcha(client, tree.street)
    client.post(
        reverse("portal:apply", args=[tree.street.pk]),
        {**application(**answer), "attachment": pdf()},
    )
    item = RequestAttachment.objects.get()
    assert item.original_name == "身份证明.pdf" and "身份证明" not in item.file.name
    client.force_login(tree.head)
    url = reverse("inforequests:attachment_download", args=[item.request_id, item.pk])
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    client.force_login(tree.liaison_a)
    assert client.get(url).status_code == 404


@time_machine.travel("2026-09-18 10:00 +0800")
def test_a_disguised_attachment_refuses_the_whole_application(
    client, tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    answer = solve_captcha(client, tree.street)
    page = client.post(
        reverse("portal:apply", args=[tree.street.pk]),
        {
            **application(**answer),
            "attachment": pdf("scan.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        },
    ).content.decode()
    assert "不允许上传" in page or "不符" in page
    assert not InfoRequest.objects.exists() and not RequestAttachment.objects.exists()
    assert "2026年洛浦街道道路维修项目的招标公告" in page  # nothing typed is lost


@time_machine.travel("2026-09-18 10:00 +0800")
def test_staff_add_a_scan_to_a_case(client, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = register(tree.officer, tree.street)
    client.force_login(tree.officer)
    client.post(
        reverse("inforequests:attachment_upload", args=[case.pk]),
        {"file": pdf("回执.pdf")},
    )
    assert case.attachments.count() == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM audit_auditevent WHERE action = 'inforequest.attach'"
        )
        assert cursor.fetchone()[0] == 1


@time_machine.travel("2026-09-18 10:00 +0800")
def test_identity_documents_download_only_by_the_handler_or_the_head_and_audited(
    client, tree, settings, tmp_path
):
    """Issue 18 (F4): attachments follow the reveal rule; every attempt is audited."""
    settings.MEDIA_ROOT = tmp_path
    case = register(tree.officer, tree.street)
    client.force_login(tree.officer)
    client.post(
        reverse("inforequests:attachment_upload", args=[case.pk]), {"file": pdf()}
    )
    item = case.attachments.get()
    url = reverse("inforequests:attachment_download", args=[case.pk, item.pk])

    refused = {}
    for who in ("supervisor", "street_supervisor", "officer"):
        client.force_login(getattr(tree, who))
        refused[who] = client.get(url)
    for who, response in refused.items():
        assert response.status_code == 403, who
        assert "只有承办人和负责人可以下载" in response.content.decode(), who
        assert PDF not in response.content, who

    client.force_login(tree.head)
    by_head = client.get(url)
    client.post(
        reverse("inforequests:assign", args=[case.pk]),
        {"handler": str(tree.officer.pk)},
    )
    client.force_login(tree.officer)
    by_handler = client.get(url)
    assert b"".join(by_head.streaming_content) == PDF
    assert b"".join(by_handler.streaming_content) == PDF

    client.force_login(tree.liaison_b)  # out of reach: still a 404, not audited
    assert client.get(url).status_code == 404

    rows = list(
        AuditEvent.objects.filter(action="inforequest.attachment.download")
        .order_by("id")
        .values_list("user__username", "result")
    )
    assert rows == [
        ("t_supervisor", "denied"),
        ("t_street_supervisor", "denied"),
        ("t_officer", "denied"),
        ("t_head", "success"),
        ("t_officer", "success"),
    ]
    assert (
        AuditEvent.objects.filter(
            action="inforequest.attachment.download", object_id=str(case.pk)
        ).count()
        == 5
    )


# --- Issue 18, F4: personal files are encrypted at rest ---------------------------

SECRET_PDF = (
    b"%PDF-1.4\n1 0 obj<</Title (ID 110101199003077777 Wang Xiaoming)>>endobj\n"
    b"trailer<<>>\n%%EOF\n"
)


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def field_keys(settings):
    def use(spec: str) -> None:
        settings.FIELD_KEYS = spec
        reset_key_ring()

    yield use
    reset_key_ring()


def _stored(tmp_path: Path, item: RequestAttachment) -> Path:
    return tmp_path / item.file.name


@time_machine.travel("2026-09-18 10:00 +0800")
def test_an_identity_document_is_encrypted_on_disk_with_mode_600(
    client, tree, settings, tmp_path, field_keys
):
    """Before the fix the scan lay on disk as uploaded, readable by every account."""
    settings.MEDIA_ROOT = tmp_path
    field_keys(f"k1:{_key()}")
    answer = solve_captcha(client, tree.street)
    client.post(
        reverse("portal:apply", args=[tree.street.pk]),
        {**application(**answer), "attachment": pdf(data=SECRET_PDF)},
    )
    item = RequestAttachment.objects.get()
    on_disk = _stored(tmp_path, item).read_bytes()
    assert b"110101199003077777" not in on_disk and b"%PDF" not in on_disk
    assert SECRET_PDF not in on_disk
    assert stat.S_IMODE(_stored(tmp_path, item).stat().st_mode) == 0o600
    every_file = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"110101199003077777" not in every_file

    client.force_login(tree.head)
    url = reverse("inforequests:attachment_download", args=[item.request_id, item.pk])
    assert b"".join(client.get(url).streaming_content) == SECRET_PDF


@time_machine.travel("2026-09-18 10:00 +0800")
def test_key_rotation_re_encrypts_attachments_and_they_still_download(
    client, tree, settings, tmp_path, field_keys
):
    settings.MEDIA_ROOT = tmp_path
    old = _key()
    field_keys(f"k1:{old}")
    case = register(tree.officer, tree.street)
    client.force_login(tree.officer)
    client.post(
        reverse("inforequests:attachment_upload", args=[case.pk]),
        {"file": pdf(data=SECRET_PDF)},
    )
    item = case.attachments.get()
    before = _stored(tmp_path, item).read_bytes()
    assert blob_key_id(before) == "k1"

    field_keys(f"k2:{_key()},k1:{old}")
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "1 个文件" in out.getvalue()
    after = _stored(tmp_path, item).read_bytes()
    assert blob_key_id(after) == "k2" and b"110101199003077777" not in after
    assert stat.S_IMODE(_stored(tmp_path, item).stat().st_mode) == 0o600

    field_keys(settings.FIELD_KEYS.split(",")[0])  # the old key is gone
    client.force_login(tree.head)
    url = reverse("inforequests:attachment_download", args=[case.pk, item.pk])
    assert b"".join(client.get(url).streaming_content) == SECRET_PDF


@time_machine.travel("2026-09-18 10:00 +0800")
def test_a_file_stored_before_encryption_still_downloads_and_rotation_seals_it(
    client, tree, settings, tmp_path, field_keys
):
    settings.MEDIA_ROOT = tmp_path
    field_keys(f"k1:{_key()}")
    case = register(tree.officer, tree.street)
    legacy = tmp_path / "requests" / "2025" / "01" / "old.pdf"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(SECRET_PDF)
    item = RequestAttachment.objects.create(
        request=case,
        file="requests/2025/01/old.pdf",
        original_name="身份证明.pdf",
        kind="pdf",
        size=len(SECRET_PDF),
        sha256="0" * 64,
    )
    client.force_login(tree.head)
    url = reverse("inforequests:attachment_download", args=[case.pk, item.pk])
    assert b"".join(client.get(url).streaming_content) == SECRET_PDF

    call_command("rotate_field_keys", stdout=StringIO())
    assert b"110101199003077777" not in legacy.read_bytes()
    assert b"".join(client.get(url).streaming_content) == SECRET_PDF


@time_machine.travel("2026-09-18 10:00 +0800")
def test_an_encrypted_file_moved_to_another_name_fails_to_decrypt(
    tree, settings, tmp_path, field_keys
):
    settings.MEDIA_ROOT = tmp_path
    field_keys(f"k1:{_key()}")
    name = store_private_file(
        SimpleUploadedFile("a.pdf", SECRET_PDF), folder="requests", ext="pdf"
    )
    moved = tmp_path / "requests" / "other.pdf"
    moved.write_bytes((tmp_path / name).read_bytes())
    item = RequestAttachment(file="requests/other.pdf")
    with pytest.raises(CryptoError):
        open_private_file(item.file)


@time_machine.travel("2026-09-18 10:00 +0800")
def test_a_pdf_with_open_action_javascript_is_a_chinese_form_error(
    client, tree, settings, tmp_path
):
    """Issue 18 (F13): before the fix this PDF was stored with the application."""
    import pikepdf

    settings.MEDIA_ROOT = tmp_path
    document = pikepdf.new()
    document.add_blank_page()
    document.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.launchURL('http://x')")
    )
    buffer = io.BytesIO()
    document.save(buffer)
    answer = solve_captcha(client, tree.street)
    typed = (
        application(**answer)
        if isinstance(answer, dict)
        else application(captcha=answer)
    )
    response = client.post(
        reverse("portal:apply", args=[tree.street.pk]),
        {**typed, "attachment": pdf(data=buffer.getvalue())},
    )
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert "PDF 文件含有 JavaScript 脚本" in page
    assert not InfoRequest.objects.exists() and not RequestAttachment.objects.exists()
    assert "2026年洛浦街道道路维修项目的招标公告" in page  # nothing typed is lost
