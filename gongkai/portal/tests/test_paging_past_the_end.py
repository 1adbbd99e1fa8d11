"""A page number out of range: past the search results the page says so and links
to the first page (not to an empty page before it); below 1 a list shows page 1."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db


def _search(org_id: int, page: str) -> str:
    response = Client().get(f"/gk/{org_id}/search/", {"q": "高龄津贴", "page": page})
    assert response.status_code == 200
    return response.content.decode()


def test_a_search_page_past_the_results_says_so_and_links_to_the_first(tree) -> None:
    for n in range(23):  # two pages: 20 and 3
        make_live(tree.street, tree.officer, tree.head, f"第{n}批高龄津贴发放情况")
    assert _search(tree.street.pk, "2").count("<time") == 3
    for page in ("3", "49", "99999"):
        html = _search(tree.street.pk, page)
        assert "<time" not in html
        assert "没有更多结果了" in html and "超出了搜索结果的范围" in html
        assert 'rel="prev"' not in html and 'rel="next"' not in html
        assert re.search(r"(?<!回到)第 \d+ 页", html) is None
        first = re.search(r'<a href="([^"]+)">回到第 1 页</a>', html)
        assert first is not None
        back = Client().get(
            f"/gk/{tree.street.pk}/search/{first.group(1).replace('&amp;', '&')}"
        )
        assert back.content.decode().count("<time") == 20


def _titles(html: str) -> list[str]:
    return re.findall(r"第(\d+)条通知", html)


def test_a_list_page_below_1_shows_the_first_page(tree) -> None:
    for n in range(25):  # two pages: 20 and 5
        make_live(tree.street, tree.officer, tree.head, f"第{n}条通知")
    url = f"/gk/{tree.street.pk}/publications/"
    first = Client().get(url).content.decode()
    last = Client().get(url, {"page": "2"}).content.decode()
    assert len(_titles(first)) == 20 and len(_titles(last)) == 5
    for page in ("-1", "0", "-99999"):
        html = Client().get(url, {"page": page}).content.decode()
        assert _titles(html) == _titles(first)
        assert "第 1 / 2 页" in html


def test_a_list_page_past_the_last_says_so_and_links_to_the_first(tree) -> None:
    for n in range(25):  # two pages: 20 and 5
        make_live(tree.street, tree.officer, tree.head, f"第{n}条通知")
    url = f"/gk/{tree.street.pk}/publications/"
    for page in ("3", "99999"):
        html = Client().get(url, {"page": page}).content.decode()
        assert _titles(html) == []
        assert "超出了列表的范围（共 2 页）" in html
        assert "上一页" not in html and "下一页" not in html
        first = re.search(r'<a href="([^"]+)">回到第 1 页</a>', html)
        assert first is not None
        back = Client().get(url + first.group(1).replace("&amp;", "&"))
        assert len(_titles(back.content.decode())) == 20
