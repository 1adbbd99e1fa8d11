"""An application from intake to reply in the back office, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongkai.demo.organisations import DEMO_PASSWORD
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.selectors import table3_for
from gongkai.inforequests.tests.factories import RESIDENT_ID
from gongkai.orgs.models import Organisation
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("load_demo", "--quiet-accounts")


def test_register_accept_decide_and_reply(page, demo, browser):
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(page.base_url + "/office/requests/")
    screenshot(page, "requests-list")
    page.goto(page.base_url + "/office/requests/new/")
    page.get_by_label("申请方式").select_option(value="in_person")
    page.get_by_label("申请人类型").select_option(value="natural")
    page.get_by_label("身份证明类型").select_option(value="resident_id")
    page.get_by_label("申请人姓名/名称").fill("赵六")
    page.get_by_label("证件号码").fill(RESIDENT_ID)
    page.get_by_label("联系电话").fill("13700001111")
    page.get_by_label(re.compile("特征性描述")).fill(
        "洛浦街道2026年老旧小区改造资金分配方案"
    )
    page.get_by_role("button", name=re.compile("登记")).last.click()
    page.wait_for_load_state()
    errors = page.locator(".field-error, .form-error").all_inner_texts()
    assert errors == [], errors
    page.wait_for_url(re.compile(r"/office/requests/\d+/"))
    case = InfoRequest.objects.filter(applicant_name="赵六").get()
    assert case.status == "received" and case.due_on is not None
    page.locator("#act-accept button[type=submit]").click()
    page.wait_for_load_state()
    decide = page.locator("#act-decide")
    decide.get_by_label("办理结果").select_option(value="granted")
    decide.locator("[name=detail_provision]").fill("随本告知书提供电子文件1份")
    decide.locator("button[type=submit]").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("decided", "granted")
    screenshot(page, "request-detail")

    head = browser.new_context(locale="zh-CN").new_page()
    head.base_url = page.base_url
    login(head, "head", DEMO_PASSWORD)
    head.wait_for_url("**/office/")
    head.goto(f"{page.base_url}/office/requests/{case.pk}/")
    head.locator("#act-send_reply button[type=submit]").click()
    head.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == "replied"
    street = Organisation.objects.get(name="老城区洛浦街道办事处")
    assert table3_for(street, case.concluded_on.year)["s3.granted.natural"] >= 1
    expect(head.locator("main")).to_contain_text("政府信息予以公开告知书")
