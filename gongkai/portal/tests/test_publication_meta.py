"""The detail page's table of 索引号…有效性 (``portal_parts.publication_meta``, written
without the template engine for a page served on a cache miss): every value escaped,
dates in the reader's form, — for what an item has not, 有效性 only for a 规范性文件."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from gongkai.engagement.tests.factories import on
from gongkai.publishing.reference import Genre
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db


def meta_table(html: str) -> str:
    found = re.search(r'<table class="table meta">.*?</table>', html, re.S)
    assert found, "no 索引号 table on the page"
    return found.group(0)


def cells(table: str) -> dict[str, str]:
    """Each 表头 with the cell after it, as the page has them (still escaped)."""
    pairs = re.findall(r'<th scope="row">([^<]+)</th><td[^>]*>(.*?)</td>', table)
    return dict(pairs)


def page(pub: Any) -> str:
    response = Client().get(f"/gk/{pub.organisation_id}/publications/{pub.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_value_is_escaped_and_dates_are_in_chinese(tree: Any) -> None:
    with on(date(2026, 3, 5)):
        pub = make_live(
            tree.street,
            tree.officer,
            tree.head,
            '<script>alert("题")</script>&公告',
            formed_on=date(2026, 2, 28),
            document_number="",
            topic="",
        )
    shown = cells(meta_table(page(pub)))
    assert shown["标题"] == (
        "&lt;script&gt;alert(&quot;题&quot;)&lt;/script&gt;&amp;公告"
    )
    assert shown["成文日期"] == "2026年2月28日"
    assert shown["发布日期"] == "2026年3月5日"
    assert shown["文号"] == "—"
    assert shown["主题分类"] == "—"
    assert shown["发布机构"]  # the issuing body's name
    assert "有效性" not in shown


def test_a_normative_document_shows_its_validity(tree: Any) -> None:
    with on(date(2026, 3, 5)):
        pub = make_live(
            tree.street,
            tree.officer,
            tree.head,
            "关于物业管理的规定",
            genre=Genre.NORMATIVE,
            validity="valid",
            document_number="洛街发〔2026〕3号",
        )
    shown = cells(meta_table(page(pub)))
    assert shown["有效性"] == "有效"
    assert shown["文号"] == "洛街发〔2026〕3号"


def test_an_item_changed_after_publication_shows_its_update_day(
    tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """条例第二十六条 变更: the page says when the changed information reached the
    public (更新日期) besides the day of first publication; an item never changed
    shows no 更新日期."""
    from gongkai.publishing import services

    with on(date(2026, 3, 5)):
        pub = make_live(tree.street, tree.officer, tree.head, "关于停水的通知")
    assert "更新日期" not in cells(meta_table(page(pub)))
    # The cached page gives way once the change commits (portal/versionbump.py).
    with on(date(2026, 4, 9)), django_capture_on_commit_callbacks(execute=True):
        services.publication_update(
            actor=tree.officer,
            publication=pub,
            body="<p>停水时间改为周六。</p>",
            changed_on=date(2026, 4, 8),
        )
    shown = cells(meta_table(page(pub)))
    assert shown["发布日期"] == "2026年3月5日"
    assert shown["更新日期"] == "2026年4月9日"
