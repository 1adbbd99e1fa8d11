from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongkai.inforequests.tests.factories import RESIDENT_ID
from gongkai.orgs.models import Organisation
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def street(db):
    call_command("load_demo", "--quiet-accounts")
    return Organisation.objects.get(name="老城区洛浦街道办事处")


def solve(question: str) -> str:
    a, b = map(int, re.findall(r"(\d+) 加 (\d+)", question)[0])
    return str(a + b)


def test_someone_applies_online_then_checks_the_status(page, street):
    page.goto(f"{page.base_url}/gk/{street.pk}/")
    screenshot(page, "portal-column")
    page.get_by_role("link", name="在线申请公开").click()
    page.get_by_label("姓名或单位名称").fill("李四")
    page.get_by_label("证件号码").fill(RESIDENT_ID)
    page.get_by_label("联系电话").fill("13800001111")
    page.get_by_label(re.compile("特征性描述")).fill(
        "2026年洛浦街道道路维修项目的招标公告"
    )
    question = page.locator("label[for=id_captcha]").inner_text()
    page.get_by_label(re.compile("验证题")).fill(solve(question))
    screenshot(page, "portal-apply")
    page.get_by_role("button", name="提交申请").click()
    tracking = page.locator("#tracking").inner_text()
    code = page.locator("#query-code").inner_text()
    assert tracking.startswith(f"GK{street.pk}-") and len(code) == 8
    page.get_by_role("link", name="查询办理进度").first.click()
    page.get_by_label("申请编号").fill(tracking)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("main")).to_contain_text("已登记待审核")
    screenshot(page, "portal-status")


def test_a_missing_field_is_explained_inline_in_chinese(page, street):
    page.goto(f"{page.base_url}/gk/{street.pk}/apply/")
    page.get_by_role("button", name="提交申请").click()
    errors = page.locator(".field-error").all_inner_texts()
    assert "请填写姓名或单位名称。" in errors  # the field is named (issue 17)


def test_elderly_mode_enlarges_the_text(page, street):
    page.goto(f"{page.base_url}/gk/{street.pk}/guide/")
    before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    with page.expect_navigation():  # the switch is a form that posts and redirects back
        page.get_by_role("button", name=re.compile("适老化模式")).click()
    page.wait_for_load_state()
    after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert after > before
    screenshot(page, "portal-guide-elderly")


def test_the_column_fits_a_360_pixel_phone(page, street):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base_url}/gk/{street.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "portal-column-phone")


def test_someone_searches_and_opens_a_publication(page, street):
    page.goto(f"{page.base_url}/gk/{street.pk}/")
    page.get_by_label("搜索本机构公开信息").fill("便民服务")
    page.get_by_role("button", name="搜索").click()
    first = page.locator(".search-results li a").first
    assert first.locator("mark").first.inner_text() == "便民服务"
    screenshot(page, "portal-search")
    first.click()
    meta = page.locator("table.meta").inner_text()
    assert "索引号" in meta and "发布机构" in meta
    screenshot(page, "portal-publication")
