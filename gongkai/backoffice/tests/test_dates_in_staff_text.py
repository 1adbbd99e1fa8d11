"""Dates that staff read — on screens, in findings, evidence, e-mails and the
WeChat article — are written 2026年12月8日, not 2026-12-08 (STYLE: ISO only for
machine values: CSV/JSON, <time datetime>, API fields)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkai.backoffice.tests.crawl import visible_text
from gongkai.inforequests.tests.factories import register
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live, make_publication

pytestmark = pytest.mark.django_db

ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")
TODAY = "2026-12-07 10:00 +0800"


@time_machine.travel(TODAY, tick=False)
def test_the_inspection_dashboard_finding_and_bulletin_write_dates_in_chinese(
    tree: Any, client: Any
) -> None:
    from docx import Document
    from openpyxl import load_workbook

    from gongkai.inspection import services
    from gongkai.inspection.models import Finding

    news = make_live(tree.street, tree.officer, tree.head, "动态", genre="news")
    then = timezone.now() - timedelta(days=30)  # 2026年11月7日
    Publication.objects.filter(pk=news.pk).update(
        published_at=then, last_changed_at=then
    )
    services.inspection_run(actor=None, organisation=tree.street)
    assert Finding.objects.get(indicator="news_stale").detail.count(
        "最近一次更新为2026年11月7日"
    )
    client.force_login(tree.officer)
    text = visible_text(client.get(reverse("inspection:dashboard")).content.decode())
    assert "2026年11月7日" in text  # 最近更新 and the finding
    assert not ISO_DAY.search(text), ISO_DAY.search(text)

    client.force_login(tree.supervisor)
    quarter = {"year": 2026, "quarter": 4}
    xlsx = client.get(reverse("inspection:report", args=["xlsx"]), quarter)
    period = load_workbook(io.BytesIO(xlsx.content))["检查结果"]["A2"].value
    assert "统计期间：2026年10月1日至" in period
    assert not ISO_DAY.search(period), period
    docx = client.get(reverse("inspection:report", args=["docx"]), quarter)
    body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "（2026年10月1日至" in body  # no leading zeros (GB/T 9704)
    assert not ISO_DAY.search(body), ISO_DAY.search(body)


@time_machine.travel(TODAY, tick=False)
def test_the_catalogue_says_by_when_an_item_is_due_in_chinese(
    tree: Any, client: Any
) -> None:
    from gongkai.publishing import services

    services.catalogue_load_template(actor=None, organisation=tree.street)
    client.force_login(tree.officer)
    text = visible_text(client.get("/office/publishing/catalogue/").content.decode())
    assert re.search(r"按期（\d{4}年\d{1,2}月\d{1,2}日前更新）", text)
    assert not ISO_DAY.search(text), ISO_DAY.search(text)


@time_machine.travel(TODAY, tick=False)
def test_the_evaluation_evidence_gives_the_due_date_in_chinese(tree: Any) -> None:
    from gongkai.supervision.metrics import proactive_on_time

    pub = make_live(tree.street, tree.officer, tree.head, "迟到的公开")
    Publication.objects.filter(pk=pub.pk).update(due_on=date(2026, 12, 4))
    result = proactive_on_time(tree.street, 2026, date(2026, 12, 7))
    assert result.records[0][:2] == ("迟到的公开", "应于2026年12月4日前公开")


def test_escalation_lines_give_their_deadlines_in_chinese(tree: Any) -> None:
    from gongkai.reports import services as reports
    from gongkai.supervision.escalation import escalation_digests

    with time_machine.travel("2026-09-18 10:00 +0800", tick=False):
        register(tree.officer, tree.street)  # due 2026年10月22日
    with time_machine.travel(TODAY, tick=False):
        reports.report_generate(
            actor=tree.officer, organisation=tree.street, year=2025
        )  # due 2026年1月31日 (条例第四十九条), not published
        lines = "\n".join(escalation_digests(date(2026, 12, 7))[tree.head])
    assert "（期限2026年10月22日）" in lines
    assert "已超过公开期限（2026年1月31日）" in lines
    assert not ISO_DAY.search(lines), lines


def test_the_wechat_article_gives_the_formed_date_in_chinese(tree: Any) -> None:
    from gongkai.publishing.channels import wechat_article

    pub = make_publication(tree.street, tree.officer, formed_on=date(2021, 3, 1))
    content = wechat_article(pub)["content"]
    assert "成文日期：2021年3月1日" in content
    assert "2021-03-01" not in content


def test_a_report_cells_records_are_dated_in_chinese(tree: Any, client: Any) -> None:
    from gongkai.reports import services as reports

    with time_machine.travel("2025-10-20 10:00 +0800", tick=False):
        register(tree.officer, tree.street, submitted_on=date(2025, 10, 20))
    with time_machine.travel(TODAY, tick=False):
        report = reports.report_generate(
            actor=tree.officer, organisation=tree.street, year=2025
        )
        client.force_login(tree.officer)
        page = client.get(f"/office/reports/{report.pk}/cells/s3.new.natural/")
    text = visible_text(page.content.decode())
    assert "2025年10月20日" in text
    assert not ISO_DAY.search(text), ISO_DAY.search(text)
