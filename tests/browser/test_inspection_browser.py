"""Issue 26 in a real browser: an officer runs the self-inspection of a street whose
动态 column is three weeks old and sees it fail in red, with the days left of the other
columns; reporting the fix keeps the finding until the next run confirms it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gongkai.orgs.tests.factories import PASSWORD
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live
from tests.browser.conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_runs_the_inspection_and_sees_the_veto_item(
    page, tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INSPECTION_SITE_URL = ""
    # 立即自查 is queued; the immediate backend runs it at once (no worker here).
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    news = make_live(tree.street, tree.officer, tree.head, "街道工作动态", genre="news")
    then = timezone.now() - datetime.timedelta(days=21)
    Publication.objects.filter(pk=news.pk).update(
        published_at=then, last_changed_at=then
    )
    make_live(tree.street, tree.officer, tree.head, "关于防汛的通知", genre="notice")

    login(page, "t_officer", PASSWORD)
    page.goto(page.base_url + "/office/inspection/")
    page.get_by_role("button", name="立即自查").click()
    page.get_by_text("自查已排队").wait_for()
    assert page.get_by_text("不合格（单项否决）").is_visible()
    assert page.get_by_text("已逾期").first.is_visible()
    assert page.get_by_text("还有 183 天").is_visible()
    screenshot(page, "inspection_dashboard")
    page.get_by_role("button", name="已整改，请复查").first.click()
    page.get_by_text("已报告整改，下一次自查确认后关闭。").wait_for()
    assert page.get_by_text("待下次自查确认").first.is_visible()
