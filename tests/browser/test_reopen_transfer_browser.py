"""Issue 19 in a real browser: a 责令重新答复 recorded on the appeal page reopens the
linked application, which is answered again; a 转办 proposed by one body and accepted
by another shows on both case timelines."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.accounts.models import User
from gongkai.appeals import services as appeals
from gongkai.appeals.models import Appeal
from gongkai.calendars.selectors import work_calendar
from gongkai.demo.organisations import DEMO_PASSWORD
from gongkai.inforequests.models import InfoRequest, Transfer
from gongkai.orgs.models import Organisation
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def street(db: Any) -> Organisation:
    call_command("load_demo", "--quiet-accounts")
    return Organisation.objects.get(name="老城区洛浦街道办事处")


def _logged_in(browser: Any, page: Any, username: str) -> Any:
    other = browser.new_context(locale="zh-CN").new_page()
    other.set_default_timeout(15000)
    other.base_url = page.base_url
    login(other, username, DEMO_PASSWORD)
    other.wait_for_url("**/office/")
    return other


def test_ordered_to_reanswer_reopens_the_case_and_it_is_answered_again(
    page: Any, browser: Any, street: Organisation
) -> None:
    today = timezone.localdate()
    replied = InfoRequest.objects.get(organisation=street, applicant_name="王志刚")
    assert replied.status == "replied"
    appeal = appeals.appeal_register(
        actor=User.objects.get(username="officer"),
        organisation=street,
        kind=Appeal.Kind.REVIEW,
        filed_on=replied.concluded_on,
        case_number="洛老政复〔2026〕9号",
        requests=[replied],
    )
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(f"{page.base_url}/office/requests/appeals/{appeal.pk}/")
    page.get_by_label("结果", exact=True).select_option("corrected")
    page.get_by_label("纠正方式（结果为纠正时）").select_option("ordered_to_reanswer")
    page.get_by_label("决定/判决日期").fill(today.isoformat())
    page.get_by_label("送达日期").fill(today.isoformat())
    page.get_by_role("button", name="登记结果").click()
    expect(page.locator("main")).to_contain_text("已登记决定/判决结果")
    # 20 working days from the day after delivery (行政复议法第六十四条, docs §1b)
    due = work_calendar().add_working_days(today, 20)
    page.goto(f"{page.base_url}/office/requests/{replied.pk}/")
    text = page.locator("main").inner_text()
    assert f"答复期限：{due.year}年{due.month}月{due.day}日" in text
    assert "依复议决定或判决重新办理" in text
    reopened = InfoRequest.objects.get(pk=replied.pk)
    assert (reopened.status, reopened.concluded_on, reopened.due_on) == (
        "in_progress",
        None,
        due,
    )

    form = page.locator("#act-decide")
    form.locator("[name=on]").fill(today.isoformat())
    form.locator("[name=outcome]").select_option(value="granted")
    form.locator("[name=detail_provision]").fill("随本告知书重新提供电子文件1份")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    head = _logged_in(browser, page, "head")
    head.goto(f"{page.base_url}/office/requests/{replied.pk}/")
    send = head.locator("#act-send_reply")
    send.locator("[name=on]").fill(today.isoformat())
    send.locator("button[type=submit]").click()
    head.wait_for_load_state()
    answered = InfoRequest.objects.get(pk=replied.pk)
    assert (answered.status, answered.concluded_on) == ("replied", today)


def test_a_transfer_between_two_departments_shows_on_both_timelines(
    page: Any, browser: Any, street: Organisation
) -> None:
    sender = InfoRequest.objects.get(organisation=street, applicant_name="吴海涛")
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(f"{page.base_url}/office/requests/{sender.pk}/")
    page.get_by_text("转办至其他机关").click()
    page.get_by_label("接收机关").select_option(label="洛阳市老城区住房和城乡建设局")
    page.get_by_label("转办理由").fill(
        "城市管理执法车辆由区住建局统一管理，规定由该局制作"
    )
    page.get_by_label("提出日期").fill(timezone.localdate().isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="提出转办").click()
    errors = page.locator(".field-error, .form-error, .message-error").all_inner_texts()
    assert errors == []
    assert Transfer.objects.filter(from_request=sender, status="proposed").exists()

    receiver = _logged_in(browser, page, "zjofficer")
    receiver.goto(f"{page.base_url}/office/requests/transfers/")
    assert sender.tracking_number in receiver.locator("main").inner_text()
    with receiver.expect_navigation():
        receiver.get_by_role("button", name="同意接收").click()

    new = InfoRequest.objects.get(
        organisation__short_name="老城区住建局", applicant_name="吴海涛"
    )
    assert InfoRequest.objects.get(pk=sender.pk).status == "decided"
    receiver.goto(f"{page.base_url}/office/requests/{new.pk}/")
    assert sender.tracking_number in receiver.locator("main").inner_text()
    page.goto(f"{page.base_url}/office/requests/{sender.pk}/")
    assert new.tracking_number in page.locator("main").inner_text()
