"""SQLite's FTS5 table keeps no copy of what it indexes (search migration 0007), so
FTS5 removes a row only when given the values it was written with. After any mix of
indexing, re-indexing, moving a subtree and removing (directly or with an
organisation), the index must hold exactly what an index written afresh from the
stored documents holds — no posting of an old text, path or document left behind."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from gongkai.core.search import fts5_row
from gongkai.orgs.models import Organisation
from gongkai.orgs.services import organisation_move
from gongkai.search.models import SearchDocument
from gongkai.search.services import search_documents, search_index, search_remove

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table"),
]


def postings(table: str) -> set[tuple[str, int, str, int]]:
    """Every (term, document, column, offset) the FTS5 index ``table`` holds, read
    from the index itself (fts5vocab), not from any stored copy."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE temp.v_{table} USING fts5vocab(main, {table}, instance)"
            if table == "search_fts"
            else f"CREATE VIRTUAL TABLE temp.v_{table} USING fts5vocab(temp, {table}, instance)"
        )
        cursor.execute(f"SELECT term, doc, col, offset FROM temp.v_{table}")
        found = set(cursor.fetchall())
        cursor.execute(f"DROP TABLE temp.v_{table}")
    return found


def written_afresh() -> set[tuple[str, int, str, int]]:
    """The postings of an index written from the documents as they are stored now."""
    rows = SearchDocument.objects.order_by("id").values_list(
        "id", "title", "body", "organisation__path", "kind"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE temp.fresh USING fts5(tokens, scope, tri, content='')"
        )
        cursor.executemany(
            "INSERT INTO temp.fresh (rowid, tokens, scope, tri) VALUES (%s, %s, %s, %s)",
            [fts5_row(*row) for row in rows],
        )
    try:
        return postings("fresh")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE temp.fresh")


def index(tree: Any, n: int, org: Any, body: str, kind: str = "publication") -> None:
    search_index(
        kind=kind, object_id=n, organisation=org, title=f"第{n}号通知", body=body
    )


def test_the_table_keeps_no_copy_of_what_it_indexes(tree: Any) -> None:
    index(tree, 1, tree.street, "老旧小区改造")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tokens, scope, tri FROM search_fts")
        assert cursor.fetchall() == [(None, None, None)]
    assert [h.document.object_id for h in search_documents("小区改造").hits] == ["1"]


def test_after_every_kind_of_change_the_index_is_what_it_would_be_written_afresh(
    tree: Any,
) -> None:
    orgs = [tree.street, tree.community_a, tree.community_b, tree.sibling_street]
    for n in range(12):
        index(tree, n, orgs[n % 4], f"垃圾分类第{n}期，老旧小区改造")
    # The text changes; the organisation changes; the kind's token stays.
    index(tree, 1, tree.community_a, "加装电梯的意见征集")
    index(tree, 2, tree.sibling_street, "垃圾分类第2期，移交办理")
    index(tree, 3, orgs[3], "垃圾分类第3期，老旧小区改造")  # the same: nothing written
    search_remove(kind="publication", object_id=4)
    # A subtree moves: its documents' scope tokens follow.
    organisation_move(
        actor=tree.sysadmin,
        organisation=tree.community_a,
        new_parent=tree.sibling_street,
    )
    index(tree, 5, Organisation.objects.get(pk=tree.community_a.pk), "搬迁后的通知")
    # An organisation deleted with its documents.
    doomed = Organisation.objects.get(pk=tree.community_b.pk)
    assert SearchDocument.objects.filter(organisation=doomed).exists()
    doomed.delete()

    assert postings("search_fts") == written_afresh()
    assert not search_documents("老旧小区改造").hits or all(
        "老旧小区改造" in h.document.body for h in search_documents("老旧小区改造").hits
    )
    assert [h.document.object_id for h in search_documents("加装电梯").hits] == ["1"]
    moved = search_documents(
        "搬迁后", within=Organisation.objects.get(pk=tree.sibling_street.pk)
    )
    assert [h.document.object_id for h in moved.hits] == ["5"]
