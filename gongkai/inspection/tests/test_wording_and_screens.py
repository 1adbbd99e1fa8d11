"""Issue 26: the wording dictionary at save (warning at 保密审查, blocking for the
serious list), per province; the dashboard, the supervisor's view and the quarterly
report (XLSX and DOCX read back); bad input never a 500."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.inspection import services
from gongkai.inspection.models import Finding, WordingDictionary
from gongkai.orgs.tests.factories import PASSWORD
from gongkai.publishing import services as pub_services
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live, make_publication

pytestmark = pytest.mark.django_db

SERIOUS = "<p>依据中华人民共合国有关法律。</p>"


def _to_review(tree: Any, body: str) -> Publication:
    pub = make_publication(tree.street, tree.officer, "通知", body=body)
    return pub_services.publication_submit(actor=tree.officer, publication=pub)


def test_serious_wording_blocks_approval_and_publishing(tree: Any) -> None:
    pub = _to_review(tree, SERIOUS)
    with pytest.raises(ValidationError) as exc:
        pub_services.publication_approve(
            actor=tree.head, publication=pub, secrecy_checked=True
        )
    message = exc.value.messages[0]
    assert "中华人民共合国" in message and "中华人民共和国" in message
    assert "国办秘函〔2019〕19号" in message
    pub.refresh_from_db()
    assert pub.status == "in_review"


def test_a_date_that_cannot_exist_blocks_too(tree: Any) -> None:
    pub = _to_review(tree, "<p>本办法自2025年2月29日起施行。</p>")
    with pytest.raises(ValidationError, match="日期不存在"):
        pub_services.publication_approve(
            actor=tree.head, publication=pub, secrecy_checked=True
        )


def test_common_typo_only_warns_on_the_review_page(tree: Any) -> None:
    pub = _to_review(tree, "<p>请各社区按装消防设施。</p>")
    client = Client()
    client.login(username="t_head", password=PASSWORD)
    page = client.get(reverse("publishing:detail", args=[pub.pk])).content.decode()
    assert "疑似错别字" in page and "“按装”应为“安装”" in page
    pub = pub_services.publication_approve(
        actor=tree.head, publication=pub, secrecy_checked=True
    )
    pub = pub_services.publication_publish(actor=tree.officer, publication=pub)
    assert pub.status == "published"


def test_a_live_item_cannot_gain_a_serious_error(tree: Any) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "通知")
    with pytest.raises(ValidationError, match="严重表述错误"):
        pub_services.publication_update(
            actor=tree.officer, publication=pub, body=SERIOUS
        )
    pub.refresh_from_db()
    assert "共合国" not in pub.body


def test_a_province_adds_entries_for_every_body_below(tree: Any) -> None:
    row, bad = services.wording_dictionary_save(
        actor=_district_head(tree),
        organisation=tree.district,
        entries="王小明区长 => 王晓明区长 | 严重\n坏行没有箭头\n",
    )
    assert row.pk and bad == ["第2行：缺少“=>”（格式：错误写法 => 正确写法 | 严重）"]
    pub = _to_review(tree, "<p>王小明区长出席会议。</p>")
    with pytest.raises(ValidationError, match="王晓明区长"):
        pub_services.publication_approve(
            actor=tree.head, publication=pub, secrecy_checked=True
        )
    # A body outside the district is not bound by it.
    from gongkai.orgs.tests.factories import make_org

    other = make_org("另一区人民政府", kind="district")
    outside = _to_review_at(other, tree, "<p>王小明区长出席会议。</p>")
    assert outside is not None


def _to_review_at(org: Any, tree: Any, body: str) -> Publication:
    from gongkai.inspection.selectors import require_no_serious_wording

    pub = Publication(organisation=org, title="通知", body=body, summary="")
    require_no_serious_wording(pub)  # no refusal outside the district
    return pub


def _district_head(tree: Any) -> Any:
    from gongkai.orgs.tests.factories import make_user

    return make_user("t_district_head", tree.district, "head")


def test_dictionary_screen_saves_and_reports_bad_lines(tree: Any) -> None:
    client = Client()
    client.login(username="t_head", password=PASSWORD)
    url = reverse("inspection:dictionary")
    assert client.get(url).status_code == 200
    r = client.post(
        url, {"entries": "甲乙 => 甲丙 | 非常严重\n丁戊 => 丁己\n"}, follow=True
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "第1行" in page and "未生效" in page
    assert WordingDictionary.objects.get(organisation=tree.street).entries.startswith(
        "甲乙"
    )
    # An officer sees it but cannot change it.
    officer = Client()
    officer.login(username="t_officer", password=PASSWORD)
    assert officer.post(url, {"entries": ""}).status_code == 403
    # … and is offered no form to send (issue 17: no form a user may not submit).
    page = officer.get(url).content.decode()
    assert 'name="entries"' in page
    assert not re.search(
        r'<form[^>]*method="post"(?:(?!</form>).)*name="entries"', page, re.S
    )


def _failing_street(tree: Any) -> None:
    news = make_live(tree.street, tree.officer, tree.head, "动态", genre="news")
    then = timezone.now() - datetime.timedelta(days=30)
    Publication.objects.filter(pk=news.pk).update(
        published_at=then, last_changed_at=then
    )


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_run_now_is_queued_not_run_in_the_request(tree: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from gongkai.inspection.models import InspectionRun
    from gongkai.inspection.tasks import run_inspection_task

    client = Client()
    client.login(username="t_officer", password=PASSWORD)
    page = client.post(reverse("inspection:run"), {}, follow=True).content.decode()
    assert "自查已排队" in page
    assert not InspectionRun.objects.exists()  # nothing was checked in the request
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [tree.street.pk, tree.officer.pk, False]
    # The worker runs it as the user who asked; the run then shows on the dashboard.
    run_id = run_inspection_task.call(*queued.args_kwargs["args"])
    run = InspectionRun.objects.get(pk=run_id)
    assert run.run_by == tree.officer and run.bodies == 1
    page = client.get(reverse("inspection:dashboard")).content.decode()
    assert "最近一次自查" in page and "手动自查" in page


def test_dashboard_shows_red_items_and_days_left(tree: Any, settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    _failing_street(tree)
    make_live(tree.street, tree.officer, tree.head, "通知", genre="notice")
    client = Client()
    client.login(username="t_officer", password=PASSWORD)
    r = client.post(reverse("inspection:run"), {}, follow=True)
    page = r.content.decode()
    assert "自查已排队" in page
    assert "不合格（单项否决）" in page and "badge-danger" in page
    assert "已逾期" in page  # the news column
    # Notices: a 183-day period, updated today (the day itself not counted).
    assert "还有 183 天" in page and "还有 184 天" not in page
    f = Finding.objects.get(indicator="news_stale")
    assert f'href="{reverse("publishing:create")}"' in page
    # Garbage in a finding action: a Chinese message, no 500.
    r = client.post(
        reverse("inspection:finding", args=[f.pk]), {"action": "x<y"}, follow=True
    )
    assert r.status_code == 200 and "操作" in r.content.decode()
    f.refresh_from_db()
    assert f.claimed_fixed_at is None
    r = client.post(
        reverse("inspection:finding", args=[f.pk]),
        {"action": "claim_fixed"},
        follow=True,
    )
    assert "已报告整改" in r.content.decode()
    r = client.post(
        reverse("inspection:finding", args=[99999999999999999999]),
        {"action": "claim_fixed"},
    )
    assert r.status_code == 404


def test_supervisor_sees_bodies_below_and_exports_the_quarter(tree: Any) -> None:
    _failing_street(tree)
    services.inspection_run(actor=None, organisation=tree.district, below=True)
    sup = Client()
    sup.login(username="t_supervisor", password=PASSWORD)
    page = sup.get(reverse("inspection:below")).content.decode()
    assert "测试街道办事处" in page and "邻近街道办事处" in page
    # The street's own officer does not see the sibling street.
    officer = Client()
    officer.login(username="t_officer", password=PASSWORD)
    assert (
        "邻近街道办事处"
        not in officer.get(reverse("inspection:below")).content.decode()
    )

    today = timezone.localdate()
    q = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    x = sup.get(reverse("inspection:report", args=["xlsx"]), q)
    assert x.status_code == 200
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(x.content))["检查结果"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1]}
    assert rows["测试街道办事处"][3] == "不合格"
    # 检查时间 as people read a date (2026年12月8日 09:30), not ISO.
    checked = str(rows["测试街道办事处"][2])
    assert checked.startswith(f"{today.year}年{today.month}月{today.day}日 "), checked
    assert "首页栏目信息更新" in rows["测试街道办事处"][4]
    assert rows["邻近街道办事处"][3] == "合格"
    assert rows["测试区人民政府"][3] == "合格"
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合计")
    assert total[1] == "检查单位 3 个" and total[4] == "不合格 1 个"

    d = sup.get(reverse("inspection:report", args=["docx"]), q)
    assert d.status_code == 200
    from docx import Document

    doc = Document(io.BytesIO(d.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "共检查单位 3 个，合格 2 个，不合格 1 个，合格率 66.7%" in text
    assert "测试街道办事处：首页栏目信息更新" in text
    table = doc.tables[0]
    assert table.rows[0].cells[1].text == "单位"
    assert len(table.rows) == 4

    # Bad input: Chinese, no 500.
    r = sup.get(reverse("inspection:report", args=["pdf"]), q, follow=True)
    assert "请选择要导出的年度和季度" in r.content.decode()
    r = sup.get(
        reverse("inspection:report", args=["xlsx"]), {"year": "abc"}, follow=True
    )
    assert r.status_code == 200 and "请选择要导出的年度和季度" in r.content.decode()


def test_by_default_unanswered_messages_are_checked_and_link_to_the_message(
    tree: Any, settings: Any
) -> None:
    """The default set-up (no setting forced): the platform's own 留言 are read."""
    import time_machine

    from gongkai.config import settings as project_settings
    from gongkai.engagement import services as engagement

    assert settings.INSPECTION_INTERACTION_CHECK == (
        project_settings.INSPECTION_INTERACTION_CHECK
    )
    old = engagement.message_submit(
        organisation=tree.street,
        subject="路灯不亮",
        question="小区路灯不亮，何时维修？",
        email="asker@example.com",
        today=datetime.date(2026, 6, 1),
    )
    client = Client()
    client.login(username="t_officer", password=PASSWORD)
    with time_machine.travel("2026-12-07 10:00 +0800", tick=False):
        services.inspection_run(actor=None, organisation=tree.street, below=False)
        page = client.get(reverse("inspection:dashboard")).content.decode()
    f = Finding.objects.get(indicator="interaction_slow")
    assert f.fix_url == reverse("engagement:message", args=[old.pk])
    assert f'href="{f.fix_url}"' in page
    assert "未检查" not in page


def test_the_dashboard_says_the_message_check_is_off_only_when_it_is(
    tree: Any, settings: Any
) -> None:
    client = Client()
    client.login(username="t_officer", password=PASSWORD)
    # On (the default) with nothing unanswered: a pass, no "not checked".
    services.inspection_run(actor=None, organisation=tree.street, below=False)
    assert (
        "留言检查未启用"
        not in client.get(reverse("inspection:dashboard")).content.decode()
    )
    settings.INSPECTION_INTERACTION_CHECK = ""
    services.inspection_run(actor=None, organisation=tree.street, below=False)
    page = client.get(reverse("inspection:dashboard")).content.decode()
    assert "（留言检查未启用，未检查）" in page
    # A run without links says it judged on the last link check.
    services.inspection_run(
        actor=None, organisation=tree.street, below=False, check_links=False
    )
    page = client.get(reverse("inspection:dashboard")).content.decode()
    assert "本次未检查链接" in page


def test_accepting_a_veto_finding_is_explained_on_the_screen(tree: Any) -> None:
    _failing_street(tree)
    services.inspection_run(actor=None, organisation=tree.street, below=False)
    client = Client()
    client.login(username="t_head", password=PASSWORD)
    page = client.get(reverse("inspection:dashboard")).content.decode()
    assert "单项否决问题说明理由后仍计入检查结论（仍为不合格）" in page


def test_the_forms_use_the_shared_field_partial(tree: Any) -> None:
    sup = Client()
    sup.login(username="t_supervisor", password=PASSWORD)
    # forms/_field.html marks each field's wrapper with data-field.
    assert (
        'data-field="below"'
        in sup.get(reverse("inspection:dashboard")).content.decode()
    )
    below = sup.get(reverse("inspection:below")).content.decode()
    assert 'data-field="year"' in below and 'data-field="quarter"' in below
    head = Client()
    head.login(username="t_head", password=PASSWORD)
    page = head.get(reverse("inspection:dictionary")).content.decode()
    assert 'data-field="entries"' in page
