"""政策解读 and 政民互动 in a real browser (issue 21, requirements 1–2): a 规范性文件
whose 解读 came late is listed as missing and lowers the 解读率; an 意见征集 runs
to its published 采纳情况; a 留言 is answered in public."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.engagement.models import Consultation, Message
from gongkai.orgs.tests.factories import PASSWORD
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _solve(page) -> None:
    question = page.locator("label[for=id_captcha]").inner_text()
    a, b = re.search(r"(\d) 加 (\d)", question).groups()
    page.fill("#id_captcha", str(int(a) + int(b)))


def _published(pub: Publication, day: date) -> None:
    at = datetime(
        day.year, day.month, day.day, 10, 0, tzinfo=timezone.get_current_timezone()
    )
    Publication.objects.filter(pk=pub.pk).update(published_at=at)


def test_late_interpretation_consultation_result_and_public_answer(page, tree, browser):
    street = tree.street
    # A 规范性文件 of 30 Sep 2024 and its 解读 of 11 Oct: the third working day after
    # the National Day holiday was 10 Oct, so the 解读 is late.
    doc = make_live(street, tree.officer, tree.head, "占道管理办法", genre="normative")
    interp = make_live(
        street,
        tree.officer,
        tree.head,
        "《占道管理办法》解读",
        genre="interpretation",
        interprets=doc,
    )
    _published(doc, date(2024, 9, 30))
    _published(interp, date(2024, 10, 11))

    # The portal: the document and its 解读 link to each other.
    page.goto(f"{page.base_url}/gk/{street.pk}/publications/{doc.pk}/")
    page.get_by_role("link", name="《占道管理办法》解读").click()
    page.get_by_role("link", name="《占道管理办法》").click()
    assert page.locator("h1").first.inner_text() == "占道管理办法"

    # The supervisor sees it missing from the 解读率.
    login(page, "t_supervisor", PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(page.base_url + "/office/supervision/?year=2024")
    box = page.locator("[data-engagement]")
    row = box.locator(f"tr[data-unit='{street.pk}']")
    assert row.locator("[data-rate]").inner_text() == "0.0%"
    missing = box.locator("[data-missing-interpretations]").inner_text()
    assert "占道管理办法" in missing and "解读逾期" in missing
    page.context.clear_cookies()

    # 意见征集: the officer puts a draft out for 30 days.
    login(page, "t_officer", PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(page.base_url + "/office/engagement/")
    today = timezone.localdate()
    page.get_by_label("草案名称").fill("加装电梯实施办法（征求意见稿）")
    page.get_by_label("草案内容及说明").fill("第一条 为方便居民出行，制定本办法。")
    page.get_by_label("属于重大行政决策").check()
    page.get_by_label("征求意见开始日期").fill(today.isoformat())
    # 29 days (the opening day is not counted): refused with the article, nothing saved.
    page.get_by_label("征求意见截止日期").fill((today + timedelta(days=29)).isoformat())
    page.get_by_role("button", name="发布意见征集").click()
    expect(page.locator("main")).to_contain_text("第十四条")
    assert not Consultation.objects.exists()
    page.get_by_label("征求意见截止日期").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="发布意见征集").click()
    page.wait_for_url("**/office/engagement/consultations/*/")
    consultation = Consultation.objects.get()

    # A resident comments (a second browser, no account).
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{page.base_url}/gk/{street.pk}/consultations/{consultation.pk}/")
    public.get_by_role("textbox", name="意见").fill("建议明确低楼层住户的补偿。")
    _solve(public)
    public.get_by_role("button", name="提交意见").click()
    expect(public.locator("main")).to_contain_text("经审核后公开")
    # The officer publishes it; after the period, records why it was not adopted
    # and publishes the 采纳情况.
    page.reload()
    # Each form posts and redirects: wait for that navigation before the next step
    # (a reload while it is in flight detaches the page).
    with page.expect_navigation():
        page.get_by_role("button", name="公开", exact=True).click()
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=today - timedelta(days=31), closes_on=today - timedelta(days=1)
    )
    page.reload()
    page.locator("select[name=adoption]").select_option("not_adopted")
    page.locator("input[name=reason]").fill("补偿由业主协商确定，不宜统一规定。")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    page.get_by_label("采纳情况说明").fill("共收到意见1条，未采纳1条，理由已逐条说明。")
    page.get_by_role("button", name="公布采纳情况").click()
    expect(page.locator("main")).to_contain_text("已于")
    public.reload()
    result = public.locator("[data-result]").inner_text()
    assert "共收到意见 1 条" in result and "未采纳 1 条" in result
    expect(public.locator("main")).to_contain_text("不宜统一规定")
    screenshot(public, "engagement-consultation-result")

    # 留言: the resident asks, the officer answers in public.
    public.goto(f"{page.base_url}/gk/{street.pk}/messages/new/")
    public.get_by_label("标题").fill("路灯不亮")
    public.get_by_label("留言内容").fill("惠济路南段路灯一周不亮。")
    public.get_by_label("电子邮箱（不公开）").fill("resident@example.com")
    _solve(public)
    public.get_by_role("button", name="提交留言").click()
    expect(public.locator("main")).to_contain_text("留言已提交")
    page.goto(page.base_url + "/office/engagement/")
    page.get_by_role("link", name="路灯不亮").click()
    page.get_by_role("textbox", name="答复").fill("已通知养护单位，三日内修复。")
    page.get_by_label("在专栏公开问题和答复（不含联系方式）").check()
    page.get_by_role("button", name="答复并通知留言人").click()
    assert Message.objects.get().is_public
    public.goto(f"{page.base_url}/gk/{street.pk}/interaction/")
    text = public.locator("main").inner_text()
    assert "已通知养护单位，三日内修复。" in text
    assert "resident@example.com" not in text
    screenshot(public, "engagement-public")
    public.context.close()
