"""Issue 16 in a real browser: apply online with e-mail delivery, get the 受理 message
(read back from a real SMTP listener), the officer decides and the office head sends
the reply, the applicant gets the message, sees 予以公开 on the status page and
downloads the reply letter; the case's 送达 shows the electronic delivery."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from gongkai.demo.organisations import DEMO_PASSWORD
from gongkai.inforequests.models import CaseEvent, InfoRequest
from gongkai.inforequests.tests.factories import RESIDENT_ID
from gongkai.inforequests.tests.local_servers import SmtpListener
from gongkai.orgs.models import Organisation
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "wang.fang@example.cn"


@pytest.fixture
def street(db: Any) -> Organisation:
    call_command("load_demo", "--quiet-accounts")
    return Organisation.objects.get(name="老城区洛浦街道办事处")


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


def drain() -> None:
    """What cron (``send_applicant_notices``) or the task worker does."""
    call_command("send_applicant_notices", stdout=io.StringIO())


def solve(question: str) -> str:
    a, b = map(int, re.findall(r"(\d+) 加 (\d+)", question)[0])
    return str(a + b)


def act(
    page: Any, case: InfoRequest, action: str, fields: dict[str, tuple[str, str]]
) -> None:
    page.goto(f"{page.base_url}/office/requests/{case.pk}/")
    form = page.locator(f"#act-{action}")
    for name, (how, value) in fields.items():
        field = form.locator(f"[name={name}]")
        if how == "select":
            field.select_option(value=value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator(".field-error, .form-error, .message-error").all_inner_texts()
    assert errors == [], (action, errors)


def test_apply_get_told_and_download_the_reply(
    page: Any, browser: Any, street: Organisation, smtp: SmtpListener, tmp_path: Path
) -> None:
    # The applicant applies online and asks for the answer by e-mail.
    page.goto(f"{page.base_url}/gk/{street.pk}/apply/")
    page.get_by_label("姓名或单位名称").fill("王芳")
    page.get_by_label("证件号码").fill(RESIDENT_ID)
    page.get_by_label("电子邮箱").fill(EMAIL)
    page.get_by_label(re.compile("特征性描述")).fill(
        "2026年洛浦街道老旧小区改造项目的资金安排文件"
    )
    page.get_by_label("获取信息的方式").select_option(label="电子邮件")
    question = page.locator("label[for=id_captcha]").inner_text()
    page.get_by_label(re.compile("验证题")).fill(solve(question))
    page.get_by_role("button", name="提交申请").click()
    tracking = page.locator("#tracking").inner_text()
    code = page.locator("#query-code").inner_text()
    # The 受理回执 at once.
    with page.expect_download() as receipt:
        page.get_by_role("link", name=re.compile("接收回执")).click()
    assert Path(receipt.value.path()).read_bytes().startswith(b"%PDF")
    screenshot(page, "portal-apply-done-receipt")
    case = InfoRequest.objects.get(tracking_number=tracking)

    # The 受理 message, read back from the SMTP listener.
    drain()
    (received,) = mails_to(smtp, EMAIL)
    assert "已受理" in received["Subject"] and tracking in received["Subject"]
    assert "/gk/status/" in received.get_body(preferencelist=("plain",)).get_content()

    # The officer accepts and decides; the office head sends the reply.
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    act(page, case, "accept", {})
    act(
        page,
        case,
        "decide",
        {
            "outcome": ("select", "granted"),
            "detail_provision": ("fill", "通过平台在线提供电子文件"),
        },
    )
    head = browser.new_context(locale="zh-CN").new_page()
    head.base_url = page.base_url
    login(head, "head", DEMO_PASSWORD)
    head.wait_for_url("**/office/")
    act(head, case, "send_reply", {})

    # The applicant is told, with the letter attached.
    drain()
    replied = mails_to(smtp, EMAIL)[-1]
    assert "予以公开" in replied["Subject"]
    assert any(
        p.get_content_type() == "application/pdf" for p in replied.iter_attachments()
    )

    # The status page: the outcome in plain words and the letter to download.
    applicant = browser.new_context(locale="zh-CN").new_page()
    applicant.goto(f"{page.base_url}/gk/status/")
    applicant.get_by_label("申请编号").fill(f" {tracking.lower()} ")
    applicant.get_by_label("查询码").fill(code)
    applicant.get_by_role("button", name="查询").click()
    assert applicant.locator("#outcome").inner_text() == "予以公开"
    assert "救济途径" in applicant.locator("main").inner_text()
    screenshot(applicant, "portal-status-replied")
    with applicant.expect_download() as reply:
        applicant.get_by_role("link", name="政府信息予以公开告知书").click()
    assert Path(reply.value.path()).read_bytes().startswith(b"%PDF")
    assert CaseEvent.objects.filter(
        request=case, action="applicant_download", data__receipt=True
    ).exists()

    # The case's 送达: delivered electronically by the platform.
    page.goto(f"{page.base_url}/office/requests/{case.pk}/")
    letters = page.locator("#letters-h").locator("xpath=..").inner_text()
    assert "电子送达" in letters
    assert (
        "申请人在线下载" in page.locator("#events-h").locator("xpath=..").inner_text()
    )
