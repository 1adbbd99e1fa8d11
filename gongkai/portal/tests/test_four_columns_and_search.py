"""Issue 17 (7): the column's four first-level columns under their unified names
(国办公开办函〔2019〕61号), the 政府信息公开制度 kept as items, the issuing unit on a
parent's list, and 文号 and annual reports found by the search box."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gongkai.publishing import services
from gongkai.publishing.models import CatalogueItem
from gongkai.publishing.tests.factories import make_live
from gongkai.reports import services as reports

pytestmark = pytest.mark.django_db

UNIFIED = [
    "政府信息公开指南",
    "政府信息公开制度",
    "法定主动公开内容",
    "政府信息公开年报",
]


def visible(html: str) -> str:
    """The page's text; a highlighted word stays one with its neighbours."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"</?mark>", "", html))


def get(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def nav_links(html: str) -> list[str]:
    nav = html.split('<nav class="portal-nav"', 1)[1].split("</nav>", 1)[0]
    return [t.strip() for t in re.findall(r"<a [^>]*>([^<]+)</a>", nav)]


def test_the_four_first_level_columns_carry_their_unified_names(tree) -> None:
    html = get(f"/gk/{tree.street.pk}/")
    links = nav_links(html)
    # In the unified order, right after 首页.
    assert links[1:5] == UNIFIED
    assert "年度报告</a>" not in html.split('<nav class="portal-nav"', 1)[1]
    for name in UNIFIED:
        assert f"<strong>{name}</strong>" in html
    assert "<h1>政府信息公开年报</h1>" in get(f"/gk/{tree.street.pk}/reports/")


def rules_of(tree, org, officer) -> list[str]:
    services.catalogue_load_template(actor=officer, organisation=org)
    titles = []
    for item in CatalogueItem.objects.filter(
        organisation=org, item_l1="政府信息公开制度"
    ):
        title = f"{org.name}{item.item_l2}"
        make_live(org, officer, tree.head, title, catalogue_item=item)
        titles.append(title)
    return titles


def test_the_bodys_own_rules_are_kept_as_items_of_their_column(tree) -> None:
    titles = rules_of(tree, tree.street, tree.officer)
    assert [t.removeprefix(tree.street.name) for t in titles] == [
        "政府信息公开保密审查制度",
        "政府信息公开申请办理制度",
        "政府信息发布协调制度",
        "政策解读和回应关切制度",
    ]
    other = make_live(tree.street, tree.officer, tree.head, "道路维修公告")
    page = visible(get(f"/gk/{tree.street.pk}/rules/"))
    for title in titles:
        assert title in page
    assert other.title not in page
    # A 社区 is not a disclosure body: no rules of its own, its 街道's are shown
    # (and their links open under the 街道's column).
    html = get(f"/gk/{tree.community_a.pk}/rules/")
    assert titles[0] in visible(html)
    assert f'href="/gk/{tree.street.pk}/publications/' in html
    services.catalogue_load_template(
        actor=tree.liaison_a, organisation=tree.community_a
    )
    assert not CatalogueItem.objects.filter(
        organisation=tree.community_a, item_l1="政府信息公开制度"
    ).exists()


def test_a_parents_list_says_who_issued_each_item(tree) -> None:
    make_live(tree.street, tree.officer, tree.head, "街道发布的通知")
    make_live(tree.community_a, tree.liaison_a, tree.head, "甲社区发布的通知")
    make_live(tree.community_b, tree.liaison_b, tree.head, "乙社区发布的通知")
    for url in (f"/gk/{tree.street.pk}/publications/", f"/gk/{tree.street.pk}/"):
        html = get(url)
        rows = re.findall(r"<li><a [^>]*>([^<]+)</a>(.*?)</li>", html)
        issued = {title: visible(rest) for title, rest in rows if "通知" in title}
        assert tree.street.name in issued["街道发布的通知"], url
        assert tree.community_a.name in issued["甲社区发布的通知"], url
        assert tree.community_b.name in issued["乙社区发布的通知"], url


def search(org, q: str) -> str:
    return get(f"/gk/{org.pk}/search/?q={q}")


def test_a_doc_number_is_found_by_the_search_box(tree) -> None:
    make_live(
        tree.street,
        tree.officer,
        tree.head,
        "关于印发保密审查制度的通知",
        document_number="洛街〔2026〕12号",
    )
    make_live(
        tree.street,
        tree.officer,
        tree.head,
        "关于调整救助标准的通知",
        document_number="洛街〔2026〕112号",
    )
    for typed in ("洛街〔2026〕12号", "洛街[2026]12号", "〔2026〕12号"):
        page = visible(search(tree.street, typed))
        assert "关于印发保密审查制度的通知" in page, typed
        assert "关于调整救助标准的通知" not in page, typed


def test_a_published_annual_report_is_found_by_the_search_box(tree) -> None:
    report = reports.report_generate(
        actor=tree.officer, organisation=tree.street, year=2025
    )
    report = reports.report_submit(actor=tree.officer, report=report)
    for finding in [f for f in report.findings if f["severity"] == "warning"]:
        report = reports.report_note_warning(
            actor=tree.head, report=report, finding=finding["id"], note="已核实"
        )
    # Not found before it is published.
    assert report.title not in visible(search(tree.street, "年度报告"))
    report = reports.report_approve(actor=tree.head, report=report)
    reports.report_publish(actor=tree.head, report=report)
    for q in ("年度报告", "年报", "2025年"):
        html = search(tree.street, q)
        assert report.title in visible(html), q
        assert f'href="/gk/{tree.street.pk}/reports/2025/"' in html
