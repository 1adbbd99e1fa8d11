"""Issue 16 in a real browser: the applicant signs in to 我的申请 with a code read
back from a real SMTP listener, answers the officer's 补正 with a file, and after
the reply rates the handling (好差评) once."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.feedback.models import HandlingRating
from gongkai.inforequests import letters, steps
from gongkai.inforequests.models import CaseEvent, InfoRequest
from gongkai.inforequests.tests.factories import registration
from gongkai.inforequests.tests.local_servers import SmtpListener
from gongkai.orgs.models import Organisation
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "zhao.lei@example.cn"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def test_sign_in_with_a_mailed_code_answer_the_clarification_and_rate(
    page: Any, street: Organisation, smtp: SmtpListener, tmp_path: Path
) -> None:
    officer = User.objects.get(username="officer")
    head = User.objects.get(username="head")
    today = timezone.localdate()
    case, _code, _ = letters.register(
        actor=None,
        organisation=street,
        registration=registration(
            channel="online",
            submitted_on=today,
            confirmed_on=today,
            email=EMAIL,
            phone="",
            delivery="online",
            form="electronic",
        ),
        from_portal=True,
    )
    steps.perform(
        "request_clarification",
        actor=officer,
        request=case,
        data={"deadline": today + timedelta(days=15), "what": "请写明所需文件的年份"},
    )

    # Sign in with the code from the e-mail.
    page.goto(f"{page.base_url}/gk/me/")
    page.get_by_label(re.compile("手机号码或电子邮箱")).fill(EMAIL.upper())
    page.get_by_role("button", name="获取验证码").click()
    mail = smtp.messages[-1]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    code = re.search(r"验证码是 (\d{6})", body)[1]
    page.get_by_label(re.compile("验证码")).fill(code)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name=case.tracking_number).click()

    # Answer the 补正 with a file.
    material = tmp_path / "补正材料.pdf"
    material.write_bytes(PDF)
    page.get_by_label("补正说明").fill("所需文件为2025年度的")
    page.get_by_label(re.compile("补正材料")).set_input_files(str(material))
    screenshot(page, "portal-me-clarification")
    page.get_by_role("button", name="提交补正").click()
    assert "补正已提交" in page.locator("main").inner_text()
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert case.attachments.get().original_name == "补正材料.pdf"
    received = CaseEvent.objects.get(request=case, action="receive_clarification")
    assert received.on == today and received.data["by"] == "applicant"

    # The officer decides, the head sends the reply; the applicant rates it.
    steps.perform(
        "decide",
        actor=officer,
        request=case,
        data={"outcome": "granted", "details": {"provision": "通过平台在线提供"}},
    )
    steps.perform("send_reply", actor=head, request=case, data={})
    page.reload()
    assert page.locator("#outcome").inner_text() == "予以公开"
    page.get_by_label(re.compile("4 分")).check()
    page.get_by_label(re.compile("意见建议")).fill("答复清楚")
    screenshot(page, "portal-me-rating")
    page.get_by_role("button", name="提交评价").click()
    assert "感谢您的评价" in page.locator("main").inner_text()
    assert page.locator("#rating").count() == 0  # once
    rating = HandlingRating.objects.get()
    assert (rating.request_id, rating.score) == (case.pk, 4)
    assert InfoRequest.objects.get(pk=case.pk).handling_rating.comment == "答复清楚"
