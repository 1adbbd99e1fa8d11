"""A 复议 case in a real browser: entered, 答复 uploaded, decided, found in table 四."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongkai.appeals.models import Appeal
from gongkai.demo.organisations import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", "--quiet-accounts")


def test_the_officer_enters_a_review_and_finds_it_in_table4(page, demo):
    login(page, "officer", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(page.base_url + "/office/requests/")
    page.get_by_role("link", name="复议、诉讼").click()
    page.get_by_role("link", name="登记复议/诉讼案件").click()
    page.get_by_label("案件类型").select_option("review")
    page.get_by_label("案号").fill("洛老政复〔2026〕3号")
    page.get_by_label("复议机关/人民法院").fill("洛阳市老城区人民政府")
    page.get_by_label("立案/受理日期").fill("2026-09-25")
    page.get_by_label("收到申请书副本/起诉状副本日期").fill("2026-09-29")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url("**/office/requests/appeals/*/")
    expect(page.locator("main")).to_contain_text("第四十八条")
    page.get_by_label("材料类型").select_option("answer")
    page.get_by_label("文件").set_input_files(
        {"name": "答复书.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="上传材料").click()
    expect(page.locator("main")).to_contain_text("答复书.pdf")
    page.get_by_label("结果", exact=True).select_option("upheld")
    page.get_by_label("决定/判决日期").fill("2026-11-20")
    page.get_by_role("button", name="登记结果").click()
    expect(page.locator("main")).to_contain_text("已登记决定/判决结果")
    appeal = Appeal.objects.get(case_number="洛老政复〔2026〕3号")
    assert appeal.result == "upheld" and appeal.documents.count() == 1

    page.goto(page.base_url + "/office/reports/")
    page.get_by_role("button", name="生成2026年年度报告").click()
    page.wait_for_url("**/office/reports/*/")
    page.locator('td[data-key="s4.review.upheld"] a').click()
    expect(page.locator("main")).to_contain_text("洛老政复〔2026〕3号")
