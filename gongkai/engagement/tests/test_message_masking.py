"""What a public 留言 shows on the portal: a mistyped identity number and the names
written in the question or the answer are masked, as the browser trial asked; the
text as written stays on file for the answerer."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from gongkai.engagement import services as s
from gongkai.engagement.models import Message

pytestmark = pytest.mark.django_db

# Province 11, born 1949-12-31, the last character wrong (GB 11643's example ends in X).
MISTYPED_ID = "110105194912310021"
QUESTION = f"我叫张三，身份证号{MISTYPED_ID}，低保申请到哪一步了？"
ANSWER = "张三：您好！您的申请已由经办人李建国受理，审核结果将另行告知。"


def _ask(tree: Any) -> Message:
    return s.message_submit(
        organisation=tree.street,
        subject="低保进度查询",
        question=QUESTION,
        email="a@example.com",
        today=date(2024, 9, 30),
    )


def _answer(tree: Any, m: Message, *, mask: bool) -> Message:
    return s.message_answer(
        actor=tree.officer,
        message=m,
        answer=ANSWER,
        public=True,
        mask=mask,
        today=date(2024, 10, 14),
    )


def test_the_portal_shows_neither_the_mistyped_id_nor_the_names(
    client: Any, tree: Any
) -> None:
    m = _answer(tree, _ask(tree), mask=True)
    page = client.get(f"/gk/{tree.street.pk}/interaction/").content.decode()
    assert "低保进度查询" in page
    for personal in (MISTYPED_ID, "张三", "李建国"):
        assert personal not in page, personal
    assert "我叫张某" in page and "经办人李*某" in page  # masked, not dropped
    m.refresh_from_db()
    assert m.question_original == QUESTION and m.answer_original == ANSWER


def test_publishing_unmasked_is_refused_with_the_name_and_the_id(tree: Any) -> None:
    m = _ask(tree)
    with pytest.raises(ValidationError) as refused:
        _answer(tree, m, mask=False)
    message = refused.value.message_dict["public"][0]
    assert "姓名" in message and "身份证号码" in message
    assert MISTYPED_ID not in message and "张三" not in message
