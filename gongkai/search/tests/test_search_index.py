"""The same recall tests on SQLite FTS5 and PostgreSQL (CI runs both)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.search.services import search_documents, search_index, search_remove

pytestmark = pytest.mark.django_db

DOCS = [
    ("关于做好2026年政府信息公开工作的通知", "各社区：请按照条例要求做好公开工作。"),
    ("行政复议决定书", "申请人不服某某决定，申请行政复议。"),
    ("贴廓巷社区老旧小区改造公示", "改造范围包括贴廓巷1号院至5号院。"),
    ("2025年部分节假日安排", "元旦放假一天。"),
    ("公示栏更新情况", "本月公示栏更新三次。"),
]


@pytest.fixture
def indexed(tree):
    for i, (title, body) in enumerate(DOCS, start=1):
        search_index(
            kind="test",
            object_id=i,
            organisation=tree.street,
            title=title,
            body=body,
            published_on=date(2026, 1, i),
        )
    return tree


def titles(results):
    return [h.document.title for h in results.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("公开", {DOCS[0][0]}),
        ("复议", {DOCS[1][0]}),
        ("贴廓巷", {DOCS[2][0]}),
        ("2026年", {DOCS[0][0]}),
        ("2025年", {DOCS[3][0]}),
        ("公示", {DOCS[2][0], DOCS[4][0]}),
        ("改造 公示", {DOCS[2][0]}),
        ("信息公开工作", {DOCS[0][0]}),
    ],
)
def test_recall_without_false_hits(indexed, query, expected):
    assert (
        set(titles(search_documents(query, organisation_ids=[indexed.street.pk])))
        == expected
    )


@pytest.mark.parametrize(
    "query", ['"公开" OR 1=1', "公开*", "NEAR(公开 复议)", "公开'; DROP TABLE x;--"]
)
def test_query_syntax_is_treated_as_text(indexed, query):
    results = search_documents(query, organisation_ids=[indexed.street.pk])
    assert results.error == ""
    assert all("公开" in h.document.title + h.document.body for h in results.hits)


@pytest.mark.parametrize("query", ["", "公", "！！"])
def test_too_short_queries_get_a_chinese_message(indexed, query):
    results = search_documents(query, organisation_ids=[indexed.street.pk])
    assert results.hits == [] and "请" in results.error


def test_results_are_limited_to_the_given_organisations(indexed):
    assert (
        titles(search_documents("公开", organisation_ids=[indexed.sibling_street.pk]))
        == []
    )


def test_highlighting_escapes_html_and_marks_the_query(tree):
    search_index(
        kind="test",
        object_id=99,
        organisation=tree.street,
        title="<b>公开</b>目录",
        body="",
    )
    hit = search_documents("公开", organisation_ids=[tree.street.pk]).hits[0]
    assert str(hit.title_html) == "&lt;b&gt;<mark>公开</mark>&lt;/b&gt;目录"


def test_reindexing_replaces_and_removing_forgets(indexed):
    search_index(
        kind="test", object_id=1, organisation=indexed.street, title="新的标题", body=""
    )
    assert titles(search_documents("公开", organisation_ids=[indexed.street.pk])) == []
    search_remove(kind="test", object_id=2)
    assert titles(search_documents("复议", organisation_ids=[indexed.street.pk])) == []


@pytest.mark.parametrize("probe_candidates", [3, 500])
def test_newest_first_pages_are_exact_when_documents_span_many_id_blocks(
    tree, monkeypatch, probe_candidates
):
    """PostgreSQL reads a bounded number of candidates, then (for a common query)
    the newest id blocks from 2^10 up, then everywhere: every page must equal a
    plain "all matches, newest first"."""
    from gongkai.search import services

    monkeypatch.setattr(services, "PROBE_CANDIDATES", probe_candidates)
    from gongkai.search.models import SearchDocument
    from gongkai.synth.load import bulk_index

    # Ids spread over every block size, with "通知" in some and not others.
    ids = sorted(
        {1, 2, 4095, 4096, 9000, 32767, 32768, 70000, 262143, 262144}
        | set(range(600_000, 600_000 + 45, 3))
    )
    docs = []
    for n, doc_id in enumerate(ids):
        title = f"第{n}号通知" if n % 3 else f"第{n}号公告"
        body = "垃圾分类工作安排" if n % 4 == 0 else "其他事项"
        docs.append(
            (
                doc_id,
                "test",
                str(doc_id),
                tree.street.pk,
                title,
                body,
                "",
                None,
                "",
                f"{title}\n{body}",
            )
        )
    bulk_index(docs)
    by_id = dict(SearchDocument.objects.values_list("id", "title"))
    for query, must_contain in (("通知", "通知"), ("公告", "公告")):
        expected = sorted(
            (i for i, t in by_id.items() if must_contain in t), reverse=True
        )
        for limit, offset in ((20, 0), (5, 0), (5, 5), (7, 14), (20, 20), (3, 30)):
            got = [
                h.document.pk
                for h in search_documents(query, limit=limit, offset=offset).hits
            ]
            assert got == expected[offset : offset + limit], (query, limit, offset)
    rare = [i for i in sorted(by_id, reverse=True) if ids.index(i) % 4 == 0]
    got = [h.document.pk for h in search_documents("垃圾分类", limit=50).hits]
    assert got == rare


def test_a_very_long_text_is_indexed_and_its_opening_found(tree):
    """A body of 150,000 characters (a whole 规划 pasted in): its trigrams alone
    would pass the PostgreSQL tsvector's 1 MB and the save failed; the index
    holds the text its bigram positions cover, and the opening is found by a
    phrase of two, three and four characters alike."""
    import random

    rng = random.Random(24)
    # Random text of 3,000 characters: nearly every trigram distinct.
    filler = "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(150_000))
    search_index(
        kind="test",
        object_id=1,
        organisation=tree.street,
        title="城市总体规划",
        body=f"甲乙丙丁。{filler}",
    )
    for query in ("甲乙", "甲乙丙", "甲乙丙丁"):
        found = search_documents(query, organisation_ids=[tree.street.pk])
        assert titles(found) == ["城市总体规划"], query
