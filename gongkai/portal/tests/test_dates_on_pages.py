"""Dates people read on the public pages are written 2026年3月5日 (DATE_FORMAT); ISO
stays only in machine attributes (``<time datetime>``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from gongkai.engagement import services as engagement
from gongkai.engagement.models import Message
from gongkai.engagement.tests.factories import captcha_fields, on, open_consultation
from gongkai.publishing import services as publishing
from gongkai.publishing.models import CatalogueItem
from gongkai.publishing.tests.factories import make_live
from gongkai.reports import services as reports

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 5)
SHOWN, ISO = "2026年3月5日", "2026-03-05"


def text(html: str) -> str:
    """What a reader sees: the page without its tags (and their attributes)."""
    return re.sub(r"<[^>]+>", " ", html)


def get(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def shows_the_day_in_chinese(html: str, url: str) -> None:
    assert SHOWN in text(html), url
    assert ISO not in text(html), url
    assert f'<time datetime="{ISO}">{SHOWN}</time>' in html, url


def test_the_columns_lists_show_the_day_in_chinese(tree: Any) -> None:
    with on(TODAY):
        publishing.catalogue_load_template(actor=tree.officer, organisation=tree.street)
        rules = CatalogueItem.objects.filter(
            organisation=tree.street, item_l1="政府信息公开制度"
        ).first()
        make_live(
            tree.street, tree.officer, tree.head, "保密审查制度", catalogue_item=rules
        )
        make_live(tree.street, tree.officer, tree.head, "道路维修公告")
        report = reports.report_generate(
            actor=tree.officer, organisation=tree.street, year=2025
        )
        report = reports.report_submit(actor=tree.officer, report=report)
        for finding in [f for f in report.findings if f["severity"] == "warning"]:
            report = reports.report_note_warning(
                actor=tree.head, report=report, finding=finding["id"], note="已核实"
            )
        report = reports.report_approve(actor=tree.head, report=report)
        reports.report_publish(actor=tree.head, report=report)
    org = tree.street.pk
    for url in (
        f"/gk/{org}/",
        f"/gk/{org}/publications/",
        f"/gk/{org}/rules/",
        f"/gk/{org}/reports/",
        f"/gk/{org}/search/?q=公告",
        f"/gk/{org}/search/?q=年度报告",
    ):
        shows_the_day_in_chinese(get(url), url)


def chinese(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_the_interaction_pages_and_the_message_s_thanks_show_days_in_chinese(
    tree: Any,
) -> None:
    c = open_consultation(tree, TODAY, date(2026, 4, 30))
    with on(TODAY):
        comment = engagement.comment_submit(
            consultation=c, text="建议简化审批。", today=TODAY
        )
        engagement.comment_moderate(actor=tree.officer, comment=comment, approve=True)
        url = f"/gk/{tree.street.pk}/messages/new/"
        visitor = Client()
        page = visitor.get(url).content.decode()
        thanks = visitor.post(
            url,
            {
                "subject": "办事时间",
                "question": "周六是否办公？",
                "email": "a@example.com",
                **captcha_fields(page),
            },
            follow=True,
        ).content.decode()
        message = Message.objects.get()
        assert f"我们将在{chinese(message.due_on)}前答复" in thanks
        assert message.due_on.isoformat() not in text(thanks)
        engagement.message_answer(
            actor=tree.officer,
            message=message,
            answer="周六上午办公。",
            public=True,
            mask=False,
            today=TODAY,
        )
    index = get(f"/gk/{tree.street.pk}/interaction/")
    shows_the_day_in_chinese(index, "interaction")
    assert "2026年4月30日" in text(index)  # the consultation's last day
    page = get(f"/gk/{tree.street.pk}/consultations/{c.pk}/")
    assert "匿名 · 2026年3月5日" in text(page) and ISO not in text(page)
