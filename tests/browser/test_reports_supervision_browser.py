"""The annual report and the supervision dashboard in a real browser (with screenshots)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongkai.demo.organisations import DEMO_PASSWORD
from gongkai.orgs.models import Organisation
from gongkai.reports.models import AnnualReport
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("load_demo", "--quiet-accounts")


def test_the_officer_generates_this_years_report_and_drills_into_a_cell(page, demo):
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(page.base_url + "/office/reports/")
    screenshot(page, "reports-list")
    page.get_by_role("button", name="生成2026年年度报告").click()
    page.wait_for_url("**/office/reports/*/")
    expect(page.locator("h1").first).to_contain_text("2026年政府信息公开工作年度报告")
    screenshot(page, "report-detail")
    page.locator('td[data-key="s3.new.total"] a').click()
    # The drill-down is titled by the cell's Chinese name, never its key (issue 17).
    title = page.locator("h1").first.inner_text()
    assert "表三" in title and "本年新收" in title and "总计" in title
    assert "s3.new.total" not in title
    street = Organisation.objects.get(name="老城区洛浦街道办事处")
    assert AnnualReport.objects.filter(organisation=street, year=2026).exists()


def test_the_published_2021_report_is_on_the_portal(page, demo):
    street = Organisation.objects.get(name="老城区洛浦街道办事处")
    page.goto(f"{page.base_url}/gk/{street.pk}/reports/2021/")
    expect(page.locator("main")).to_contain_text("行政许可")
    screenshot(page, "portal-report")


def test_the_district_supervisor_sees_every_unit(page, demo):
    login(page, "supervisor", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(page.base_url + "/office/supervision/")
    text = page.locator("main").inner_text()
    assert "洛浦街道贴廓巷社区居民委员会" in text and "年度报告" in text
    screenshot(page, "supervision-dashboard")
