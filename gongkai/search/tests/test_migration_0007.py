"""Migration 0007 writes SQLite's FTS5 table again without content: what it holds
afterwards is what an index written afresh from the stored documents holds, and
the way back restores a table that keeps its strings."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.search.services import search_documents, search_index
from gongkai.search.tests.test_contentless_fts5 import postings, written_afresh

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table"),
]
BEFORE = [("search", "0006_trigrams")]


def migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "search"]


def stored_strings() -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tokens FROM search_fts ORDER BY rowid")
        return [row[0] for row in cursor.fetchall()]


def test_forward_and_back(tree: Any) -> None:
    for n, org in enumerate([tree.street, tree.community_a, tree.sibling_street]):
        search_index(
            kind="publication",
            object_id=n,
            organisation=org,
            title=f"关于第{n}批老旧小区改造的通知",
            body="请各社区做好垃圾分类宣传。",
        )
    try:
        migrate(BEFORE)
        assert all(stored_strings())  # 0006's table keeps its strings
        migrate(latest())
        assert stored_strings() == [None, None, None]
        assert postings("search_fts") == written_afresh()
        assert len(search_documents("老旧小区").hits) == 3
        migrate(BEFORE)
        assert all(stored_strings())
        assert len(search_documents("垃圾分类").hits) == 3
    finally:
        migrate(latest())
