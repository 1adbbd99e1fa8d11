"""Scope and recency inside the index (issue 24, requirement 1), on both databases.

The answers are checked against a plain reading of the documents (substring of
title + body, the organisation's subtree by its path), and the plans show that a
no-hit or small-scope query is answered from the index alone.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from gongkai.core.search import parse_query, tsquery_superset_text
from gongkai.orgs.services import organisation_move
from gongkai.search import services
from gongkai.search.models import SearchDocument
from gongkai.search.services import search_documents, search_index

pytestmark = pytest.mark.django_db

WORDS = ["通知", "公告", "安全", "老旧小区", "垃圾分类"]


@pytest.fixture
def corpus(tree):
    """40 documents over five organisations; word i in document n when n % (i+2) == 0."""
    orgs = [
        tree.district,
        tree.street,
        tree.community_a,
        tree.community_b,
        tree.sibling_street,
    ]
    for n in range(40):
        words = [w for i, w in enumerate(WORDS) if n % (i + 2) == 0]
        search_index(
            kind="publication" if n % 7 else "report",
            object_id=n,
            organisation=orgs[n % len(orgs)],
            title=f"第{n}号文件",
            body="，".join(words) or "其他",
        )
    return tree


def expected(query_word: str, org: Any = None, kind: str | None = None) -> list[int]:
    """Ids newest first, read directly from the table (not through the index)."""
    docs = SearchDocument.objects.select_related("organisation").order_by("-id")
    return [
        d.id
        for d in docs
        if query_word in d.title + d.body
        and (org is None or d.organisation.path.startswith(org.path))
        and (kind is None or d.kind == kind)
    ]


def ids(results) -> list[int]:
    assert results.error == ""
    return [h.document.id for h in results.hits]


def test_within_a_subtree_newest_first(corpus):
    for where in ("district", "street", "community_a", "sibling_street"):
        org = getattr(corpus, where)
        for word in WORDS:
            got = ids(search_documents(word, within=org, limit=50))
            assert got == expected(word, org), (where, word)


def test_whole_index_and_kind(corpus):
    for word in WORDS:
        assert ids(search_documents(word, limit=50)) == expected(word)
        assert ids(search_documents(word, kind="report", limit=50)) == expected(
            word, kind="report"
        )
        got = search_documents(word, within=corpus.street, kind="publication", limit=50)
        assert ids(got) == expected(word, corpus.street, "publication")


def test_organisation_ids_are_exactly_those_organisations(corpus):
    street_only = [
        i
        for i in expected("通知")
        if SearchDocument.objects.get(pk=i).organisation_id == corpus.street.pk
    ]
    assert street_only
    assert (
        ids(search_documents("通知", organisation_ids=[corpus.street.pk], limit=50))
        == street_only
    )
    assert search_documents("通知", organisation_ids=[]).hits == []


@pytest.fixture
def small_windows(monkeypatch):
    """Tiny windows and probe, so that 40 documents take every step on PostgreSQL.
    Ask for it before ``corpus``: the documents are indexed with these windows."""
    monkeypatch.setattr(services, "WINDOW_SHIFTS", (1, 2, 3, 4))
    monkeypatch.setattr(services, "PROBE_CANDIDATES", 2)


@pytest.mark.parametrize(("limit", "offset"), [(1, 0), (3, 0), (3, 2), (5, 4), (4, 9)])
def test_pages_through_the_windows(small_windows, corpus, limit, offset):
    for word in WORDS:
        want = expected(word)[offset : offset + limit]
        assert ids(search_documents(word, limit=limit, offset=offset)) == want
        want = expected(word, corpus.street)[offset : offset + limit]
        got = search_documents(word, within=corpus.street, limit=limit, offset=offset)
        assert ids(got) == want, word


def test_a_common_query_is_answered_by_the_newest_window_alone(small_windows, corpus):
    """PostgreSQL: a query whose page lies in the newest ids never builds the bitmap of
    all its matches (150 ms for a pair in 65 % of 10^6 documents): the newest window,
    driven by its few postings, is asked first and answers."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's FTS5 reads newest first by itself")
    with plans() as seen:
        got = ids(search_documents("通知", limit=1))
    assert got == expected("通知")[:1]
    assert len(seen) == 1, [sql for sql, _ in seen]
    assert "~w1." in str(seen[0]), seen[0]


@pytest.mark.parametrize(("limit", "offset"), [(1, 0), (2, 1), (20, 0)])
def test_a_phrase_is_not_found_where_only_its_pairs_are(
    small_windows, corpus, limit, offset
):
    """Newer documents hold every pair of 老旧小区 but not the phrase: the index's
    candidates (every pair present) are checked for the phrase before they count,
    newest first, through every window."""
    for n in range(6):
        search_index(
            kind="publication",
            object_id=100 + n,
            organisation=corpus.street,
            title=f"第{100 + n}号文件",
            body="老旧房屋，小区道路，旧小学",
        )
    want = expected("老旧小区")[offset : offset + limit]
    assert want
    assert ids(search_documents("老旧小区", limit=limit, offset=offset)) == want
    got = search_documents("老旧小区", within=corpus.street, limit=limit, offset=offset)
    assert ids(got) == expected("老旧小区", corpus.street)[offset : offset + limit]


def test_a_phrase_reads_only_the_documents_holding_its_trigrams(corpus):
    """Documents holding every pair of 老旧小区 but not the phrase (the cost of a long
    phrase at 10^6 documents: positions checked in each of them) are never candidates:
    the index is asked for the phrase's trigrams, which they do not hold."""
    for n in range(12):
        search_index(
            kind="publication",
            object_id=200 + n,
            organisation=corpus.street,
            title=f"第{200 + n}号文件",
            body="老旧房屋，小区道路，旧小学",
        )
    seen: list[tuple[str, Any]] = []

    def wrapper(execute, sql, params, many, context):
        if not many and ("MATCH" in sql or "tsv @@" in sql):
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        got = ids(search_documents("老旧小区", within=corpus.street, limit=50))
    assert got == expected("老旧小区", corpus.street)
    holders = expected("老旧小区")
    assert seen, "no search statement ran"
    if connection.vendor == "sqlite":
        # The phrase is one FTS5 phrase of adjacent trigrams, never of bigrams.
        for _, params in seen:
            assert '{tri} : "老旧小 旧小区"' in params[0], params
            assert "{tokens}" not in params[0], params
        return
    # The candidates: the documents with the phrase's trigrams and no other (the
    # twelve documents of its pairs are not among them).
    superset = tsquery_superset_text(parse_query("老旧小区"))
    assert all(superset in str(params) for _, params in seen), seen
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_searchdocument WHERE tsv @@ %s::tsquery",
            [superset],
        )
        assert cursor.fetchone()[0] == len(holders)


def test_a_moved_subtree_is_found_under_its_new_parent(corpus):
    a_docs = expected("通知", corpus.community_a)
    assert a_docs
    organisation_move(
        actor=corpus.sysadmin,
        organisation=corpus.community_a,
        new_parent=corpus.sibling_street,
    )
    corpus.sibling_street.refresh_from_db()
    corpus.street.refresh_from_db()
    found = ids(search_documents("通知", within=corpus.sibling_street, limit=50))
    assert set(a_docs) <= set(found)
    assert not set(a_docs) & set(
        ids(search_documents("通知", within=corpus.street, limit=50))
    )
    assert found == expected("通知", corpus.sibling_street)


@contextmanager
def plans():
    """The plan of every search statement, taken just before it runs (with the
    settings in force at that moment)."""
    seen: list[tuple[str, str]] = []

    def wrapper(execute, sql, params, many, context):
        if not many and ("search_fts" in sql or "tsv @@" in sql):
            cursor = context["cursor"].cursor  # the driver's: no wrapper again
            prefix = (
                "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            )
            cursor.execute(prefix + sql, params)
            seen.append((sql, "\n".join(str(row) for row in cursor.fetchall())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


@pytest.mark.parametrize("where", [None, "community_a", "street"])
def test_no_hit_and_small_scope_queries_use_the_index_only(corpus, where):
    org = getattr(corpus, where) if where else None
    with plans() as seen:
        for query in ("赵六", "通知", "老旧小区改造", "垃圾分类"):
            search_documents(query, within=org, kind="publication")
    assert len(seen) >= 4, "a search statement did not run"
    for sql, plan in seen:
        if connection.vendor == "sqlite":
            # Only the FTS5 table: scope and kind are matched inside it, and the
            # documents' table is not read to filter candidates.
            assert "VIRTUAL TABLE INDEX" in plan, plan
            assert "search_searchdocument" not in sql and " d " not in plan, plan
        else:
            # Only a bitmap of the GIN index with the scope in its condition: no
            # walk of the primary key, no sequential scan, no row filter.
            assert "Bitmap Index Scan on search_doc_tsv" in plan, plan
            assert "Seq Scan" not in plan and "Index Scan Backward" not in plan, plan
            # The one filter allowed: a phrase checked on the candidates the index
            # gave (every bigram present), never a condition on the table's rows.
            filters = [line for line in plan.splitlines() if "Filter" in line]
            assert all("ts_match_vq(candidates.tsv" in f for f in filters), plan
            if org is not None:
                assert "~o" in plan, plan


def test_the_gin_index_keeps_no_pending_list(db):
    """A GIN pending list is read in full by every search (work that grows with the
    documents written, matching or not): PostgreSQL's index has it switched off."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's FTS5 has no pending list")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = 'search_doc_tsv'"
        )
        options = cursor.fetchone()[0] or []
    assert "fastupdate=off" in options


@pytest.fixture
def autocommit_replica(monkeypatch):
    """A second connection to the same database under the alias ``replica`` (in
    autocommit, as a read replica's connection is), with searches routed to it."""
    from django.db import connections, router

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the plan settings exist there")
    replica = connections.create_connection("default")
    replica.alias = "replica"
    connections["replica"] = replica
    monkeypatch.setattr(router, "db_for_read", lambda model, **hints: "replica")
    try:
        yield replica
    finally:
        replica.close()
        del connections["replica"]


def test_on_a_replica_connection_the_bitmap_only_settings_hold(autocommit_replica):
    """Reads may go to the replica: the plan settings must be in force for the
    search statements on that connection, not only on the primary's."""
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        if "tsv @@" in sql:
            cursor = context["cursor"].cursor
            cursor.execute("SELECT current_setting('enable_indexscan')")
            seen.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    with autocommit_replica.execute_wrapper(wrapper):
        search_documents("赵六")
    assert seen and set(seen) == {"off"}, seen
