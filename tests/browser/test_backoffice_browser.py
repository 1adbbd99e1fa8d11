from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongkai.demo.organisations import DEMO_PASSWORD
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("load_demo", "--quiet-accounts")


def test_an_officer_logs_in_and_sees_the_street_and_its_communities(page, demo):
    page.goto(page.base_url + "/login/")
    screenshot(page, "login")
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    assert "老城区洛浦街道办事处" in page.content()
    screenshot(page, "dashboard")


def test_a_wrong_password_shows_a_chinese_message(page, demo):
    login(page, "officer", "not-the-password")
    assert "用户名或密码错误" in page.get_by_role("alert").inner_text()


def test_the_organisation_switcher_changes_the_active_organisation(page, demo):
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    with page.expect_navigation():  # the switcher submits itself on change
        page.get_by_label("当前机构").select_option(
            label="　洛浦街道南关社区居民委员会"
        )
    expect(page.locator("main")).to_contain_text("当前机构：洛浦街道南关社区居民委员会")


def test_the_back_office_works_on_a_phone_sized_screen(page, demo):
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "liaison2", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(page, "dashboard-phone")


def test_moved_due_dates_wait_on_the_workbench_until_marked_read(page, demo):
    from datetime import timedelta

    from gongkai.inforequests.models import DeadlineChange, InfoRequest
    from gongkai.orgs.models import Membership

    street = Membership.objects.get(user__username="officer").organisation
    case = (
        InfoRequest.objects.filter(organisation=street, due_on__isnull=False)
        .order_by("pk")
        .first()
    )
    DeadlineChange.objects.create(
        request=case,
        old_due=case.due_on - timedelta(days=2),
        new_due=case.due_on,
        reason="2027年节假日安排已更新",
    )
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    card = page.get_by_role("region", name="期限变更提醒（1）")
    assert case.tracking_number in card.inner_text()
    screenshot(page, "workbench-deadline-changes")
    with page.expect_navigation():
        card.get_by_role("button", name="知道了").click()
    assert "已标记为已读" in page.content()
    assert page.get_by_role("region", name="期限变更提醒（1）").count() == 0
