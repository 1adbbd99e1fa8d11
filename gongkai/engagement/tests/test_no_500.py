"""Every 政民互动 form answers garbage below 500 and in Chinese (issue 21, bad input)."""

from __future__ import annotations

import re
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
    c = _open_consultation(tree, closes_on=today)
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


@pytest.fixture
def captcha_passes(monkeypatch: Any, settings: Any) -> None:
    """The CAPTCHA answered and no rate limit: every value reaches the services."""
    monkeypatch.setattr(
        "gongkai.engagement.views.captcha_check", lambda token, answer: True
    )
    settings.ENGAGEMENT_POSTS_PER_HOUR = 10_000


VALID = {
    "message": {
        "subject": "咨询低保",
        "question": "请问低保怎么申请？",
        "name": "",
        "email": "a@example.com",
    },
    "comment": {"text": "建议增加停车位。", "name": "", "contact": ""},
}


def _open_consultation(tree: Any, closes_on: date) -> Any:
    """A 意见征集 of the street opening today."""
    return s.consultation_open(
        actor=tree.officer,
        organisation=tree.street,
        title="草案",
        body="内容",
        is_major=False,
        opens_on=timezone.localdate(),
        closes_on=closes_on,
    )


def test_public_forms_answer_garbage_without_a_500(
    client: Any, tree: Any, captcha_passes: None
) -> None:
    c = _open_consultation(tree, closes_on=date(2098, 1, 1))
    urls = {
        "message": f"/gk/{tree.street.pk}/messages/new/",
        "comment": f"/gk/{tree.street.pk}/consultations/{c.pk}/",
    }
    saved = {"message": Message.objects, "comment": ConsultationComment.objects}
    # One field at a time gets an odd value, the others are right: the value
    # reaches the form and the service; a refusal is a Chinese error, nothing saved.
    for kind, url in urls.items():
        for field in VALID[kind]:
            for value in VALUES:
                before = saved[kind].count()
                data = VALID[kind] | {
                    field: value,
                    "captcha": "1",
                    "captcha_token": "t",
                }
                response = client.post(url, data)
                assert response.status_code < 500, (url, field, value[:20])
                if response.status_code == 200:
                    page = response.content.decode()
                    assert "field-error" in page, (url, field, value[:20])
                    assert re.search(r'class="field-error">[^<]*[\u4e00-\u9fff]', page)
                    assert saved[kind].count() == before, (url, field, value[:20])
                else:
                    # Accepted: only a value that is fine for that field.
                    assert response.status_code == 302, (url, field, value[:20])
                    assert (field, value) in ACCEPTABLE, (url, field, value[:20])
                    assert saved[kind].count() == before + 1
    # Unknown ids are a 404.
    assert (
        client.get(
            f"/gk/{tree.street.pk}/consultations/999999999999999999999/"
        ).status_code
        == 404
    )


# Values that are ordinary text (or an empty optional field, or a plausible phone
# number) for a field: accepted. Everything else in VALUES is refused.
ACCEPTABLE = {
    ("name", ""),
    ("contact", ""),
    ("subject", "1900-01-01"),
    ("subject", "2099-12-31"),
    ("subject", "-1"),
    ("subject", "1000000000000"),
    ("question", "1900-01-01"),
    ("question", "2099-12-31"),
    ("question", "-1"),
    ("question", "1000000000000"),
    ("text", "1900-01-01"),
    ("text", "2099-12-31"),
    ("text", "-1"),
    ("text", "1000000000000"),
    ("name", "1900-01-01"),
    ("name", "2099-12-31"),
    ("name", "-1"),
    ("name", "1000000000000"),
    ("contact", "1900-01-01"),  # shaped like a telephone number
    ("contact", "2099-12-31"),
    ("contact", "1000000000000"),
}


@pytest.mark.parametrize(
    ("kind", "field", "value", "error"),
    [
        ("message", "subject", "咨询\r\n低保", "标题只能填写一行文字"),
        ("message", "subject", "<script>x</script>", "标题不能包含网页代码"),
        ("message", "subject", "", "标题"),
        ("message", "question", "请访问baidu.com获取", "留言内容不能包含网址"),
        ("message", "question", HUGE, "留言内容最多"),
        ("message", "name", "王\n先生", "姓名只能填写一行文字"),
        ("message", "email", "-1", "请填写有效的电子邮箱"),
        ("comment", "text", "<img src=x onerror=alert(1)>", "意见不能包含网页代码"),
        ("comment", "contact", "<script>x</script>", "联系方式请填写电话号码"),
        ("comment", "contact", "http://spam.cn", "联系方式请填写电话号码"),
        ("comment", "name", "<b>张</b>", "署名不能包含网页代码"),
    ],
)
def test_odd_values_reach_the_rules_and_are_refused_in_chinese(
    client: Any,
    tree: Any,
    captcha_passes: None,
    kind: str,
    field: str,
    value: str,
    error: str,
) -> None:
    today = timezone.localdate()
    c = _open_consultation(tree, closes_on=today)
    url = {
        "message": f"/gk/{tree.street.pk}/messages/new/",
        "comment": f"/gk/{tree.street.pk}/consultations/{c.pk}/",
    }[kind]
    data = VALID[kind] | {field: value, "captcha": "1", "captcha_token": "t"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Message.objects.exists()
    assert not ConsultationComment.objects.exists()
    # The same form with the right value is accepted: the refusal was the value's.
    assert client.post(url, VALID[kind] | {"captcha": "1"}).status_code == 302
