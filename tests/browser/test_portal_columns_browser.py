"""Issue 17 (7) in a real browser, on the demo: the four first-level columns under
their unified names, the 街道's 政府信息公开制度 kept as items, the issuing unit on the
parent's list, and a 文号 and the annual report found by the search box."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongkai.orgs.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def street(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--quiet-accounts")
    return Organisation.objects.get(name="老城区洛浦街道办事处")


def test_a_visitor_finds_the_rules_a_doc_number_and_the_annual_report(page, street):
    page.goto(f"{page.base_url}/gk/{street.pk}/")
    nav = page.get_by_role("navigation", name="栏目导航")
    assert nav.get_by_role("link").all_inner_texts()[1:5] == [
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "政府信息公开年报",
    ]
    nav.get_by_role("link", name="政府信息公开制度").click()
    assert page.locator("h1").inner_text() == "政府信息公开制度"
    rules = page.locator(".item-list li")
    assert rules.count() == 4
    first = rules.filter(has_text="保密审查制度")
    assert "洛街〔2026〕12号" in first.inner_text()
    first.get_by_role("link").click()
    expect(page.locator("table.meta")).to_contain_text("洛街〔2026〕12号")
    assert page.locator(".publication-body p").count() >= 2

    # The parent's list says who issued each item (the 社区's own items too).
    page.goto(f"{page.base_url}/gk/{street.pk}/publications/")
    rows = page.locator(".item-list li")
    issuers = rows.locator(".issuer").all_inner_texts()
    assert len(issuers) == rows.count() and all(issuers)
    assert any("社区" in i for i in issuers) and street.name in issuers

    page.goto(f"{page.base_url}/gk/{street.pk}/")
    page.get_by_label("搜索本机构公开信息").fill("洛街[2026]12号")
    page.get_by_role("button", name="搜索").click()
    hits = page.locator(".search-results li a").all_inner_texts()
    assert hits == ["洛浦街道办事处政府信息公开保密审查制度"]

    page.get_by_label("关键词").fill("年度报告")
    page.get_by_role("button", name="搜索").click()
    reports = page.locator(".search-results--reports li a")
    assert reports.count() >= 1
    assert "年度报告" in reports.first.inner_text()
    reports.first.click()
    assert "/reports/" in page.url
