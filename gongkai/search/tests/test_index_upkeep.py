"""Re-indexing a document costs nothing when nothing it holds changed (a publication
is indexed on every save, most of which change its workflow, not its text)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.search.services import search_documents, search_index

pytestmark = pytest.mark.django_db


def index(org, title="关于贴廓巷社区停车管理的通知", body="停车位按号分配。"):
    return search_index(
        kind="test",
        object_id=7,
        organisation=org,
        title=title,
        body=body,
        published_on=date(2026, 1, 5),
    )


def writes(ctx) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def found(query, org) -> list[str]:
    return [h.document.object_id for h in search_documents(query, within=org).hits]


def test_the_same_document_again_writes_nothing(tree):
    first = index(tree.street)
    with CaptureQueriesContext(connection) as ctx:
        again = index(tree.street)
    assert again.pk == first.pk
    assert writes(ctx) == []
    assert found("停车", tree.street) == ["7"]


def test_a_changed_title_is_indexed_again(tree):
    index(tree.street)
    with CaptureQueriesContext(connection) as ctx:
        index(tree.street, title="关于贴廓巷社区垃圾分类的通知")
    assert writes(ctx)
    assert found("垃圾分类", tree.street) == ["7"]
    assert found("停车管理", tree.street) == []


def test_another_organisation_is_indexed_again(tree):
    index(tree.street)
    index(tree.sibling_street)
    assert found("停车", tree.sibling_street) == ["7"]
    assert found("停车", tree.street) == []


def test_indexing_in_a_save_costs_one_statement_or_two_on_postgresql(tree):
    """Indexing runs in every save of a publication, inside the save's transaction:
    the same document again is one locked read, and on PostgreSQL a changed one is
    that read and one UPDATE (no savepoint around them, each a round trip)."""
    index(tree.street)
    with CaptureQueriesContext(connection) as ctx:
        index(tree.street)
    assert len(ctx.captured_queries) == 1
    if connection.vendor == "postgresql":
        with CaptureQueriesContext(connection) as ctx:
            index(tree.street, title="关于贴廓巷社区垃圾分类的通知")
        assert len(ctx.captured_queries) == 2
    assert found("停车", tree.street) == ["7"]
