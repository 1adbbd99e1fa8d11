"""Every 政民互动 form answers garbage below 500 and in Chinese (issue 21, bad input)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from gongkai.engagement import services as s
from gongkai.engagement.models import Consultation, ConsultationComment, Message

pytestmark = pytest.mark.django_db

HUGE = "字" * 100_000
VALUES = (
    "",
    HUGE,
    "1900-01-01",
    "2099-12-31",
    "-1",
    "1000000000000",
    "<script>x</script>",
)


def test_staff_forms_answer_garbage_without_a_500(client: Any, tree: Any) -> None:
    today = timezone.localdate()
    c = s.consultation_open(
        actor=tree.officer,
        organisation=tree.street,
        title="草案",
        body="内容",
        is_major=False,
        opens_on=today,
        closes_on=today,
    )
    comment = s.comment_submit(consultation=c, text="意见", today=today)
    m = s.message_submit(
        organisation=tree.street,
        subject="标题",
        question="问题",
        email="a@example.com",
        today=today,
    )
    client.force_login(tree.officer)
    posts = {
        "/office/engagement/": ("title", "body", "is_major", "opens_on", "closes_on"),
        f"/office/engagement/consultations/{c.pk}/result/": ("summary",),
        f"/office/engagement/comments/{comment.pk}/moderate/": ("approve",),
        f"/office/engagement/comments/{comment.pk}/adopt/": ("adoption", "reason"),
        f"/office/engagement/messages/{m.pk}/": ("answer", "public"),
    }
    for url, fields in posts.items():
        for value in VALUES:
            response = client.post(url, dict.fromkeys(fields, value))
            assert response.status_code < 500, (url, value[:20])
    # The dates the calendar cannot count were refused, not saved.
    assert Consultation.objects.count() == 1
    # Answered once (the first non-empty text); the second answer was refused.
    m.refresh_from_db()
    assert m.state == Message.State.ANSWERED and m.answer == "1900-01-01"
    for url in (
        "/office/engagement/",
        f"/office/engagement/consultations/{c.pk}/",
        f"/office/engagement/messages/{m.pk}/",
    ):
        assert client.get(url).status_code == 200


def test_public_forms_answer_garbage_without_a_500(client: Any, tree: Any) -> None:
    c = s.consultation_open(
        actor=tree.officer,
        organisation=tree.street,
        title="草案",
        body="内容",
        is_major=False,
        opens_on=date(2024, 1, 1),
        closes_on=date(2098, 1, 1),
    )
    posts = {
        f"/gk/{tree.street.pk}/messages/new/": ("subject", "question", "name", "email"),
        f"/gk/{tree.street.pk}/consultations/{c.pk}/": ("text", "name", "contact"),
    }
    for url, fields in posts.items():
        for value in VALUES:
            data = dict.fromkeys(fields, value) | {
                "captcha": value,
                "captcha_token": value,
            }
            response = client.post(url, data)
            assert response.status_code < 500, (url, value[:20])
            assert "field-error" in response.content.decode()  # refused in Chinese
    assert not Message.objects.exists()
    assert not ConsultationComment.objects.exists()
    # Unknown ids are a 404.
    assert (
        client.get(
            f"/gk/{tree.street.pk}/consultations/999999999999999999999/"
        ).status_code
        == 404
    )
