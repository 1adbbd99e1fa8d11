"""The staff's 留言 list (pending first, every 留言 reachable by page), adoption kept
private until the 采纳情况 is published, taking a public answer down again, the
personal-information check before a 留言 goes public, and the moderation label."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.engagement import selectors as sel
from gongkai.engagement import services as s
from gongkai.engagement.models import ConsultationComment, Message

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def _ask(tree: Any, subject: str, day: date, question: str = "问题内容。") -> Message:
    return s.message_submit(
        organisation=tree.street,
        subject=subject,
        question=question,
        email="a@example.com",
        today=day,
    )


def _answer(tree: Any, m: Message, **kw: Any) -> Message:
    fields = {"answer": "答复。", "public": False, "today": date(2024, 10, 14), **kw}
    return s.message_answer(actor=tree.officer, message=m, **fields)


# ------------------------------------------------------------------ item 3


def test_pending_messages_come_first_earliest_deadline_first(tree: Any) -> None:
    answered = [_ask(tree, f"已答{n}", date(2024, 9, 2 + n)) for n in range(3)]
    for m in answered:
        _answer(tree, m)
    late = _ask(tree, "待答晚", date(2024, 9, 20))
    early = _ask(tree, "待答早", date(2024, 9, 10))
    order = [m.subject for m in sel.staff_messages(tree.officer, tree.street)]
    # Answered ones had the earliest deadlines and "answered" < "pending" as keys:
    # before the fix they came first.
    assert order[:2] == [early.subject, late.subject]
    assert order[2:] == ["已答2", "已答1", "已答0"]  # newest first


def test_every_message_is_reachable_page_by_page(
    client: Any, tree: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("gongkai.engagement.views.MESSAGES_PER_PAGE", 2)
    for n in range(3):
        _answer(tree, _ask(tree, f"已答{n}", date(2024, 9, 2)))
    _ask(tree, "等待答复", date(2024, 9, 20))
    client.force_login(tree.officer)
    first = client.get("/office/engagement/").content.decode()
    assert "等待答复" in first
    assert "第 1 / 2 页，共 4 条" in first and "?page=2" in first
    second = client.get("/office/engagement/?page=2").content.decode()
    assert "已答0" in second and "等待答复" not in second
    for odd in ("abc", "-1", "99999999999999999999"):
        assert client.get(f"/office/engagement/?page={odd}").status_code == 200


# ------------------------------------------------------------------ item 5


def test_adoption_is_not_public_before_the_result(client: Any, tree: Any) -> None:
    with time_machine.travel("2024-11-01 10:00 +0800", tick=False):
        c = s.consultation_open(
            actor=tree.officer,
            organisation=tree.street,
            title="草案",
            body="内容",
            is_major=False,
            opens_on=date(2024, 11, 1),
            closes_on=date(2024, 11, 10),
        )
    comment = s.comment_submit(
        consultation=c, text="建议每月召开一次。", today=date(2024, 11, 2)
    )
    s.comment_moderate(actor=tree.officer, comment=comment, approve=True)
    s.comment_adopt(
        actor=tree.officer,
        comment=comment,
        adoption="not_adopted",
        reason="每季度一次已能满足需要。",
        today=date(2024, 11, 12),
    )
    url = f"/gk/{tree.street.pk}/consultations/{c.pk}/"
    page = client.get(url).content.decode()
    assert "建议每月召开一次。" in page  # the comment itself is public
    assert "未采纳" not in page and "每季度一次已能满足需要" not in page
    s.consultation_publish_result(
        actor=tree.officer, consultation=c, summary="共1条。", today=date(2024, 11, 12)
    )
    page = client.get(url).content.decode()
    assert "未采纳" in page and "每季度一次已能满足需要" in page


# ------------------------------------------------------------------ item 6


def test_a_public_answer_can_be_taken_down_and_put_back(client: Any, tree: Any) -> None:
    m = _answer(tree, _ask(tree, "路灯不亮", date(2024, 9, 30)), public=True)
    assert list(sel.public_answers(tree.street)) == [m]
    client.force_login(tree.officer)
    page = client.get(f"/office/engagement/messages/{m.pk}/").content.decode()
    assert "从专栏撤下" in page
    url = f"/office/engagement/messages/{m.pk}/public/"
    assert client.get(url).status_code == 405  # POST only
    response = client.post(url, {"public": "0"})
    assert response.status_code == 302
    assert list(sel.public_answers(tree.street)) == []
    public_page = client.get(f"/gk/{tree.street.pk}/interaction/").content.decode()
    assert "路灯不亮" not in public_page
    client.post(url, {"public": "1"})
    assert list(sel.public_answers(tree.street)) == [m]
    actions = AuditEvent.objects.filter(action="engagement.message_public")
    assert [a.details["public"] for a in actions.order_by("pk")] == [False, True]


def test_only_staff_of_the_body_may_change_it(client: Any, tree: Any) -> None:
    from gongkai.orgs.tests.factories import make_user

    m = _answer(tree, _ask(tree, "路灯不亮", date(2024, 9, 30)), public=True)
    url = f"/office/engagement/messages/{m.pk}/public/"
    assert client.post(url, {"public": "0"}).status_code == 302  # to the login
    client.force_login(make_user("x_officer", tree.sibling_street, "officer"))
    assert client.post(url, {"public": "0"}).status_code == 404
    m.refresh_from_db()
    assert m.is_public


def test_personal_information_blocks_publishing_unless_masked(
    client: Any, tree: Any
) -> None:
    m = _ask(tree, "低保咨询", date(2024, 9, 30), question=f"我的电话{PHONE}，请回电。")
    with pytest.raises(ValidationError) as refused:
        _answer(tree, m, public=True)
    message = refused.value.message_dict["public"][0]
    assert "个人信息" in message and "留言内容" in message and "手机号码" in message
    assert PHONE not in message  # the refusal lists the masked value only
    m.refresh_from_db()
    assert m.state == Message.State.PENDING  # nothing saved
    # Answered privately, then put public from the screen: refused with the list.
    _answer(tree, m, public=False)
    client.force_login(tree.officer)
    url = f"/office/engagement/messages/{m.pk}/public/"
    page = client.post(url, {"public": "1"}, follow=True).content.decode()
    assert "不能公开" in page and "手机号码" in page
    m.refresh_from_db()
    assert not m.is_public
    # Masked: public, and the column never shows the number.
    client.post(url, {"public": "1", "mask": "1"})
    m.refresh_from_db()
    assert m.is_public and PHONE not in m.question
    column = client.get(f"/gk/{tree.street.pk}/interaction/").content.decode()
    assert "低保咨询" in column and PHONE not in column


def test_answering_in_public_with_masking_still_mails_the_answer(tree: Any) -> None:
    from gongkai.security.models import OutgoingMail

    m = _ask(tree, "低保咨询", date(2024, 9, 30))
    _answer(tree, m, public=True, mask=True, answer=f"请致电经办人{PHONE}。")
    m.refresh_from_db()
    assert m.is_public and PHONE not in m.answer
    assert PHONE in OutgoingMail.objects.get().body  # the asker gets it as written


# ------------------------------------------------------------------ item 7


def test_the_moderation_label_is_not_confused_with_adoption() -> None:
    assert ConsultationComment.State.APPROVED.label == "已公开"
    labels = [label for _, label in ConsultationComment.State.choices]
    assert not any("采" in label for label in labels)  # 采纳 is the adoption
