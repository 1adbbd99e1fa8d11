"""Queries per portal page on a cache miss are fixed, whatever the number of items
(issue 24, requirement 2): a page that grows a query per item is caught here."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.portal.cache import CACHE_HEADER, memo
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db

# The ceilings measured when this test was written (2026-12-07); a page may get
# cheaper, never dearer without a reason written here.
DETAIL_MAX_QUERIES = 7
LIST_MAX_QUERIES = 6


def miss(url: str) -> tuple[int, str]:
    """Queries of one anonymous request that is rendered, not served from the cache."""
    cache.clear()
    memo.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(url)
    assert response.status_code == 200
    assert response[CACHE_HEADER] == "miss"
    return len(ctx.captured_queries), response.content.decode()


def test_queries_do_not_grow_with_items(tree):
    first = make_live(tree.street, tree.officer, tree.head, title="第1条信息")
    list_url = reverse("portal:publications", args=[tree.street.pk])
    detail_url = reverse("portal:publication", args=[tree.street.pk, first.pk])
    few_list, _ = miss(list_url)
    few_detail, _ = miss(detail_url)
    for n in range(2, 13):
        org = tree.community_a if n % 2 else tree.street
        make_live(org, tree.officer, tree.head, title=f"第{n}条信息")
    many_list, page = miss(list_url)
    many_detail, _ = miss(detail_url)
    assert "第12条信息" in page and "第1条信息" in page
    assert many_list == few_list
    assert many_detail == few_detail


def test_a_miss_stays_within_its_ceiling(tree, django_assert_max_num_queries):
    pub = make_live(tree.street, tree.officer, tree.head, title="老旧小区改造公示")
    make_live(tree.community_a, tree.officer, tree.head, title="垃圾分类通知")
    cache.clear()
    memo.clear()
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        detail = Client().get(
            reverse("portal:publication", args=[tree.street.pk, pub.pk])
        )
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        listing = Client().get(reverse("portal:publications", args=[tree.street.pk]))
    assert detail[CACHE_HEADER] == listing[CACHE_HEADER] == "miss"
    assert "老旧小区改造公示" in detail.content.decode()
