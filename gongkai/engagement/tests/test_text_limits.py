"""Each public text has one limit, told the same by the help text, the field and the
service: 留言内容 2,000 characters, a comment (意见征集) 1,000. One over is refused
in Chinese naming the limit, with the text kept in the box; one at the limit is taken.
The README states the same limits."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from gongkai.engagement.models import ConsultationComment, Message
from gongkai.engagement.tests.factories import captcha_fields, on, open_consultation

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 5)
MESSAGE_LIMIT = 2000
COMMENT_LIMIT = 1000
README = Path(__file__).resolve().parents[3] / "README.md"


def _textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, name
    return unescape(found.group(1)).strip("\r\n")


def _post(url: str, typed: dict[str, str]) -> Any:
    visitor = Client()
    page = visitor.get(url).content.decode()
    return visitor.post(url, {**typed, **captcha_fields(page)})


def _message(tree: Any, question: str) -> Any:
    typed = {"subject": "办事时间", "question": question, "email": "zhang@163.com"}
    with on(TODAY):
        return _post(f"/gk/{tree.street.pk}/messages/new/", typed)


def _comment(tree: Any, text: str) -> Any:
    c = open_consultation(tree, TODAY, date(2026, 4, 30))
    with on(TODAY):
        return _post(f"/gk/{tree.street.pk}/consultations/{c.pk}/", {"text": text})


def test_the_message_form_tells_the_limit_it_applies(tree: Any) -> None:
    html = Client().get(f"/gk/{tree.street.pk}/messages/new/").content.decode()
    assert f"最多{MESSAGE_LIMIT}字" in html
    assert f'maxlength="{MESSAGE_LIMIT}"' in _textarea_tag(html, "question")


def _textarea_tag(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>', html)
    assert found, name
    return found.group(0)


def test_a_message_at_the_limit_is_taken(tree: Any) -> None:
    question = "请问" + "办" * (MESSAGE_LIMIT - 2)
    assert _message(tree, question).status_code == 302
    assert Message.objects.get().question == question


@pytest.mark.parametrize(
    "send, name, told",
    [
        (
            _message,
            "question",
            f"留言内容最多{MESSAGE_LIMIT}个字，现有{MESSAGE_LIMIT + 1}个字",
        ),
        (_comment, "text", f"意见最多{COMMENT_LIMIT}个字，现有{COMMENT_LIMIT + 1}个字"),
    ],
)
def test_a_text_one_over_the_limit_is_refused_and_kept(
    tree: Any, send: Any, name: str, told: str
) -> None:
    limit = MESSAGE_LIMIT if name == "question" else COMMENT_LIMIT
    typed = "请问" + "办" * (limit - 1)
    response = send(tree, typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert told in html
    assert f"最多{limit}字" in html  # the help text tells the same limit
    assert _textarea(html, name) == typed
    assert not Message.objects.exists()
    assert not ConsultationComment.objects.exists()


def test_a_comment_at_the_limit_is_taken(tree: Any) -> None:
    text = "建议" + "改" * (COMMENT_LIMIT - 2)
    assert _comment(tree, text).status_code == 302
    assert ConsultationComment.objects.get().text == text


def test_the_readme_states_the_same_limits() -> None:
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert "留言内容 at most 2,000 characters" in readme
    assert "at most 1,000 characters" in readme
