"""Issue 26, done when: a column that fails each 单项否决 item is flagged for each,
and clears once fixed (the next run confirms the fix)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.inspection import services
from gongkai.inspection.models import BodyStatus, Finding, HomeProbe
from gongkai.inspection.tests.conftest import dead_address
from gongkai.publishing import services as pub_services
from gongkai.publishing.models import CatalogueArea, CatalogueItem, Publication
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"  # the example number of GB 11643 (valid check digit)


def _open(org: Any) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in Finding.objects.filter(organisation=org, state=Finding.State.OPEN):
        out.setdefault(f.indicator, set()).add(f.subject)
    return out


def _age(pub: Publication, days: int) -> None:
    then = timezone.now() - datetime.timedelta(days=days)
    Publication.objects.filter(pk=pub.pk).update(
        published_at=then, last_changed_at=then
    )


def _sneak(pub: Publication, body: str) -> None:
    """Content put online before the checks existed (imported, or an older platform)."""
    Publication.objects.filter(pk=pub.pk).update(body=body)


def test_each_veto_item_is_flagged_then_clears_when_fixed(
    tree: Any, settings: Any, link_farm: str
) -> None:
    # A province that tolerates no blank column at all (the document allows 5).
    settings.INSPECTION_OVERRIDES = {"blank_column": {"threshold": 0}}
    org, officer, head = tree.street, tree.officer, tree.head
    # 动态要闻 last updated 20 days ago.
    news = make_live(org, officer, head, "街道工作动态", genre="news")
    _age(news, 20)
    # A catalogue 领域 with an item that has nothing published: 空白栏目.
    area = CatalogueArea.objects.create(organisation=org, code="09", name="社会救助")
    item = CatalogueItem.objects.create(
        organisation=org,
        area=area,
        item_l1="社会救助",
        item_l2="低保名单",
        content="名单",
        basis="《社会救助暂行办法》",
        time_limit_text="20个工作日",
        subjects="街道办事处",
    )
    # A notice linking to a page that is gone.
    notice = make_live(
        org,
        officer,
        head,
        "关于做好防汛工作的通知",
        genre="notice",
        body=f'<p><a href="{link_farm}/missing">附件</a> <a href="{link_farm}/ok">说明</a></p>',
    )
    # 严重表述错误 and an unmasked ID number in a 公示, already online.
    wording = make_live(org, officer, head, "学习会议", genre="notice")
    _sneak(wording, "<p>深入学习中华人民共合国宪法。</p>")
    listing = make_live(org, officer, head, "低保对象公示", genre="list")
    _sneak(listing, f"<p>张三，身份证号{ID_NUMBER}。</p>")

    run = services.inspection_run(actor=officer, organisation=org, below=False)

    found = _open(org)
    assert found["news_stale"] == {"kind:news"}
    assert f"area:{area.pk}" in found["blank_column"]
    assert len(found["broken_links"]) == 1  # /missing, not /ok
    assert found["serious_wording"] == {f"pub:{wording.pk}"}
    assert found["pii_in_lists"] == {f"pub:{listing.pk}"}
    status = BodyStatus.objects.get(organisation=org)
    assert not status.passed
    assert set(status.veto_failed) == {
        "news_stale",
        "blank_column",
        "broken_links",
        "serious_wording",
        "pii_in_lists",
    }
    # The platform's own 留言 are checked by default; none is waiting.
    assert status.indicators["interaction_slow"]["fails"] is False
    assert status.indicators["interaction_slow"]["unchecked"] is False
    assert not any("留言" in n for n in run.notes)
    # The owner of an item's finding is whoever wrote the item.
    f = Finding.objects.get(organisation=org, indicator="serious_wording")
    assert f.owner == officer and f.veto and f.fix_url.endswith(f"/items/{wording.pk}/")
    news_col = next(c for c in status.columns if c["kind"] == "news")
    # Updated 20 days ago, a 14-day period: 6 days late.
    assert news_col["overdue"] and news_col["days_left"] == -6

    # Reported fixed without fixing: the next run reopens it.
    services.finding_claim_fixed(actor=officer, finding=f)
    run = services.inspection_run(actor=officer, organisation=org, below=False)
    assert run.reopened == 1
    f.refresh_from_db()
    assert f.state == Finding.State.OPEN and f.claimed_fixed_at is None

    # Fix each one.
    make_live(org, officer, head, "本周工作动态", genre="news")
    make_live(org, officer, head, "2026年低保名单", genre="list", catalogue_item=item)
    pub_services.publication_update(
        actor=officer,
        publication=notice,
        body=f'<p><a href="{link_farm}/ok">说明</a></p>',
    )
    pub_services.publication_update(
        actor=officer, publication=wording, body="<p>深入学习中华人民共和国宪法。</p>"
    )
    pub_services.publication_update(
        actor=officer,
        publication=listing,
        body="<p>张某，身份证号1101**********002X。</p>",
    )
    run = services.inspection_run(actor=officer, organisation=org, below=False)

    assert _open(org) == {}
    status.refresh_from_db()
    assert status.passed and status.veto_failed == []
    fixed = Finding.objects.filter(organisation=org, state=Finding.State.FIXED)
    assert {x.indicator for x in fixed} >= {
        "news_stale",
        "blank_column",
        "broken_links",
        "serious_wording",
        "pii_in_lists",
    }
    assert all(x.fixed_at is not None for x in fixed)
    assert run.confirmed_fixed >= 5


def _visits(org: Any, ok: int, failed: int) -> None:
    """Scheduled visits within the window (hourly, the newest first)."""
    now = timezone.now()
    HomeProbe.objects.bulk_create(
        HomeProbe(
            organisation=org,
            at=now - datetime.timedelta(minutes=30 + 60 * i),
            ok=i >= failed,
            message="" if i >= failed else "无法连接",
        )
        for i in range(ok + failed)
    )


def test_the_probe_job_visits_every_body_and_runs_add_no_visit(
    tree: Any, settings: Any, link_farm: str
) -> None:
    from django.core.management import call_command

    from gongkai.ops.jobs import BY_NAME

    assert BY_NAME["probe_home_pages"].every == datetime.timedelta(hours=1)
    settings.INSPECTION_SITE_URL = dead_address()
    call_command("probe_home_pages", stdout=open("/dev/null", "w"))  # noqa: SIM115
    probe = HomeProbe.objects.get(organisation=tree.street)
    assert not probe.ok and probe.message == "无法连接"
    bodies = HomeProbe.objects.count()
    assert bodies == 3  # district, street, sibling street (communities are not bodies)
    # Runs started by hand visit nothing: clicking more never changes the verdict.
    for _ in range(20):
        services.inspection_run(
            actor=tree.officer, organisation=tree.street, below=False, check_links=False
        )
    assert HomeProbe.objects.count() == bodies
    assert "home_unavailable" not in _open(tree.street)
    settings.INSPECTION_SITE_URL = link_farm
    services.home_probe_all()
    assert HomeProbe.objects.filter(organisation=tree.street, ok=True).count() == 1


def test_home_page_is_judged_on_the_failed_share_of_a_weeks_visits(
    tree: Any,
) -> None:
    org = tree.street
    # A week of hourly visits (168): 14 failures are tolerated, the 15th fails it,
    # as the document's "超过（含）15次无法访问" in a week.
    _visits(org, ok=154, failed=14)
    services.inspection_run(actor=None, organisation=org, below=False)
    status = BodyStatus.objects.get(organisation=org)
    assert status.passed, status.veto_failed
    assert status.indicators["home_unavailable"]["count"] == 14
    assert status.indicators["home_unavailable"]["checked"] == 168
    HomeProbe.objects.filter(organisation=org, ok=True).order_by("at").first().delete()  # type: ignore[union-attr]
    _visits(org, ok=0, failed=1)
    services.inspection_run(actor=None, organisation=org, below=False)
    status.refresh_from_db()
    assert "home_unavailable" in status.veto_failed
    finding = Finding.objects.get(organisation=org, indicator="home_unavailable")
    assert "168 次" in finding.detail and "15 次无法访问" in finding.detail
    # Visits older than the window no longer count; the finding clears.
    HomeProbe.objects.filter(organisation=org, ok=False).update(
        at=timezone.now() - datetime.timedelta(days=8)
    )
    services.inspection_run(actor=None, organisation=org, below=False)
    status.refresh_from_db()
    assert status.passed
    assert "home_unavailable" not in _open(org)


def test_too_few_visits_are_not_judged(tree: Any) -> None:
    # Three failed visits of ten (the job just started) are not enough to judge.
    _visits(tree.street, ok=7, failed=3)
    services.inspection_run(actor=None, organisation=tree.street, below=False)
    assert BodyStatus.objects.get(organisation=tree.street).passed


def test_in_process_home_probe_passes_for_a_live_column(tree: Any) -> None:
    services.home_probe_all()
    assert HomeProbe.objects.get(organisation=tree.street).ok


def test_accepted_finding_keeps_its_reason_and_needs_approve(tree: Any) -> None:
    org = tree.street
    news = make_live(org, tree.officer, tree.head, "旧动态", genre="news")
    _age(news, 30)
    services.inspection_run(actor=tree.officer, organisation=org, below=False)
    f = Finding.objects.get(organisation=org, indicator="news_stale")
    with pytest.raises(ValidationError):
        services.finding_accept(actor=tree.head, finding=f, reason="  ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.finding_accept(actor=tree.officer, finding=f, reason="理由")
    services.finding_accept(
        actor=tree.head, finding=f, reason="栏目已停用，待技术部门下线"
    )
    services.inspection_run(actor=tree.officer, organisation=org, below=False)
    f.refresh_from_db()
    assert f.state == Finding.State.ACCEPTED and "停用" in f.reason
    # A body cannot waive a 单项否决 item: the accepted finding keeps counting.
    status = BodyStatus.objects.get(organisation=org)
    assert "news_stale" in status.veto_failed and not status.passed
    assert status.indicators["news_stale"]["count"] == 1
    assert status.indicators["news_stale"]["open"] == 0


def test_accepting_a_serious_wording_finding_does_not_make_the_site_pass(
    tree: Any,
) -> None:
    org = tree.street
    pub = make_live(org, tree.officer, tree.head, "学习会议", genre="news")
    _sneak(pub, "<p>深入学习中华人民共合国宪法。</p>")
    services.inspection_run(actor=None, organisation=org, below=False)
    f = Finding.objects.get(organisation=org, indicator="serious_wording")
    services.finding_accept(actor=tree.head, finding=f, reason="领导认为无妨")
    services.inspection_run(actor=None, organisation=org, below=False)
    status = BodyStatus.objects.get(organisation=org)
    assert status.veto_failed == ["serious_wording"] and not status.passed


def test_an_accepted_broken_link_no_longer_counts(tree: Any, link_farm: str) -> None:
    """A link a person finds working (the checker was refused) may be accepted; a
    single link is the one 单项否决 subject a body may judge a false positive."""
    org = tree.street
    make_live(
        org,
        tree.officer,
        tree.head,
        "通知",
        genre="news",
        body=f'<p><a href="{link_farm}/missing">附件</a></p>',
    )
    services.inspection_run(actor=None, organisation=org, below=False)
    assert "broken_links" in BodyStatus.objects.get(organisation=org).veto_failed
    f = Finding.objects.get(organisation=org, indicator="broken_links")
    services.finding_accept(actor=tree.head, finding=f, reason="浏览器中可以打开")
    services.inspection_run(actor=None, organisation=org, below=False)
    assert BodyStatus.objects.get(organisation=org).passed


def test_the_message_check_switched_off_is_said_so(tree: Any, settings: Any) -> None:
    settings.INSPECTION_INTERACTION_CHECK = ""
    run = services.inspection_run(actor=None, organisation=tree.street, below=False)
    status = BodyStatus.objects.get(organisation=tree.street)
    assert status.indicators["interaction_slow"]["unchecked"] is True
    assert any("互动回应差" in n for n in run.notes)


def test_interaction_plug_in_flags_unanswered_messages(
    tree: Any, settings: Any
) -> None:
    settings.INSPECTION_INTERACTION_CHECK = (
        "gongkai.inspection.tests.test_checks.fake_unanswered"
    )
    services.inspection_run(actor=tree.officer, organisation=tree.street, below=False)
    assert _open(tree.street)["interaction_slow"] == {"message:7"}
    assert (
        "interaction_slow"
        in BodyStatus.objects.get(organisation=tree.street).veto_failed
    )


def fake_unanswered(
    *, bodies: list[int], today: Any, period_days: int
) -> list[dict[str, Any]]:
    assert period_days == 90
    return [
        {
            "organisation_id": bodies[0],
            "subject": "message:7",
            "label": "留言“路灯不亮”",
            "detail": "留言超过3个月未回应",
        }
    ]


def test_run_below_covers_every_body_and_the_command(tree: Any) -> None:
    from django.core.management import call_command

    from gongkai.ops.jobs import BY_NAME

    assert "run_inspection" in BY_NAME
    call_command("run_inspection", "--no-links", stdout=open("/dev/null", "w"))  # noqa: SIM115
    checked = set(BodyStatus.objects.values_list("organisation__name", flat=True))
    # Disclosure bodies only: a 社区居委会 is not one.
    assert {"测试区人民政府", "测试街道办事处", "邻近街道办事处"} <= checked
    assert "甲社区居民委员会" not in checked


def test_demo_loader_adds_luopu_findings_once(tree: Any) -> None:
    from gongkai.inspection import demo
    from gongkai.orgs.tests.factories import make_user

    make_user("officer", tree.street, "officer")
    for i in range(3):
        make_live(tree.street, tree.officer, tree.head, f"信息{i}", genre="notice")
    demo.load({"luopu": tree.street})
    demo.load({"luopu": tree.street})
    samples = Finding.objects.filter(
        organisation=tree.street, subject__startswith="demo:"
    )
    assert samples.count() == 3
    assert {f.state for f in samples} == {Finding.State.OPEN, Finding.State.ACCEPTED}
    status = BodyStatus.objects.get(organisation=tree.street)
    assert "broken_links" in status.veto_failed  # links are not re-checked in the demo


def test_a_run_below_covers_only_bodies_the_user_may_see(tree: Any) -> None:
    from gongkai.orgs.tests.factories import make_user

    # A 联络员 membership reaches its own organisation only (no subtree).
    liaison = make_user("t_liaison_district", tree.district, "liaison")
    services.inspection_run(actor=liaison, organisation=tree.district, below=True)
    assert set(BodyStatus.objects.values_list("organisation_id", flat=True)) == {
        tree.district.pk
    }
    services.inspection_run(
        actor=tree.supervisor, organisation=tree.district, below=True
    )
    assert BodyStatus.objects.filter(organisation=tree.sibling_street).exists()


def test_a_run_without_links_keeps_the_last_link_check_figures(
    tree: Any, link_farm: str
) -> None:
    """One broken link of 40 (2.5 %) is under the 5 % share; a later run that does
    not check links must judge on the same figures, not on the open finding alone."""
    org = tree.street
    links = "".join(f'<a href="{link_farm}/ok{i}">{i}</a>' for i in range(39))
    make_live(
        org,
        tree.officer,
        tree.head,
        "动态",
        genre="news",
        body=f'<p>{links}<a href="{link_farm}/missing">附件</a></p>',
    )
    services.inspection_run(actor=None, organisation=org, below=False)
    status = BodyStatus.objects.get(organisation=org)
    assert (status.links, status.broken_links) == (40, 1) and status.passed
    checked_at = status.links_checked_at
    assert checked_at is not None
    services.inspection_run(
        actor=None, organisation=org, below=False, check_links=False
    )
    status.refresh_from_db()
    assert status.passed, status.veto_failed
    assert (status.links, status.broken_links) == (40, 1)
    assert status.links_checked_at == checked_at
    assert status.indicators["broken_links"]["checked"] == 40


def test_a_column_exists_by_its_live_items_and_a_news_column_is_required(
    tree: Any,
) -> None:
    from gongkai.publishing.tests.factories import make_publication

    org = tree.street
    # Only a draft notice: no 通知公告 column on the site (drafts are not there).
    make_publication(org, tree.officer, "草稿通知", genre="notice")
    services.inspection_run(actor=None, organisation=org, below=False)
    status = BodyStatus.objects.get(organisation=org)
    kinds = {c["kind"]: c for c in status.columns}
    assert "notice" not in kinds
    # The 动态 column never had an item: a 空白栏目.
    assert kinds["news"]["blank"]
    assert _open(org)["blank_column"] == {"kind:news"}
    make_live(org, tree.officer, tree.head, "街道动态", genre="news")
    services.inspection_run(actor=None, organisation=org, below=False)
    assert "blank_column" not in _open(org)


def test_a_page_that_errors_is_told_in_chinese(tree: Any, monkeypatch: Any) -> None:
    from django.db import OperationalError
    from django.test import Client

    from gongkai.inspection import checks

    def explode(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr(Client, "get", explode)
    ok, message = checks._inprocess_status(checks._home_path(tree.street))
    assert not ok
    assert message == "页面出错（数据库暂时无法使用）"
    assert "Error" not in message
