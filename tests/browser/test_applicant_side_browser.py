"""Issue 16, "Done when", in a real browser as one journey: apply online with e-mail
delivery → the 受理 message (read back from a real SMTP listener) → the officer asks
for 补正 → the applicant signs in to 我的申请 with a mailed code and answers the 补正
with a file → the officer decides and the office head sends the reply → the applicant
gets the message, opens the status page, sees 予以公开, downloads the reply letter and
the disclosed file, and rates the handling once (好差评); the case's 送达 shows the
electronic delivery. On the small ``tree`` fixture (no demo load)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.feedback.models import HandlingRating
from gongkai.inforequests.models import CaseEvent, InfoRequest
from gongkai.inforequests.tests.factories import RESIDENT_ID
from gongkai.inforequests.tests.local_servers import SmtpListener
from gongkai.orgs.tests.factories import PASSWORD
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "wang.fang@example.cn"
MATERIAL = b"%PDF-1.4\n% correction 2025\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RELEASED = b"%PDF-1.4\n% funding plan 2026\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def smtp(settings: Any) -> Any:
    with SmtpListener() as listener:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = listener.port
        settings.EMAIL_TIMEOUT = 5
        yield listener


def mails_to(smtp: SmtpListener, address: str) -> list[Any]:
    return [
        m
        for m, rcpt in zip(smtp.messages, smtp.recipients, strict=True)
        if address in rcpt
    ]


def text_of(mail: Any) -> str:
    return str(mail.get_body(preferencelist=("plain",)).get_content())


def drain() -> None:
    """What cron (``send_applicant_notices``) or the task worker does."""
    call_command("send_applicant_notices", stdout=io.StringIO())


def solve(question: str) -> str:
    a, b = map(int, re.findall(r"(\d+) 加 (\d+)", question)[0])
    return str(a + b)


def field(form: Any, name: str) -> Any:
    # By name, with or without a form prefix ("decide-outcome").
    return form.locator(f'[name="{name}"], [name$="-{name}"]').first


def act(page: Any, case: InfoRequest, action: str, fields: dict[str, Any]) -> None:
    page.goto(f"{page.base_url}/office/requests/{case.pk}/")
    form = page.locator(f"#act-{action}")
    for name, value in fields.items():
        if name == "outcome":
            field(form, name).select_option(value=value)
        else:
            field(form, name).fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator(
        ".field-error, .form-error, .message-error, .error-summary"
    ).all_inner_texts()
    assert [e for e in errors if e.strip()] == [], (action, errors)


def new_page(browser: Any, base_url: str) -> Any:
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    page.base_url = base_url
    return page


def test_apply_get_told_correct_online_and_download_the_reply(
    page: Any, browser: Any, tree: Any, smtp: SmtpListener, tmp_path: Path
) -> None:
    street = tree.street
    today = timezone.localdate()

    # 1. The applicant applies online and asks for the answer by e-mail.
    page.goto(f"{page.base_url}/gk/{street.pk}/apply/")
    page.get_by_label("姓名或单位名称").fill("王芳")
    page.get_by_label("证件号码").fill(RESIDENT_ID)
    page.get_by_label("电子邮箱").fill(EMAIL)
    page.get_by_label(re.compile("特征性描述")).fill(
        "2026年测试街道老旧小区改造项目的资金安排文件"
    )
    page.get_by_label("获取信息的方式").select_option(label="电子邮件")
    question = page.locator("label[for=id_captcha]").inner_text()
    page.get_by_label(re.compile("验证题")).fill(solve(question))
    page.get_by_role("button", name="提交申请").click()
    tracking = page.locator("#tracking").inner_text()
    code = page.locator("#query-code").inner_text()
    with page.expect_download() as receipt:  # the 受理回执 at once
        page.get_by_role("link", name=re.compile("接收回执")).click()
    assert Path(receipt.value.path()).read_bytes().startswith(b"%PDF")
    screenshot(page, "portal-apply-done-receipt")
    case = InfoRequest.objects.get(tracking_number=tracking)

    # 2. The 受理 message, read back from the SMTP listener.
    drain()
    (received,) = mails_to(smtp, EMAIL)
    assert "已收到" in received["Subject"] and tracking in received["Subject"]
    assert "/gk/status/" in text_of(received)

    # 3. The officer asks for 补正 on the case page; the applicant is told.
    office = new_page(browser, page.base_url)
    login(office, tree.officer.username, PASSWORD)
    office.wait_for_url("**/office/**")
    deadline = (today + timedelta(days=15)).isoformat()
    act(
        office,
        case,
        "request_clarification",
        {"deadline": deadline, "what": "请写明所需文件的年份"},
    )
    case.refresh_from_db()
    assert case.status == "awaiting_clarification", case.status
    drain()
    told = mails_to(smtp, EMAIL)[-1]
    assert "补正" in told["Subject"] and "请写明所需文件的年份" in text_of(told)

    # 4. The applicant signs in to 我的申请 with a mailed code and answers with a file.
    me = new_page(browser, page.base_url)
    me.goto(f"{me.base_url}/gk/me/")
    me.get_by_label(re.compile("手机号码或电子邮箱")).fill(EMAIL.upper())
    me.get_by_role("button", name="获取验证码").click()
    sign_in = re.search(r"验证码是 (\d{6})", text_of(mails_to(smtp, EMAIL)[-1]))
    assert sign_in is not None
    me.get_by_label(re.compile("验证码")).fill(sign_in[1])
    me.get_by_role("button", name="登录").click()
    me.get_by_role("link", name=tracking).click()
    material = tmp_path / "补正材料.pdf"
    material.write_bytes(MATERIAL)
    me.get_by_label("补正说明").fill("所需文件为2025年度的")
    me.get_by_label(re.compile("补正材料")).set_input_files(str(material))
    screenshot(me, "portal-me-clarification")
    me.get_by_role("button", name="提交补正").click()
    expect(me.locator("main")).to_contain_text("补正已提交")
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert case.attachments.get().original_name == "补正材料.pdf"
    answered = CaseEvent.objects.get(request=case, action="receive_clarification")
    assert answered.on == today and answered.data["by"] == "applicant"

    # 5. The officer adds the file to disclose and decides; the office head sends.
    office.goto(f"{office.base_url}/office/requests/{case.pk}/")
    plan = tmp_path / "资金安排.pdf"
    plan.write_bytes(RELEASED)
    office.get_by_label("添加公开文件").set_input_files(str(plan))
    office.locator("#released-files").get_by_role("button", name="上传").click()
    expect(office.locator("main")).to_contain_text("公开文件已添加")
    act(
        office,
        case,
        "decide",
        {"outcome": "granted", "detail_provision": "通过平台在线提供电子文件"},
    )
    head = new_page(browser, page.base_url)
    login(head, tree.head.username, PASSWORD)
    head.wait_for_url("**/office/**")
    act(head, case, "send_reply", {})
    case.refresh_from_db()
    assert case.status == "replied", case.status

    # 6. The applicant is told, with the letter attached.
    drain()
    replied = mails_to(smtp, EMAIL)[-1]
    assert "予以公开" in replied["Subject"]
    assert any(
        p.get_content_type() == "application/pdf" for p in replied.iter_attachments()
    )

    # 7. The status page: the outcome in plain words, the letter and the file.
    status = new_page(browser, page.base_url)
    status.goto(f"{status.base_url}/gk/status/")
    status.get_by_label("申请编号").fill(f" {tracking.lower()} ")
    status.get_by_label("查询码").fill(code)
    status.get_by_role("button", name="查询").click()
    assert status.locator("#outcome").inner_text() == "予以公开"
    expect(status.locator("main")).to_contain_text("救济途径")
    screenshot(status, "portal-status-replied")
    with status.expect_download() as reply:
        status.get_by_role("link", name="政府信息予以公开告知书").click()
    assert Path(reply.value.path()).read_bytes().startswith(b"%PDF")
    with status.expect_download() as disclosed:
        status.get_by_role("link", name="资金安排.pdf").click()
    assert Path(disclosed.value.path()).read_bytes() == RELEASED
    assert CaseEvent.objects.filter(
        request=case, action="applicant_download", data__receipt=True
    ).exists()

    # 8. 好差评 once, from the status page of this session.
    status.get_by_label(re.compile("4 分")).check()
    status.get_by_label(re.compile("意见建议")).fill("答复清楚")
    screenshot(status, "portal-me-rating")
    status.get_by_role("button", name="提交评价").click()
    expect(status.locator("main")).to_contain_text("感谢您的评价")
    assert status.locator("#rating").count() == 0
    rating = HandlingRating.objects.get()
    assert (rating.request_id, rating.score, rating.comment) == (case.pk, 4, "答复清楚")

    # 9. The case's 送达: delivered electronically by the platform, and downloaded.
    office.goto(f"{office.base_url}/office/requests/{case.pk}/")
    letters = office.locator("#letters-h").locator("xpath=..").inner_text()
    assert "电子送达" in letters
    events = office.locator("#events-h").locator("xpath=..").inner_text()
    assert "申请人在线下载" in events
