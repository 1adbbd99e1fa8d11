"""Queries per portal page on a cache miss are fixed, whatever the number of items
(issue 24, requirement 2): a page that grows a query per item, or reads again what
every page of its body shares, is caught here."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.orgs.models import Organisation
from gongkai.portal import cache as page_cache
from gongkai.portal.cache import CACHE_HEADER, memo
from gongkai.publishing.reference import TOPICS
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db

# A page of a body nothing has been kept for: the content version, the body, its
# breadcrumb (the street is a disclosure body itself: no look-up of the body that
# takes its applications), the organisations under it, the items it has published
# 解读 of, and the item…
DETAIL_COLD_QUERIES = 6
# …or, for its list, the count of its items, their topics, the order of its first
# pages and the page's rows.
LIST_COLD_QUERIES = 7
# Another page of a body whose shared parts are kept (the long tail: a rarely read
# item, page 2 of a list): only what is the page's own.
DETAIL_WARM_QUERIES = 1
LIST_WARM_QUERIES = 1


@pytest.fixture(autouse=True)
def _version_not_rechecked(monkeypatch):
    # The version is re-read every 2 s; a slow test run must not add that query.
    monkeypatch.setattr(page_cache, "VERSION_RECHECK_SECONDS", 3600.0)


def forget_everything() -> None:
    cache.clear()
    memo.clear()


def rendered(url: str) -> tuple[int, str]:
    """Queries of one anonymous request that is rendered, not served from the cache."""
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(url)
    assert response.status_code == 200
    assert response[CACHE_HEADER] == "miss"
    return len(ctx.captured_queries), response.content.decode()


def list_url(org: Organisation, **query: str) -> str:
    url = reverse("portal:publications", args=[org.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def detail_url(org: Organisation, pk: int) -> str:
    return reverse("portal:publication", args=[org.pk, pk])


def test_queries_do_not_grow_with_items(tree):
    first = make_live(tree.street, tree.officer, tree.head, title="第1条信息")
    forget_everything()
    few_list, _ = rendered(list_url(tree.street))
    few_detail, _ = rendered(detail_url(tree.street, first.pk))
    topics = sorted(TOPICS)
    for n in range(2, 26):
        org = tree.community_a if n % 2 else tree.street
        topic = topics[n % len(topics)]
        make_live(org, tree.officer, tree.head, title=f"第{n}条信息", topic=topic)
    forget_everything()
    many_list, page = rendered(list_url(tree.street))
    many_detail, _ = rendered(detail_url(tree.street, first.pk))
    assert "第25条信息" in page and "第1条信息" not in page  # 20 a page
    assert "第 1 / 2 页" in page
    assert f"<option>{topics[24 % len(topics)]}</option>" in page
    assert many_list == few_list
    assert many_detail == few_detail


def test_a_miss_reads_a_fixed_number_of_queries(
    tree, django_assert_num_queries
) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, title="老旧小区改造公示")
    other = make_live(tree.community_a, tree.officer, tree.head, title="垃圾分类通知")
    for n in range(25):
        make_live(tree.street, tree.officer, tree.head, title=f"第{n}条信息")
    forget_everything()
    with django_assert_num_queries(DETAIL_COLD_QUERIES):
        detail = Client().get(detail_url(tree.street, pub.pk))
    assert detail[CACHE_HEADER] == "miss"
    assert "老旧小区改造公示" in detail.content.decode()
    with django_assert_num_queries(DETAIL_WARM_QUERIES):
        warm = Client().get(detail_url(tree.street, other.pk))
    assert warm[CACHE_HEADER] == "miss"
    assert "垃圾分类通知" in warm.content.decode()

    forget_everything()
    with django_assert_num_queries(LIST_COLD_QUERIES):
        listing = Client().get(list_url(tree.street))
    assert listing[CACHE_HEADER] == "miss"
    with django_assert_num_queries(LIST_WARM_QUERIES):
        second = Client().get(list_url(tree.street, page="2"))
    assert second[CACHE_HEADER] == "miss"
    assert "第 2 / 2 页" in second.content.decode()


def test_a_kept_part_follows_a_change_once_it_commits(
    tree, django_capture_on_commit_callbacks
) -> None:
    from gongkai.orgs.services import organisation_update

    first = make_live(tree.street, tree.officer, tree.head, title="第一条")
    second = make_live(tree.street, tree.officer, tree.head, title="第二条")
    forget_everything()
    assert "测试街道办事处" in rendered(detail_url(tree.street, first.pk))[1]
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(
            actor=tree.sysadmin, organisation=tree.street, name="更名后的街道办事处"
        )
        make_live(tree.street, tree.officer, tree.head, title="第三条")
    queries, page = rendered(detail_url(tree.street, second.pk))
    # (the item's own 发布机构 keeps the name it was published under)
    assert "主办单位：更名后的街道办事处" in page
    assert "主办单位：测试街道办事处" not in page
    assert queries == DETAIL_COLD_QUERIES  # the new version: read again
    listing = rendered(list_url(tree.street))[1]
    assert "第三条" in listing and "主办单位：更名后的街道办事处" in listing


def test_signed_in_visitors_are_not_served_kept_parts(tree, client) -> None:
    pub = make_live(tree.street, tree.officer, tree.head, title="第一条")
    forget_everything()
    rendered(detail_url(tree.street, pub.pk))  # keeps the street's parts
    # A change that has not raised the version (as in another process within its
    # recheck interval): the anonymous copy may lag, a signed-in visitor's may not.
    Organisation.objects.filter(pk=tree.street.pk).update(name="新名称街道办事处")
    client.force_login(tree.officer)
    page = client.get(detail_url(tree.street, pub.pk)).content.decode()
    assert "主办单位：新名称街道办事处" in page
