"""The reader's feedback box on a publication, in Chromium: a bad 联系方式 keeps
what was typed and is told beside the field; corrected, the feedback is taken."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from gongkai.feedback.models import Feedback
from gongkai.orgs.models import Organisation
from gongkai.portal.selectors import portal_publications
from gongkai.publishing.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "希望补充施工时间安排，\n并公开投诉电话。"


@pytest.fixture
def item(db) -> Publication:
    call_command("load_demo", "--quiet-accounts")
    street = Organisation.objects.get(name="老城区洛浦街道办事处")
    found = portal_publications(street).first()
    assert found is not None
    return found


def test_a_bad_contact_keeps_the_text_and_is_told_beside_the_field(page, item):
    url = f"{page.base_url}/gk/{item.organisation_id}/publications/{item.pk}/"
    before = set(Feedback.objects.values_list("pk", flat=True))  # the demo's
    page.goto(url)
    box = page.locator(".feedback-box")
    box.get_by_label("有用", exact=True).check()
    box.get_by_label("意见或建议（经审核后公开）").fill(COMMENT)
    box.get_by_label("联系方式（可选，不公开）").fill("请打我电话")
    with page.expect_navigation():
        box.get_by_role("button", name="提交反馈").click()
    box = page.locator(".feedback-box")
    assert box.get_by_label("意见或建议（经审核后公开）").input_value() == COMMENT
    contact = box.get_by_label("联系方式（可选，不公开）")
    assert contact.input_value() == "请打我电话"
    assert contact.get_attribute("aria-invalid") == "true"
    beside = box.locator("[data-field=contact] .field-error").inner_text()
    assert beside.startswith("联系方式请填写电话号码")
    assert box.get_by_label("有用", exact=True).is_checked()
    # The summary at the top of the box takes the focus and links to the field.
    assert page.evaluate("document.activeElement.id") == "fb-errors"
    assert page.locator("h1").inner_text() == item.title  # still the item's page
    assert set(Feedback.objects.values_list("pk", flat=True)) == before
    contact.fill("13800001111")
    with page.expect_navigation():
        box.get_by_role("button", name="提交反馈").click()
    expect(page.locator("body")).to_contain_text("感谢您的反馈")
    taken = Feedback.objects.exclude(pk__in=before).get()
    assert (taken.useful, taken.comment) == (True, COMMENT.replace("\n", "\r\n"))
    # Another visitor's copy of the page holds nothing of it.
    other = page.context.browser.new_page()
    other.goto(url)
    assert other.locator("[name=comment]").input_value() == ""
    other.close()
