"""Issue 16: the applicant is told at each step (real SMTP listener, local SMS gateway),
gets the answer online (电子送达 recorded by the platform, single-use expiring links)
and sees the outcome on the status page."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkai.core.applicant_notices import NOTICE_TEMPLATES, notice_fields
from gongkai.inforequests import letters, steps
from gongkai.inforequests.delivery import (
    DownloadRefused,
    issue_download_tokens,
    redeem_download_token,
)
from gongkai.inforequests.models import ApplicantNotice, CaseEvent, InfoRequest, Letter
from gongkai.inforequests.notices import NOTICE_FOR_ACTION
from gongkai.inforequests.outbox import notices_send_due
from gongkai.inforequests.tests.factories import registration
from gongkai.inforequests.tests.local_servers import SmsGateway, SmtpListener

pytestmark = pytest.mark.django_db

APPLICANT_EMAIL = "li.si@example.cn"
APPLICANT_PHONE = "13800001111"


def at(day: str):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


@pytest.fixture
def smtp(settings):
    with SmtpListener() as listener:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = listener.port
        settings.EMAIL_TIMEOUT = 5
        settings.PUBLIC_URL = "https://gk.example.gov.cn"
        yield listener


@pytest.fixture
def sms(settings):
    with SmsGateway() as gateway:
        settings.SMS_BACKEND = "gongkai.inforequests.sms.HttpSmsGateway"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TOKEN = "t0ken"
        yield gateway


def online_case(tree, **overrides):
    values = {
        "channel": "online",
        "confirmed_on": date(2026, 9, 18),
        "email": APPLICANT_EMAIL,
        "phone": APPLICANT_PHONE,
        "form": "electronic",
        "delivery": "email",
    }
    values.update(overrides)
    case, code, _receipt = letters.register(
        actor=tree.officer,
        organisation=tree.street,
        registration=registration(**values),
    )
    return case, code


def act(tree, case, action, actor=None, **data):
    return steps.perform(action, actor=actor or tree.officer, request=case, data=data)


# --------------------------------------------------------------------------- wording


def test_every_step_that_tells_the_applicant_has_its_wording_and_links_the_status_page():
    for key in {*NOTICE_FOR_ACTION.values(), "received"}:
        tpl = NOTICE_TEMPLATES[key]
        assert "{status_url}" in tpl.body and "{status_url}" in tpl.sms, key
        assert "tracking" in notice_fields(key)


# --------------------------------------------------------------------------- e-mail + SMS


def test_the_receipt_message_is_sent_by_smtp_and_sms_and_read_back(tree, smtp, sms):
    with at("2026-09-18"):
        case, _code = online_case(tree)
        queued = list(ApplicantNotice.objects.filter(request=case))
        assert {n.channel for n in queued} == {"email", "sms"}
        report = notices_send_due()
    assert report.sent == 2 and report.failed == report.retried == 0
    (message,) = smtp.messages
    assert smtp.recipients == [[APPLICANT_EMAIL]]
    assert case.tracking_number in message["Subject"] and "已收到" in message["Subject"]
    # Registered, not yet reviewed (已登记待审核): nothing says 已受理 yet.
    assert case.status == "received"
    assert "受理" not in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    # What happened, by when (20 working days from 2026-09-18: holidays.md §5.6),
    # and where to follow it.
    assert "2026年10月22日" in body
    assert "https://gk.example.gov.cn/gk/status/" in body
    assert "王小明" not in body  # the message names no personal data
    (posted,) = sms.received
    assert posted["phone"] == APPLICANT_PHONE
    assert case.tracking_number in posted["text"] and "2026年10月22日" in posted["text"]
    assert "已收到" in posted["text"] and "受理" not in posted["text"]
    assert "受理" not in body
    assert sms.headers[0]["Authorization"] == "Bearer t0ken"
    assert set(ApplicantNotice.objects.values_list("state", flat=True)) == {"sent"}


def test_a_mail_server_that_is_down_blocks_no_step_and_the_message_waits(
    tree, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    listener = SmtpListener()  # not started: its port refuses connections
    settings.EMAIL_PORT = listener.port
    with at("2026-09-18"):
        case, _ = online_case(tree, phone="")
        case = act(tree, case, "accept")
        assert case.status == "in_progress"
        report = notices_send_due()
    assert (report.sent, report.retried) == (0, 1)
    notice = ApplicantNotice.objects.get(request=case)
    assert notice.state == "pending" and notice.attempts == 1
    assert "无法连接邮件服务器" in notice.last_error
    assert APPLICANT_EMAIL not in notice.last_error
    # Backed off: not tried again at once, tried again a minute later.
    with at("2026-09-18"):
        assert notices_send_due().retried == 0
    with listener:
        with time_machine.travel(notice.next_try_at + timedelta(seconds=1), tick=False):
            assert notices_send_due().sent == 1
        assert len(listener.messages) == 1


def test_an_sms_gateway_that_refuses_is_retried_then_marked_failed(tree, sms, settings):
    settings.NOTICE_MAX_ATTEMPTS = 2
    sms.fail_with = 503
    with at("2026-09-18"):
        case, _ = online_case(tree, email="")
    notice = ApplicantNotice.objects.get(request=case)
    now = timezone.now()
    first = notices_send_due(now=now + timedelta(days=1))
    assert first.retried == 1
    notice.refresh_from_db()
    assert "HTTP 503" in notice.last_error and APPLICANT_PHONE not in notice.last_error
    second = notices_send_due(now=now + timedelta(days=2))
    assert second.failed == 1
    notice.refresh_from_db()
    assert notice.state == "failed" and notice.attempts == 2


def test_the_gateway_refusing_in_its_answer_is_a_failure_too(tree, sms):
    sms.refuse_code = 41
    with at("2026-09-18"):
        online_case(tree, email="")
        assert notices_send_due().retried == 1
    assert "余额不足" in ApplicantNotice.objects.get().last_error


def test_each_step_says_what_to_do_and_by_when(tree, smtp):
    with at("2026-09-18"):
        case, _ = online_case(tree, phone="")
    with at("2026-09-21"):
        act(
            tree,
            case,
            "request_clarification",
            deadline=date(2026, 10, 9),
            what="请写明所需文件的年份",
        )
        notices_send_due()
    body = smtp.messages[-1].get_body(preferencelist=("plain",)).get_content()
    assert "请写明所需文件的年份" in body and "2026年10月9日" in body
    assert "视为放弃申请" in body


# --------------------------------------------------------------------------- 电子送达


def decide_and_send(tree, case):
    case = act(tree, case, "accept")
    case = act(
        tree,
        case,
        "decide",
        outcome="granted",
        details={"provision": "以电子数据形式通过平台提供"},
    )
    return act(tree, case, "send_reply", actor=tree.head)


def test_the_reply_is_delivered_online_and_the_first_download_is_the_receipt(
    tree, smtp
):
    with at("2026-09-18"):
        case, _ = online_case(tree, phone="")
    with at("2026-09-25"):
        case = decide_and_send(tree, case)
    reply = Letter.objects.get(request=case, kind="reply")
    assert (reply.status, reply.delivery_method, reply.delivered_on) == (
        "sent",
        "电子送达",
        date(2026, 9, 25),
    )
    delivered = CaseEvent.objects.get(
        request=case, action="electronic_delivery", data__letters__0__letter=reply.pk
    )
    assert (
        delivered.data["method"] == "电子送达" and reply.title in delivered.data["note"]
    )
    # The reply e-mail carries the letter as PDF.
    with at("2026-09-25"):
        notices_send_due()
    reply_mail = smtp.messages[-1]
    assert "予以公开" in reply_mail["Subject"]
    (pdf,) = [
        p
        for p in reply_mail.iter_attachments()
        if p.get_content_type() == "application/pdf"
    ]
    assert pdf.get_content().startswith(b"%PDF")
    # The applicant downloads it twice: one receipt event, two audited downloads.
    with at("2026-09-28"):
        for _ in range(2):
            link = next(
                d for d in issue_download_tokens(case) if d.title == reply.title
            )
            served = redeem_download_token(link.token)
            assert served.data.startswith(b"%PDF")
    (receipt,) = CaseEvent.objects.filter(
        request=case, action="applicant_download", data__letter=reply.pk
    )
    assert receipt.data["receipt"] is True and receipt.on == date(2026, 9, 28)


def test_a_reply_waiting_for_the_office_head_is_not_shown_to_the_applicant(tree):
    with at("2026-09-18"):
        case, _ = online_case(tree, phone="")
        case = act(tree, case, "accept")
        case = act(
            tree, case, "decide", outcome="granted", details={"provision": "电子数据"}
        )
    titles = [d.title for d in issue_download_tokens(case)]
    assert titles == ["政府信息公开申请接收回执"]
    assert Letter.objects.get(request=case, kind="reply").status == "ready"


def test_paper_delivery_is_left_to_staff(tree):
    with at("2026-09-18"):
        case, _ = online_case(tree, delivery="post", phone="")
    with at("2026-09-25"):
        case = decide_and_send(tree, case)
    assert Letter.objects.get(request=case, kind="reply").status == "ready"
    assert not CaseEvent.objects.filter(
        request=case, action="electronic_delivery"
    ).exists()


def test_a_link_works_once_and_expires(tree, settings):
    settings.DOWNLOAD_LINK_MINUTES = 10
    with at("2026-09-18"):
        case, _ = online_case(tree, phone="")
        (link,) = issue_download_tokens(case)
        redeem_download_token(link.token)
        with pytest.raises(DownloadRefused, match="已经使用过") as used:
            redeem_download_token(link.token)
        assert used.value.status == 410
        (late,) = issue_download_tokens(case)
    with (
        time_machine.travel("2026-09-18 10:11 +0800", tick=False),
        pytest.raises(DownloadRefused, match="已过期"),
    ):
        redeem_download_token(late.token)
    with pytest.raises(DownloadRefused, match="无效"):
        redeem_download_token("0" * 43)


# --------------------------------------------------------------------------- portal


def solve_captcha(client, org) -> dict[str, str]:
    """Answer the apply page's question as a person would (with its token, if any)."""
    page = client.get(reverse("portal:apply", args=[org.pk])).content.decode()
    a, b = re.search(r"(\d+) 加 (\d+) 等于几", page).groups()
    answer = {"captcha": str(int(a) + int(b))}
    token = re.search(r'name="captcha_token" value="([^"]+)"', page)
    if token:
        answer["captcha_token"] = token.group(1)
    return answer


def apply_online(client, tree, **overrides):
    data = {
        "applicant_type": "natural",
        "applicant_name": "李四",
        "id_type": "resident_id",
        "id_number": registration().id_number,
        "phone": "",
        "email": APPLICANT_EMAIL,
        "address": "",
        "postcode": "",
        "legal_representative": "",
        "contact_person": "",
        "description": "2026年洛浦街道道路维修项目的招标公告",
        "form": "electronic",
        "delivery": "email",
        "website": "",
        **solve_captcha(client, tree.street),
    }
    data.update(overrides)
    return client.post(
        reverse("portal:apply", args=[tree.street.pk]), data, follow=True
    )


def numbers(page: str) -> dict[str, str]:
    """The tracking number and query code as the confirmation page shows them."""
    tracking = re.search(r'id="tracking">([^<]+)<', page).group(1)
    code = re.search(r'id="query-code">([^<]+)<', page).group(1)
    return {"tracking": tracking, "code": code}


def links(page: str) -> list[str]:
    return re.findall(r'href="(/gk/download/[^"]+/)"', page)


def test_an_online_application_gets_its_receipt_at_once(client, tree):
    with at("2026-09-18"):
        page = apply_online(client, tree).content.decode()
        case = InfoRequest.objects.get()
        assert case.letters.get().kind == "acknowledgement"
        (link,) = links(page)
        response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert ApplicantNotice.objects.filter(request=case, event="received").count() == 1
    with at("2026-09-18"):
        again = client.get(link)
    assert again.status_code == 410 and "已经使用过" in again.content.decode()


def status_page(client, tracking, code):
    return client.post(
        reverse("portal:status"), {"tracking_number": tracking, "query_code": code}
    ).content.decode()


def test_the_status_page_shows_outcome_letters_and_remedies(client, tree):
    with at("2026-09-18"):
        new = numbers(apply_online(client, tree).content.decode())
        case = InfoRequest.objects.get()
    with at("2026-09-25"):
        decide_and_send(tree, case)
        # Lower case and spaces around the number: still found.
        page = status_page(client, f"  {new['tracking'].lower()} ", new["code"])
    assert "予以公开" in page and "已答复" in page
    assert "政府信息予以公开告知书" in page and "政府信息公开申请接收回执" in page
    assert len(links(page)) == 2
    assert "申请行政复议" in page and "测试区人民政府" in page
    assert "临时计算" not in page and "答复期限" not in page
    assert "李四" not in page and APPLICANT_EMAIL not in page
    with at("2026-09-25"):
        reply_link = re.search(
            r'href="(/gk/download/[^"]+/)"[^>]*>政府信息予以公开告知书', page
        )
        assert client.get(reply_link.group(1)).status_code == 200
    assert CaseEvent.objects.filter(
        request=case, action="applicant_download", data__receipt=True
    ).exists()


def test_the_status_page_shows_the_correction_extension_and_pause(client, tree):
    with at("2026-09-18"):
        new = numbers(apply_online(client, tree).content.decode())
        case = InfoRequest.objects.get()
    with at("2026-09-21"):
        case = act(
            tree,
            case,
            "request_clarification",
            deadline=date(2026, 10, 9),
            what="请写明所需文件的年份",
        )
        page = status_page(client, new["tracking"], new["code"])
    assert (
        "需要您补正" in page
        and "请写明所需文件的年份" in page
        and "2026年10月9日" in page
    )
    with at("2026-09-22"):
        case = act(tree, case, "receive_clarification")
        case = act(
            tree,
            case,
            "start_consultation",
            party="third_party",
            name="某公司",
            delivered_on=date(2026, 9, 22),
        )
        page = status_page(client, new["tracking"], new["code"])
    assert "征求意见中" in page and "第三方" in page and "某公司" not in page
    with at("2026-09-23"):
        case = act(tree, case, "end_consultation", opinion="agree", answer="同意")
        case = act(
            tree,
            case,
            "extend",
            actor=tree.head,
            working_days=10,
            reason="需调阅历年档案",
        )
        page = status_page(client, new["tracking"], new["code"])
    assert (
        "答复期限已延长" in page and "需调阅历年档案" in page and "10 个工作日" in page
    )
    assert "需要您补正" not in page


def test_a_wrong_code_says_so_in_chinese_and_shows_nothing(client, tree):
    with at("2026-09-18"):
        new = numbers(apply_online(client, tree).content.decode())
        wrong = "12345678" if new["code"] != "12345678" else "87654321"
        page = status_page(client, new["tracking"], wrong)
    assert "申请编号或查询码不正确" in page and "/gk/download/" not in page


def test_an_unknown_download_link_is_a_chinese_404(client, db):
    response = client.get("/gk/download/not-a-real-token/")
    assert response.status_code == 404 and "下载链接无效" in response.content.decode()


def test_a_disclosed_file_is_added_on_the_case_page_and_downloaded_after_the_reply(
    client, tree
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    with at("2026-09-18"):
        new = numbers(apply_online(client, tree).content.decode())
        case = InfoRequest.objects.get()
        staff = client.__class__()
        staff.force_login(tree.officer)
        staff.post(
            reverse("inforequests:released_file_upload", args=[case.pk]),
            {"file": SimpleUploadedFile("招标公告.pdf", pdf)},
        )
        detail = staff.get(reverse("inforequests:detail", args=[case.pk])).content
        assert "招标公告.pdf" in detail.decode() and "上传公开文件" in detail.decode()
        # Not before the reply is out.
        assert "招标公告.pdf" not in status_page(client, new["tracking"], new["code"])
    with at("2026-09-25"):
        decide_and_send(tree, case)
        page = status_page(client, new["tracking"], new["code"])
        link = re.search(r'href="(/gk/download/[^"]+/)"[^>]*>招标公告.pdf', page).group(
            1
        )
        response = client.get(link)
    assert b"".join(response.streaming_content) == pdf
    delivered = CaseEvent.objects.filter(
        request=case, action="electronic_delivery"
    ).last()
    assert delivered.data["files"] == ["招标公告.pdf"]
    assert CaseEvent.objects.filter(
        request=case, action="applicant_download", data__title="招标公告.pdf"
    ).exists()
    with at("2026-09-25"):
        staff.force_login(tree.officer)  # a week later: a new session
        late = staff.post(
            reverse("inforequests:released_file_upload", args=[case.pk]),
            {"file": SimpleUploadedFile("补充.pdf", pdf)},
            follow=True,
        ).content.decode()
    assert "答复已送出，不能再添加公开文件" in late


def test_a_disclosed_file_is_encrypted_on_disk_and_served_plain(
    client, tree, settings, tmp_path
):
    """Before the fix the file lay on disk as uploaded (issue 16 follow-up)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.inforequests.delivery import released_file_add

    settings.MEDIA_ROOT = tmp_path
    plain = (
        b"%PDF-1.4\n% \xe6\x8b\x9b\xe6\xa0\x87 tender 2026-0917\ntrailer<<>>\n%%EOF\n"
    )
    with at("2026-09-18"):
        case, _code = online_case(tree)
        row = released_file_add(
            actor=tree.officer,
            request=case,
            upload=SimpleUploadedFile("招标公告.pdf", plain),
        )
    on_disk = (tmp_path / row.file.name).read_bytes()
    assert on_disk != plain and b"tender 2026-0917" not in on_disk
    assert b"%PDF" not in on_disk
    assert every_file_under(tmp_path).count(b"tender 2026-0917") == 0
    # Staff download on the case page, and the applicant's after the reply: plain.
    staff = client.__class__()
    staff.force_login(tree.officer)
    url = reverse("inforequests:released_file_download", args=[case.pk, row.pk])
    assert b"".join(staff.get(url).streaming_content) == plain
    with at("2026-09-25"):
        case = decide_and_send(tree, case)
        (item,) = [d for d in issue_download_tokens(case) if d.kind == "file"]
        served = redeem_download_token(item.token)
    assert served.fileobj is not None and served.fileobj.read() == plain


def every_file_under(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_the_migration_encrypts_disclosed_files_stored_before_encryption(
    tree, settings, tmp_path
):
    import importlib

    from django.apps import apps as live_apps

    from gongkai.inforequests.models import ReleasedFile

    settings.MEDIA_ROOT = tmp_path
    plain = b"%PDF-1.4\n% old plain file 2025-1103\ntrailer<<>>\n%%EOF\n"
    stored = tmp_path / "released" / "2025" / "11" / "0a1b2c3d4e5f.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(plain)
    with at("2026-09-18"):
        case, _code = online_case(tree)
    row = ReleasedFile.objects.create(
        request=case,
        file="released/2025/11/0a1b2c3d4e5f.pdf",
        original_name="旧文件.pdf",
        kind="pdf",
        size=len(plain),
        sha256="0" * 64,
    )
    ReleasedFile.objects.create(  # its file is gone: left alone, no error
        request=case,
        file="released/2025/11/missing.pdf",
        original_name="丢失.pdf",
        kind="pdf",
        size=1,
        sha256="0" * 64,
    )
    migration = importlib.import_module(
        "gongkai.inforequests.migrations.0012_encrypt_released_files"
    )
    migration.encrypt_released_files(live_apps, None)
    sealed = stored.read_bytes()
    assert b"old plain file" not in sealed and b"%PDF" not in sealed
    migration.encrypt_released_files(live_apps, None)  # again: nothing changes
    assert stored.read_bytes() == sealed
    from gongkai.security.files import open_private_file

    assert open_private_file(ReleasedFile.objects.get(pk=row.pk).file).read() == plain


def test_a_receipt_handed_over_at_the_counter_is_not_delivered_online_later(tree):
    with at("2026-09-18"):
        case, _ = online_case(tree, channel="in_person", confirmed_on=None, phone="")
    with at("2026-09-21"):
        case = act(
            tree, case, "request_clarification", deadline=date(2026, 10, 9), what="年份"
        )
    receipt = Letter.objects.get(request=case, kind="acknowledgement")
    clarification = Letter.objects.get(request=case, kind="clarification")
    assert receipt.status == "ready"
    assert (clarification.status, clarification.delivery_method) == ("sent", "电子送达")


def test_a_message_another_drain_is_sending_is_left_alone_until_its_lease_ends(
    tree, smtp
):
    from gongkai.inforequests.outbox import LEASE

    with at("2026-09-18"):
        case, _ = online_case(tree, phone="")
    notice = ApplicantNotice.objects.get(request=case)
    now = timezone.now()
    # Another drain has claimed it (as notices_send_due does) and is still sending.
    ApplicantNotice.objects.filter(pk=notice.pk).update(
        attempts=1, next_try_at=now + LEASE
    )
    assert notices_send_due(now=now).sent == 0
    assert smtp.messages == []
    # That drain died: after the lease the message goes, once.
    assert notices_send_due(now=now + LEASE + timedelta(seconds=1)).sent == 1
    assert notices_send_due(now=now + 2 * LEASE).sent == 0
    assert len(smtp.messages) == 1
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("sent", 2)


def bodies(case, event):
    return [
        n.body
        for n in ApplicantNotice.objects.filter(
            request=case, event=event, channel="email"
        )
    ]


def test_the_consultation_fee_and_termination_messages_say_until_when(tree):
    # Dates hand-worked from shared/spec/holidays.md §5.6 (received 2026-09-18, a
    # Friday: +15 working days 2026-10-15, +20 working days 2026-10-22).
    with at("2026-09-18"):
        consulted, _ = online_case(tree, phone="")
        consulted = act(tree, consulted, "accept")
        act(
            tree,
            consulted,
            "start_consultation",
            party="third_party",
            name="某建设公司",
            delivered_on=date(2026, 9, 18),
        )
        unpaid, _ = online_case(tree, phone="")
        unpaid = act(tree, unpaid, "accept")
        act(
            tree,
            unpaid,
            "issue_fee_notice",
            method="per_volume",
            pages=40,
            delivered_on=date(2026, 9, 18),
        )
    (paused,) = bodies(consulted, "consultation")
    assert "暂停" in paused and "2026年10月15日" in paused
    assert "某建设公司" not in paused  # the third party is not named to the applicant
    (fee,) = bodies(unpaid, "fee_notice")
    # fees.md: 40 pages → pages 31–40 at 10元 = 100元.
    assert "100元" in fee and "2026年10月22日" in fee
    with at("2026-10-23"):
        act(tree, unpaid, "expire_fee")
    (ended,) = bodies(unpaid, "terminated")
    assert "终止办理" in ended and "逾期未按收费通知要求缴纳费用" in ended
    assert "可以重新提出申请" in ended


def test_a_step_that_queued_a_message_queues_the_drain_task(
    tree, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with at("2026-09-18"), django_capture_on_commit_callbacks(execute=True):
        online_case(tree, phone="")
    queued = DBTaskResult.objects.filter(
        task_path__endswith="send_applicant_notices_task"
    )
    assert queued.count() == 1
    # The worker runs it: the message goes (here to the test mail backend).
    with at("2026-09-18"):
        assert notices_send_due().sent == 1


def test_the_drain_command_deletes_links_expired_a_day_ago_and_receipts_stay(
    tree, settings
):
    from django.core.management import call_command

    from gongkai.inforequests.models import DownloadToken

    with at("2026-09-18"):
        case, _ = online_case(tree, phone="")
        (link,) = issue_download_tokens(case)
        redeem_download_token(link.token)
        issue_download_tokens(case)
    with at("2026-09-20"):
        call_command("send_applicant_notices", stdout=io.StringIO())
        assert not DownloadToken.objects.exists()
        (again,) = issue_download_tokens(case)
        redeem_download_token(again.token)
    # Still one first-download event: the receipt is kept on the case, not the token.
    assert (
        CaseEvent.objects.filter(request=case, action="applicant_download").count() == 1
    )


def test_the_provisional_caveat_shows_only_while_the_due_date_is_provisional(
    client, tree
):
    # Received 2026-12-21: the 20 working days run into 2027, whose holidays are not
    # published (the seeds stop at 2026), so the due date is provisional.
    with at("2026-12-21"):
        new = numbers(apply_online(client, tree).content.decode())
        case = InfoRequest.objects.get()
        assert case.due_provisional
        page = status_page(client, new["tracking"], new["code"])
    assert 'id="provisional"' in page and "临时计算" in page
    with at("2026-12-22"):
        decide_and_send(tree, case)
        page = status_page(client, new["tracking"], new["code"])
    assert "临时计算" not in page and "予以公开" in page
