"""On PostgreSQL, the reads of a page missing from the cache that go by id (the
detail page's item, a list page's rows) are prepared statements: planned once per
connection, not for every page (``portal/prepared.py``, issue 24)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from gongkai.portal import cache as page_cache
from gongkai.portal.cache import CACHE_HEADER, memo
from gongkai.publishing.models import Publication
from gongkai.publishing.tests.factories import make_live

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    monkeypatch.setattr(page_cache, "VERSION_RECHECK_SECONDS", 3600.0)
    cache.clear()
    memo.clear()


def _runs_of_prepared_reads() -> dict[str, int]:
    """Each statement prepared on this connection by the protocol (not by SQL
    PREPARE) that reads publications, and how many times it was planned or run on
    a plan kept."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE NOT from_sql AND statement LIKE %s",
            [f"%FROM {Publication._meta.db_table} p%"],
        )
        return dict(cursor.fetchall())


def _visit(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    assert response[CACHE_HEADER] == "miss"
    return response.content.decode()


def test_detail_pages_run_one_prepared_read(tree) -> None:
    pubs = [
        make_live(tree.street, tree.officer, tree.head, title=f"第{n}条信息")
        for n in range(3)
    ]
    before = _runs_of_prepared_reads()
    for pub in pubs:
        page = _visit(reverse("portal:publication", args=[tree.street.pk, pub.pk]))
        assert pub.title in page
    after = _runs_of_prepared_reads()
    grown = {s: n - before.get(s, 0) for s, n in after.items() if n != before.get(s)}
    # One statement for the three pages, run once for each.
    assert list(grown.values()) == [3]


def test_list_pages_read_their_rows_by_a_prepared_statement(tree) -> None:
    for n in range(45):
        make_live(tree.street, tree.officer, tree.head, title=f"第{n}条信息")
    url = reverse("portal:publications", args=[tree.street.pk])
    before = _runs_of_prepared_reads()
    _visit(url)
    _visit(url + "?page=2")
    after = _runs_of_prepared_reads()
    grown = {s: n - before.get(s, 0) for s, n in after.items() if n != before.get(s)}
    assert list(grown.values()) == [2]
