"""公开内容结构: a 社区居委会 or 村委会 is no 行政机关 (条例第二条) and issues no 行政规范性
文件 nor 政策解读, so it is never flagged as short of them; a 街道 still is."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gongkai.publishing.tests.factories import make_live
from gongkai.supervision.selectors import content_balance

pytestmark = pytest.mark.django_db


def test_a_community_is_not_flagged_for_genres_it_cannot_issue(tree):
    for org in (tree.street, tree.community_a):
        make_live(org, tree.officer, tree.head, title="停水通知", genre="notice")
    rows = {
        r["unit"].pk: r for r in content_balance(tree.street, timezone.localdate().year)
    }
    assert rows[tree.community_a.pk]["total"] == 1
    assert rows[tree.community_a.pk]["short_labels"] == []
    assert set(rows[tree.street.pk]["short_labels"]) == {"行政规范性文件", "政策解读"}


def test_the_dashboard_says_whom_the_genres_concern(client, tree):
    make_live(tree.community_a, tree.officer, tree.head, title="通知", genre="notice")
    client.force_login(tree.supervisor)
    html = client.get("/office/supervision/").content.decode()
    section = html.split("公开内容结构", 1)[1].split("</section>", 1)[0]
    row = section.split(tree.community_a.name, 1)[1].split("</tr>", 1)[0]
    assert "政策解读" not in row and "不制定行政规范性文件" in section
