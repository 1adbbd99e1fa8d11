"""The 工作台's to-do list in a real browser, as the officer, the head and the
supervisor would use it: counts, links to the filtered lists, the htmx refresh."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.core.inforequest_flow import OPEN_STATUSES
from gongkai.demo.organisations import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db: Any) -> None:
    call_command("load_demo", "--quiet-accounts")


def _row(page: Any, label: str) -> Any:
    return page.locator(
        "#todo tr", has=page.get_by_role("link", name=label, exact=True)
    )


def _count(page: Any, label: str) -> int:
    return int(_row(page, label).locator("td.num").inner_text())


def test_the_officer_follows_a_line_to_exactly_its_cases(page: Any, demo: None) -> None:
    from gongkai.inforequests.models import InfoRequest

    overdue = InfoRequest.objects.filter(
        status__in=OPEN_STATUSES, due_on__lt=timezone.localdate()
    ).count()
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    assert page.get_by_role(
        "heading", name="待办事项 · 老城区洛浦街道办事处"
    ).is_visible()
    assert _count(page, "已超过答复期限") == overdue
    assert not _row(page, "处理决定待我审批送达").count()  # the head's, not hers
    _row(page, "已超过答复期限").get_by_role("link").click()
    page.wait_for_url("**/office/requests/?urgency=overdue")
    assert page.locator("tr.ir-row").count() == overdue


def test_the_list_refreshes_in_place(page: Any, demo: None) -> None:
    from gongkai.accounts.models import User
    from gongkai.inforequests.models import InfoRequest

    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    before = _count(page, "新收申请待指定承办人")
    assert before > 0
    page.evaluate("window.__notReloaded = true")
    InfoRequest.objects.filter(status="received", handler__isnull=True).update(
        handler=User.objects.get(username="officer")
    )
    with page.expect_response("**/office/todo/"):
        page.get_by_role("link", name="立即刷新").click()
    expect(_row(page, "新收申请待指定承办人").locator("td.num")).to_have_text("0")
    assert _count(page, "新收申请待指定承办人") == 0
    assert page.evaluate("window.__notReloaded === true")  # swapped, not reloaded


def test_the_head_sees_approvals_and_the_supervisor_only_oversight(
    page: Any, demo: None
) -> None:
    from gongkai.inforequests.models import InfoRequest

    login(page, "head", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    decided = InfoRequest.objects.filter(status="decided").count()
    assert _count(page, "处理决定待我审批送达") == decided
    assert _row(page, "待我审核的信息").count() == 1
    page.get_by_role("button", name="退出").click()
    login(page, "supervisor", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    assert _row(page, "已超过答复期限").count() == 1
    assert not _row(page, "新收申请待指定承办人").count()
    expect(page.locator("#todo")).to_contain_text("年度报告逾期未公开")
