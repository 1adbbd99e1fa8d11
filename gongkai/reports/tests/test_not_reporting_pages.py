"""A 社区居委会 or 村委会 is not a disclosure body (条例第二条、第十条) and publishes no
annual report (条例第四十九条): the pages that list reports say so, never 未公开."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.publishing.tests.test_views_and_api import login as _login

pytestmark = pytest.mark.django_db


def _row(page: str, name: str) -> str:
    start = page.index(name, page.index("<tbody>"))  # not the org switcher's
    return page[start : page.index("</tr>", start)]


def test_the_streets_rollup_does_not_call_its_communities_unpublished(
    tree: Any, client: Any
) -> None:
    _login(client, tree.officer, tree.street)
    page = client.get("/office/reports/rollup/2024/").content.decode()
    community_row = _row(page, tree.community_a.name)
    assert "未公开" not in community_row and "无需公开年报" in community_row
    assert "未公开" in _row(page, tree.street.name)  # the street itself must report
    assert "条例第四十九条" in page


def test_a_communitys_report_page_offers_no_rollup_of_itself(
    tree: Any, client: Any
) -> None:
    _login(client, tree.liaison_a, tree.community_a)
    page = client.get("/office/reports/").content.decode()
    assert "下级单位汇总" not in page
    _login(client, tree.officer, tree.street)
    assert "下级单位汇总" in client.get("/office/reports/").content.decode()


def test_the_public_report_column_of_a_community_says_why_and_where(
    tree: Any, client: Any
) -> None:
    page = client.get(f"/gk/{tree.community_a.pk}/reports/").content.decode()
    assert "暂无已公开的年度报告" not in page
    assert "无需编制政府信息公开工作年度报告" in page
    assert f'href="/gk/{tree.street.pk}/reports/"' in page
    street = client.get(f"/gk/{tree.street.pk}/reports/").content.decode()
    assert "暂无已公开的年度报告" in street
