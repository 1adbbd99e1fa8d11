"""A reader's comment follows the rule of 留言 and 意见征集 (core/engagement_rules:
no markup, no links), and the moderation list shows only the parts a feedback has."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from gongkai.feedback import services as s
from gongkai.feedback.models import Feedback
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "comment, reason",
    [
        ("<script>alert(1)</script>", "不能包含网页代码或脚本"),
        ('好<img src="x" onerror="alert(1)">', "不能包含网页代码或脚本"),
        ("详见 http://example.com/a", "不能包含网址或链接"),
    ],
)
def test_markup_or_a_link_in_a_comment_is_refused_in_chinese(
    client, tree, comment, reason
):
    pub = make_live(tree.street, tree.officer, tree.head, "高龄津贴发放情况")
    page = f"/gk/{tree.street.pk}/publications/{pub.pk}/"
    response = client.post(
        reverse("portal:feedback", args=[tree.street.pk]),
        {"publication": pub.pk, "comment": comment, "next": page},
        follow=True,
    )
    assert reason in response.content.decode()
    assert not Feedback.objects.exists()


def test_plain_text_with_angle_brackets_is_still_accepted(tree) -> None:
    item = s.feedback_submit(
        organisation=tree.street, useful=None, comment="补贴标准 x<y 且 y>z 吗"
    )
    assert item.comment == "补贴标准 x<y 且 y>z 吗"


def heading_parts(html: str) -> list[list[str]]:
    lines = re.findall(r'<div class="card"><p>(.*?)</p>', html)
    return [
        [part.strip() for part in re.sub(r"<[^>]+>", "", line).split("·")]
        for line in lines
    ]


def test_the_moderation_list_shows_no_empty_part(client, tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "高龄津贴发放情况")
    s.feedback_submit(
        organisation=tree.street, publication=pub, useful=None, comment="请补充标准"
    )
    s.feedback_submit(
        organisation=tree.street, publication=pub, useful=True, comment=""
    )
    client.force_login(tree.officer)
    html = client.get("/office/feedback/").content.decode()
    parts = heading_parts(html)
    assert len(parts) == 2
    for line in parts:
        assert all(line), line
    assert sorted(len(line) for line in parts) == [3, 4]
    assert any("有用" in line for line in parts)


@pytest.mark.parametrize(
    "contact",
    ["请打我电话", "<b>13800000000</b>", "13800000000\n抄送", "http://x.cn", "1" * 101],
)
def test_a_contact_that_is_no_telephone_or_e_mail_is_refused_in_chinese(
    client, tree, contact
):
    """The 联系方式 rule of 留言 and 意见征集 (core.engagement_rules.check_contact)."""
    page = f"/gk/{tree.street.pk}/"
    response = client.post(
        reverse("portal:feedback", args=[tree.street.pk]),
        {"comment": "栏目更新太慢。", "contact": contact, "next": page},
        follow=True,
    )
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(told) == 1 and told[0].startswith("联系方式"), told
    assert not Feedback.objects.exists()
