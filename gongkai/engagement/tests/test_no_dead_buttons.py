"""The 政民互动 office pages offer 发布意见征集, 审核, 采纳, 公布采纳情况, 答复 and
公开 only to whom may 办理 there; a reader (领导: 查看 and 审批; 监督人员: 查看)
reads the same pages without a button that would answer 403, and a post sent
anyway is refused before the form is read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urljoin

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from selectolax.lexbor import LexborHTMLParser

from gongkai.engagement import services as s
from gongkai.engagement.tests.factories import on, open_consultation
from gongkai.publishing.tests.test_views_and_api import login

pytestmark = pytest.mark.django_db


def _pages(tree: Any) -> list[str]:
    today = timezone.localdate()
    consultation = open_consultation(
        tree, today - timedelta(days=40), today - timedelta(days=10)
    )
    with on(today - timedelta(days=30)):
        comments = [
            s.comment_submit(
                consultation=consultation,
                text=f"意见{i}",
                today=today - timedelta(days=30),
            )
            for i in range(2)
        ]
    s.comment_moderate(actor=tree.officer, comment=comments[0], approve=True)
    waiting, answered = (
        s.message_submit(
            organisation=tree.street,
            subject=subject,
            question="请问办理地点？",
            email="a@example.com",
            today=today,
        )
        for subject in ("待答复的留言", "已答复的留言")
    )
    s.message_answer(
        actor=tree.officer, message=answered, answer="答复。", public=False, today=today
    )
    return [
        "/office/engagement/",
        f"/office/engagement/consultations/{consultation.pk}/",
        f"/office/engagement/messages/{waiting.pk}/",
        f"/office/engagement/messages/{answered.pk}/",
    ]


def _actions(client: Client, page: str) -> set[str]:
    """Where the page's post forms go, the frame's own (switching the organisation,
    signing out) left out."""
    response = client.get(page)
    assert response.status_code == 200, page
    return {
        urljoin(page, form.attributes.get("action") or page)
        for form in LexborHTMLParser(response.content.decode()).css("form")
        if (form.attributes.get("method") or "").lower() == "post"
    } - {reverse("backoffice:switch_organisation"), reverse("logout")}


@pytest.mark.parametrize("reader", ["leader", "street_supervisor", "supervisor"])
def test_a_reader_is_offered_no_engagement_action_and_is_refused_one(
    tree: Any, reader: str
) -> None:
    pages = _pages(tree)
    officer = Client()
    login(officer, tree.officer, tree.street)
    offered = {page: _actions(officer, page) for page in pages}
    # The officer is offered each action: 发布, 审核, 采纳, 公布, 答复, 公开.
    assert all(offered.values()), offered
    client = Client()
    login(client, getattr(tree, reader), tree.street)
    for page in pages:
        assert _actions(client, page) == set(), page
        for action in offered[page]:
            assert client.post(action, {}).status_code == 403, action
