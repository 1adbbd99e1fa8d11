"""A wrong CAPTCHA answer does not hide the other faults of a public 政民互动 form:
every field's error comes in the one answer, beside its field, with what was typed
kept (all but the answer, which meets a new question)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from django.test import Client

from gongkai.engagement.models import ConsultationComment, Message
from gongkai.engagement.tests.factories import captcha_fields, on, open_consultation

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 5)


def _errors_beside(html: str) -> dict[str, str]:
    """Each field's error text, by the field it stands beside."""
    found = re.findall(
        r'data-field="(\w+)">.*?<div class="field-errors" id="id_\1_error">(.*?)</div>',
        html,
        re.S,
    )
    return {name: unescape(re.sub(r"<[^>]+>", "", text)) for name, text in found}


def _value(html: str, name: str) -> str:
    textarea = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    if textarea:
        return unescape(textarea.group(1)).strip("\r\n")
    found = re.search(
        rf'<input type="text" name="{name}"[^>]*?(?: value="([^"]*)")?[ >/]', html
    )
    assert found, name
    return unescape(found.group(1) or "")


def _sent_with_a_wrong_answer(url: str, typed: dict[str, str]) -> str:
    """The page a visitor gets back for ``typed`` and a wrong CAPTCHA answer."""
    visitor = Client()
    page = visitor.get(url).content.decode()
    answer = visitor.post(url, {**typed, **captcha_fields(page, right=False)})
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_message_form_tells_every_fault_with_a_wrong_answer(tree: Any) -> None:
    typed = {
        "subject": "<b>办事时间</b>",
        "question": "详见 www.example.com 的通知",
        "name": "张三",
        "email": "不是邮箱",
    }
    html = _sent_with_a_wrong_answer(f"/gk/{tree.street.pk}/messages/new/", typed)
    errors = _errors_beside(html)
    assert "不能包含网页代码" in errors["subject"]
    assert "不能包含网址" in errors["question"]
    assert "有效的电子邮箱" in errors["email"]
    assert "验证题答案不正确" in errors["captcha"]
    assert "请修改以下 4 处" in html
    for name, value in typed.items():
        assert _value(html, name) == value, name
    assert _value(html, "captcha") == ""
    assert not Message.objects.exists()


def test_the_comment_form_tells_every_fault_with_a_wrong_answer(tree: Any) -> None:
    c = open_consultation(tree, TODAY, date(2026, 4, 30))
    typed = {
        "text": "请看 http://example.com/a",
        "name": "老\n王",
        "contact": "请打我电话",
    }
    with on(TODAY):
        html = _sent_with_a_wrong_answer(
            f"/gk/{tree.street.pk}/consultations/{c.pk}/", typed
        )
    errors = _errors_beside(html)
    assert "不能包含网址" in errors["text"]
    assert "只能填写一行文字" in errors["name"]
    assert "联系方式请填写电话号码" in errors["contact"]
    assert "验证题答案不正确" in errors["captcha"]
    assert _value(html, "text") == typed["text"]
    assert _value(html, "contact") == typed["contact"]
    assert not ConsultationComment.objects.exists()
