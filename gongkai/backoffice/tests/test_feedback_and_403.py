"""Feedback (issue 17, requirement 8): a step's confirmation says what it did; a form
the user may not submit is not offered; a refusal is a 403 page in the normal frame
with a way back."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from gongkai.accounts.models import User
from gongkai.inforequests.models import InfoRequest
from gongkai.publishing.models import Publication
from gongkai.reports import services as r

pytestmark = pytest.mark.django_db

TODAY = "2026-12-07 10:00 +0800"


@pytest.fixture
def demo() -> Any:
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", "--quiet-accounts")
        yield


def _login(client: Client, username: str) -> None:
    client.force_login(User.objects.get(username=username))


def _messages(page: str) -> list[str]:
    return [
        m.strip() for m in re.findall(r'<li class="message[^"]*">([^<]+)</li>', page)
    ]


def test_the_clarification_confirmation_names_the_letter_and_the_deadline(
    demo: Any, client: Client
) -> None:
    case = InfoRequest.objects.filter(
        status="received", organisation__name="老城区洛浦街道办事处"
    ).first()
    assert case is not None
    _login(client, "officer")
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            f"/office/requests/{case.pk}/do/request_clarification/",
            {"deadline": "2026-12-28", "what": "请写明所需信息的文号或时间范围。"},
            follow=True,
        )
    [message] = _messages(response.content.decode())
    letter = case.letters.order_by("-id").first()
    assert letter is not None and letter.number
    assert f"{letter.title}（{letter.number}）" in message
    assert "补正期限至2026年12月28日" in message and "待申请人补正" in message
    assert "操作已完成" not in message


def test_the_officer_is_not_offered_the_heads_steps(demo: Any, client: Client) -> None:
    decided = InfoRequest.objects.get(status="decided")
    awaiting_fee = InfoRequest.objects.get(status="awaiting_fee")
    for username, offered in (("officer", False), ("head", True)):
        _login(client, username)
        with time_machine.travel(TODAY, tick=False):
            reply = client.get(f"/office/requests/{decided.pk}/").content.decode()
            fee = client.get(f"/office/requests/{awaiting_fee.pk}/").content.decode()
        assert ("/do/send_reply/" in reply) is offered
        assert ("/do/revise_decision/" in reply) is offered
        assert ("/do/waive_fee/" in fee) is offered
        assert "/do/record_payment/" in fee  # the officer's own step stays


def test_a_publication_step_says_what_it_did(demo: Any, client: Client) -> None:
    pub = Publication.objects.get(status="in_review")
    _login(client, "head")
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            f"/office/publishing/items/{pub.pk}/do/reject/",
            {"note": "请补充附件"},
            follow=True,
        )
    [message] = _messages(response.content.decode())
    assert message.startswith(f"已退回修改“{pub.title}”（索引号 {pub.index_no}）")
    assert "当前状态：草稿" in message


def test_a_refused_step_is_a_403_in_the_back_office_frame_with_a_way_back(
    tree: Any, client: Client
) -> None:
    with time_machine.travel(TODAY, tick=False):
        report = r.report_generate(
            actor=tree.officer, organisation=tree.street, year=2025
        )
        report = r.report_submit(actor=tree.officer, report=report)
    _login(client, "t_officer")
    back = f"http://testserver/office/reports/{report.pk}/"
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            f"/office/reports/{report.pk}/do/approve/", HTTP_REFERER=back
        )
    page = response.content.decode()
    assert response.status_code == 403
    assert "您没有在“" in page and "审批的权限" in page  # the reason, in Chinese
    assert 'aria-label="主导航"' in page  # the back office's frame
    assert f'href="{back}"' in page and "返回上一页" in page
    # From another site, the way back is the 工作台, never the foreign address.
    with time_machine.travel(TODAY, tick=False):
        response = client.post(
            f"/office/reports/{report.pk}/do/approve/",
            HTTP_REFERER="https://evil.example/x",
        )
    assert "evil.example" not in response.content.decode()
    assert 'href="/office/"' in response.content.decode()


def test_reveal_and_the_weights_form_only_for_whom_may_use_them(
    demo: Any, client: Client
) -> None:
    case = InfoRequest.objects.filter(
        handler__isnull=True, organisation__name="老城区洛浦街道办事处"
    ).first()
    assert case is not None
    for username, allowed in (("officer", False), ("head", True)):
        _login(client, username)
        with time_machine.travel(TODAY, tick=False):
            page = client.get(f"/office/requests/{case.pk}/").content.decode()
            scores = client.get("/office/supervision/scores/").content.decode()
        assert (f"/office/requests/{case.pk}/reveal/" in page) is allowed
        assert ("保存权重" in scores) is allowed
