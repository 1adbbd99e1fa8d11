"""Issue 25 in a real browser: a 最低生活保障审核确认名单公示 with resident ID numbers is
blocked at 保密审查, masked in one click, published masked, and the search index holds
only the masked text."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.accounts.models import User
from gongkai.demo.organisations import DEMO_PASSWORD
from gongkai.orgs.models import Organisation
from gongkai.publishing import services
from gongkai.publishing.models import Publication
from gongkai.search.models import SearchDocument
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def resident_id(first17: str) -> str:
    """GB 11643 check character, computed here (not by the code under test)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


ID_A = resident_id("41030419800101234")
ID_B = resident_id("41030219751231001")
MOBILE = "13903795678"
TITLE = "洛浦街道2026年12月最低生活保障审核确认名单公示"
BODY = (
    "<p>经入户调查、民主评议，以下家庭符合最低生活保障条件，现予公示，公示期7天。</p>"
    "<table><tr><th>序号</th><th>户主姓名</th><th>身份证号码</th><th>联系电话</th></tr>"
    f"<tr><td>1</td><td>王建国</td><td>{ID_A}</td><td>{MOBILE}</td></tr>"
    f"<tr><td>2</td><td>李秀英</td><td>{ID_B}</td><td></td></tr></table>"
    "<p>监督电话：0379-63921234。</p>"
)


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", "--quiet-accounts")


def test_a_dibao_list_is_blocked_masked_in_one_click_and_published_masked(page, demo):
    street = Organisation.objects.get(name="老城区洛浦街道办事处")
    officer = User.objects.get(username="officer")
    pub = services.publication_create(
        actor=officer,
        organisation=street,
        title=TITLE,
        formed_on=timezone.localdate(),
        body=BODY,
    )
    services.publication_submit(actor=officer, publication=pub)

    login(page, "head", DEMO_PASSWORD)
    page.wait_for_url("**/office/")
    page.goto(f"{page.base_url}/office/publishing/items/{pub.pk}/")
    # 保密审查: every finding marked in place, publication announced as held.
    panel = page.locator("#pii")
    assert panel.locator("mark", has_text=ID_A).count() == 1
    assert panel.locator("mark", has_text=ID_B).count() == 1
    assert panel.locator("mark", has_text=MOBILE).count() == 1
    assert panel.locator("mark", has_text="王建国").count() == 1
    assert "不能发布或定时发布" in panel.inner_text()
    screenshot(page, "privacy-review")

    page.get_by_label("已完成保密审查，公开属性无误").check()
    with page.expect_navigation():
        page.get_by_role("button", name="审核通过").click()
    with page.expect_navigation():
        page.get_by_role("button", name="发布", exact=True).click()
    refusal = page.locator(".messages, [role=alert]").first.inner_text()
    text = page.content()
    assert "不能发布：发现未遮蔽的个人信息" in text
    assert re.search(r"正文：身份证号码 2 处", text), refusal
    assert Publication.objects.get(pk=pub.pk).status == "approved"

    with page.expect_navigation():
        page.get_by_role("button", name="一键遮蔽").click()
    assert "已一键遮蔽" in page.content()
    expect(page.locator("#pii")).to_contain_text("未发现个人信息")
    with page.expect_navigation():
        page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator("main")).to_contain_text("已发布")
    pub.refresh_from_db()
    assert pub.status == "published"
    masked_id = f"{ID_A[:4]}**********{ID_A[-4:]}"
    # The public page shows the masks only.
    page.goto(f"{page.base_url}/gk/{street.pk}/publications/{pub.pk}/")
    public = page.content()
    assert masked_id in public and "139****5678" in public and "王*某" in public
    for value in (ID_A, ID_B, MOBILE, "王建国", "李秀英"):
        assert value not in public
    # The search index holds only the masked text; the full number finds nothing.
    doc = SearchDocument.objects.get(kind="publication", object_id=str(pub.pk))
    for value in (ID_A, ID_B, MOBILE, "王建国", "李秀英"):
        assert value not in doc.body and value not in doc.title
    assert masked_id in doc.body
    link = f"/gk/{street.pk}/publications/{pub.pk}/"
    page.goto(f"{page.base_url}/gk/{street.pk}/search/?q=最低生活保障审核确认名单")
    assert link in page.content()  # the item is found by its words
    for value in (ID_A, MOBILE, "王建国"):
        page.goto(f"{page.base_url}/gk/{street.pk}/search/?q={value}")
        assert "搜索过于频繁" not in page.content()
        assert link not in page.content(), value  # but not by a person's data
