"""The portal's search results as a reader sees them: each result dated by its
publication's 发布日期 in local time (Asia/Shanghai), in the portal's Chinese date
format; an over-long query answered in Chinese without echoing it back whole."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.test import Client

from gongkai.core.search import MAX_QUERY_CHARS
from gongkai.portal import demo as portal_demo
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db


def result_dates(html: str) -> list[str]:
    return re.findall(r"<time[^>]*>([^<]+)</time>", html)


def search(org_id: int, q: str) -> str:
    response = Client().get(f"/gk/{org_id}/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_a_result_shows_the_local_day_of_publication(tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "2023年高龄津贴发放情况")
    # 17:00 UTC on 27 November is 01:00 on 28 November in Beijing.
    Publication.objects.filter(pk=pub.pk).update(
        published_at=datetime(2023, 11, 27, 17, 0, tzinfo=UTC)
    )
    pub.refresh_from_db()
    pub.save()  # an ordinary save re-indexes
    assert result_dates(search(tree.street.pk, "高龄津贴")) == ["2023年11月28日"]
    detail = Client().get(f"/gk/{tree.street.pk}/publications/{pub.pk}/")
    assert "2023年11月28日" in detail.content.decode()


def test_the_demos_back_dating_update_reaches_the_index(tree) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, "2023年低保发放情况")
    # What the demo does: an UPDATE, no save(), no post_save.
    Publication.objects.filter(pk=pub.pk).update(
        published_at=datetime(2023, 11, 27, 1, 30, tzinfo=UTC)
    )
    portal_demo.load({})  # the demo's last step before delivering
    assert result_dates(search(tree.street.pk, "低保")) == ["2023年11月27日"]


def test_the_portal_demo_step_runs_after_every_back_dating_loader() -> None:
    from gongkai.demo.loaders import DEMO_MODULES

    at = DEMO_MODULES.index("gongkai.portal.demo")
    for name in (
        "gongkai.publishing.demo_history",
        "gongkai.reports.demo_history",
        "gongkai.engagement.demo",
    ):
        assert DEMO_MODULES.index(name) < at


def test_an_over_long_query_is_refused_in_chinese_and_not_echoed(tree) -> None:
    html = search(tree.street.pk, "津" * 100_000)
    assert "搜索内容过长" in html
    assert "津" * (MAX_QUERY_CHARS + 1) not in html
    box = re.search(r'<input id="q"[^>]*>', html).group(0)
    assert f'maxlength="{MAX_QUERY_CHARS}"' in box
    assert f'value="{"津" * MAX_QUERY_CHARS}"' in box


def test_in_the_demo_each_result_carries_its_publications_day(db) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from gongkai.orgs.models import Organisation

    call_command("load_demo", stdout=StringIO())
    luopu = Organisation.objects.get(short_name="洛浦街道")
    html = search(luopu.pk, "高龄津贴")
    hits = re.findall(
        r'<a href="/gk/\d+/publications/(\d+)/">.*?<time[^>]*>([^<]+)</time>',
        html,
        re.S,
    )
    assert hits
    for pk, shown in hits:
        at = timezone.localtime(Publication.objects.get(pk=pk).published_at)
        assert shown == f"{at.year}年{at.month}月{at.day}日", pk
    # The demo back-dates what it published: results span several days.
    assert len({shown for _, shown in hits}) > 1


def test_results_go_on_to_a_next_page_in_the_order_they_say(tree) -> None:
    """29 matches: the first page shows 20, says the order and links to the next,
    which shows the other 9 and links back; no page past the results loses the
    reader."""
    for n in range(29):
        make_live(tree.street, tree.officer, tree.head, f"第{n}批高龄津贴发放情况")
    first = search(tree.street.pk, "高龄津贴")
    assert first.count("<time") == 20
    assert "按收录时间从新到旧" in first and "第 1 页" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = (
        Client()
        .get(f"/gk/{tree.street.pk}/search/", {"q": "高龄津贴", "page": "2"})
        .content.decode()
    )
    assert second.count("<time") == 9
    assert 'rel="prev"' in second and 'rel="next"' not in second
    titles = set(re.findall(r"第(\d+)批", first)) | set(
        re.findall(r"第(\d+)批", second)
    )
    assert titles == {str(n) for n in range(29)}
    beyond = (
        Client()
        .get(f"/gk/{tree.street.pk}/search/", {"q": "高龄津贴", "page": "7"})
        .content.decode()
    )
    assert "没有更多结果了" in beyond
    for junk in ("abc", "-3", "0", "99999999999999999999"):
        page = Client().get(
            f"/gk/{tree.street.pk}/search/", {"q": "高龄津贴", "page": junk}
        )
        assert page.status_code == 200


def test_in_the_demo_results_read_newest_first_by_their_dates(db) -> None:
    """The page says 按收录时间从新到旧 and orders by the index: the demo puts its
    documents in the index in the order of their dates, so a reader sees them newest
    first by date (this month's items were published first, the history after)."""
    from django.core.management import call_command

    from gongkai.orgs.models import Organisation

    call_command("load_demo", stdout=StringIO())
    for name, q in (("洛浦街道", "洛浦"), ("洛浦街道", "公示"), ("老城区", "年度")):
        org = Organisation.objects.get(short_name=name)
        html = search(org.pk, q)
        # Each list in turn: the items, then the 年报 (a list of their own).
        lists = re.findall(r'<ul class="search-results[^"]*">(.*?)</ul>', html, re.S)
        assert sum(len(re.findall("<time ", part)) for part in lists) >= 10, q
        for part in lists:
            dates = re.findall(r'<time datetime="([0-9-]+)">', part)
            assert dates == sorted(dates, reverse=True), q
