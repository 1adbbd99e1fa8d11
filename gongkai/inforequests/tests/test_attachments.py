from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.inforequests.models import InfoRequest, RequestAttachment
from gongkai.inforequests.tests.factories import register
from gongkai.portal.tests.test_portal import application, solve_captcha

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
        {**application(captcha=answer), "attachment": pdf()},
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
            **application(captcha=answer),
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
