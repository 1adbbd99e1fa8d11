"""Masking a 留言 for the column keeps what was written: encrypted on file, shown in
the back office to the answerer or the office head only, each view audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.engagement import services as s
from gongkai.engagement.models import Message

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def _masked_public_message(tree: Any) -> Message:
    m = s.message_submit(
        organisation=tree.street,
        subject="低保咨询",
        question=f"我的电话{PHONE}，请回电。",
        email="a@example.com",
        today=date(2024, 9, 30),
    )
    return s.message_answer(
        actor=tree.officer,
        message=m,
        answer="已转民政科。",
        public=True,
        mask=True,
        today=date(2024, 10, 14),
    )


def test_masking_keeps_the_question_as_written_encrypted(tree: Any) -> None:
    m = _masked_public_message(tree)
    m.refresh_from_db()
    assert PHONE not in m.question  # the public text is masked
    assert m.question_original == f"我的电话{PHONE}，请回电。"
    stored = Message.objects.filter(pk=m.pk).values_list("question_original", flat=True)
    assert PHONE not in stored[0]  # a token in the database, not the number


def test_masking_again_after_a_take_down_keeps_the_first_original(tree: Any) -> None:
    m = _masked_public_message(tree)
    s.message_set_public(actor=tree.officer, message=m, public=False)
    s.message_set_public(actor=tree.officer, message=m, public=True, mask=True)
    m.refresh_from_db()
    assert PHONE in m.question_original


def test_the_answerer_sees_the_original_on_the_back_office_page(
    client: Any, tree: Any
) -> None:
    m = _masked_public_message(tree)
    client.force_login(tree.officer)
    page = client.get(f"/office/engagement/messages/{m.pk}/").content.decode()
    assert PHONE not in page and "显示原文" in page
    url = f"/office/engagement/messages/{m.pk}/original/"
    assert client.get(url).status_code == 405  # POST only
    shown = client.post(url).content.decode()
    assert PHONE in shown and "已记录查看操作" in shown
    event = AuditEvent.objects.get(action="engagement.message_reveal")
    assert event.result == AuditEvent.Result.SUCCESS
    assert event.user_id == tree.officer.pk


def test_other_staff_of_the_body_may_not_see_the_original(
    client: Any, tree: Any
) -> None:
    from gongkai.orgs.tests.factories import make_user

    m = _masked_public_message(tree)
    colleague = make_user("t_officer2", tree.street, "officer")
    client.force_login(colleague)
    page = client.get(f"/office/engagement/messages/{m.pk}/").content.decode()
    assert "显示原文" not in page
    response = client.post(f"/office/engagement/messages/{m.pk}/original/")
    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    denied = AuditEvent.objects.get(action="engagement.message_reveal")
    assert denied.result == AuditEvent.Result.DENIED
    client.force_login(tree.head)  # the office head may
    assert (
        PHONE
        in client.post(f"/office/engagement/messages/{m.pk}/original/").content.decode()
    )


def test_a_message_never_masked_offers_no_original(client: Any, tree: Any) -> None:
    m = s.message_submit(
        organisation=tree.street,
        subject="路灯",
        question="路灯不亮。",
        email="a@example.com",
        today=date(2024, 9, 30),
    )
    client.force_login(tree.head)
    page = client.get(f"/office/engagement/messages/{m.pk}/").content.decode()
    assert "显示原文" not in page
    assert (
        client.post(f"/office/engagement/messages/{m.pk}/original/").status_code == 200
    )
