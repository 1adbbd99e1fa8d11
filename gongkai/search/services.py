"""The one small search interface over both databases (DESIGN.md "Search")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.search import (
    QueryError,
    SearchQuery,
    fts5_match,
    highlight_spans,
    index_tokens,
    parse_query,
    tsquery_text,
)
from gongkai.search.models import SearchDocument

# tsvector positions stop at 16383; beyond that a phrase could not be matched.
MAX_TOKENS = 16000


# PostgreSQL, "newest first, first page" at 10^6 documents. A GIN bitmap scan finds
# every match before the sort, so a common word (通知, 2026年: 10^5 matches) costs a
# recheck of each. The search therefore asks in steps, stopping at the first that
# fills the page:
#   1. the newest DENSE_PROBE_ROWS ids, read on the primary key and filtered
#      (bounded work, enough for any common word);
#   2. the newest two blocks of 2^15 ids, then of 2^18 ids: each document's tsvector
#      names the blocks it lies in (lexemes "~15.N", "~18.N"), so the GIN index
#      intersects the query with the window before touching the table;
#   3. everything (by then the query is rare, so the bitmap is small).
# Blocks are ranges of ids, so a window holding a full page holds exactly the newest
# matches. The lexemes start with "~", which no indexed token can contain (tokens are
# \w runs), so they never match a query.
RECENCY_SHIFTS = (15, 18)
DENSE_PROBE_ROWS = 4096


def recency_lexemes(doc_id: int) -> list[str]:
    return [f"~{shift}.{doc_id >> shift}" for shift in RECENCY_SHIFTS]


def _tsvector_literal(tokens: list[str], doc_id: int) -> str:
    parts = [
        f"'{t.replace(chr(39), chr(39) * 2)}':{i}"
        for i, t in enumerate(tokens[:MAX_TOKENS], start=1)
    ]
    parts.extend(f"'{lexeme}'" for lexeme in recency_lexemes(doc_id))
    return " ".join(parts)


@transaction.atomic
def search_index(
    *,
    kind: str,
    object_id: Any,
    organisation: Any,
    title: str,
    body: str = "",
    url: str = "",
    published_on: date | None = None,
    category: str = "",
) -> SearchDocument:
    """Add or replace one document in the index."""
    doc, _ = SearchDocument.objects.update_or_create(
        kind=kind,
        object_id=str(object_id),
        defaults={
            "organisation": organisation,
            "title": title[:300],
            "body": body,
            "url": url,
            "published_on": published_on,
            "category": category,
        },
    )
    tokens = index_tokens(f"{title}\n{body}")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [doc.pk])
            cursor.execute(
                "INSERT INTO search_fts (rowid, tokens) VALUES (%s, %s)",
                [doc.pk, tokens],
            )
        else:
            cursor.execute(
                "UPDATE search_searchdocument SET tsv = %s::tsvector WHERE id = %s",
                [_tsvector_literal(tokens.split(" "), doc.pk), doc.pk],
            )
    return doc


@transaction.atomic
def search_remove(*, kind: str, object_id: Any) -> None:
    ids = list(
        SearchDocument.objects.filter(kind=kind, object_id=str(object_id)).values_list(
            "id", flat=True
        )
    )
    if connection.vendor == "sqlite" and ids:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_fts WHERE rowid = %s", [[i] for i in ids]
            )
    SearchDocument.objects.filter(id__in=ids).delete()


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: list[Hit]
    error: str = ""


def _matching_ids(
    query: SearchQuery,
    organisation_ids: list[int] | None,
    kind: str | tuple[str, ...] | None,
    limit: int,
    offset: int,
) -> list[int]:
    filters: list[str] = []
    params: list[int | str] = []
    if organisation_ids is not None:
        if not organisation_ids:
            return []
        filters.append(
            "d.organisation_id IN (" + ",".join(["%s"] * len(organisation_ids)) + ")"
        )
        params.extend(organisation_ids)
    if kind:
        kinds = (kind,) if isinstance(kind, str) else tuple(kind)
        filters.append("d.kind IN (" + ",".join(["%s"] * len(kinds)) + ")")
        params.extend(kinds)
    extra = "".join(f" AND {f}" for f in filters)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT d.id FROM search_fts f JOIN search_searchdocument d ON d.id = f.rowid "  # noqa: S608  # fixed SQL fragments; every value is a parameter
                f"WHERE search_fts MATCH %s{extra} "
                # FTS5 yields rowids in descending order natively, so the newest
                # matches come first without sorting every hit (0.3 ms at 10^6).
                "ORDER BY f.rowid DESC LIMIT %s OFFSET %s",
                [fts5_match(query), *params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]
        return _pg_newest_matches(
            cursor, tsquery_text(query), extra, params, limit, offset
        )


def _pg_newest_matches(
    cursor: Any, tsquery: str, extra: str, params: list[Any], limit: int, offset: int
) -> list[int]:
    """Newest matches first: the newest ids, then growing windows, then all."""
    wanted = [limit, offset]
    cursor.execute("SELECT max(id) FROM search_searchdocument")
    newest = cursor.fetchone()[0] or 0
    # The newest DENSE_PROBE_ROWS ids, read backwards on the primary key and stopped
    # at the page's last match; "OFFSET 0" keeps the planner from merging the two
    # levels and reaching for the GIN index instead.
    cursor.execute(
        "SELECT r.id FROM (SELECT d.id, d.tsv FROM search_searchdocument d "  # noqa: S608  # fixed SQL fragments; every value is a parameter
        f"WHERE d.id > %s{extra} ORDER BY d.id DESC OFFSET 0) r "
        "WHERE r.tsv @@ %s::tsquery ORDER BY r.id DESC LIMIT %s OFFSET %s",
        [newest - DENSE_PROBE_ROWS, *params, tsquery, *wanted],
    )
    ids = [row[0] for row in cursor.fetchall()]
    if len(ids) == limit or newest <= DENSE_PROBE_ROWS:
        return ids
    sql = (
        "SELECT d.id FROM search_searchdocument d WHERE d.tsv @@ %s::tsquery"  # noqa: S608  # fixed SQL fragments; every value is a parameter
        f"{extra} ORDER BY d.id DESC LIMIT %s OFFSET %s"
    )
    for shift in RECENCY_SHIFTS:
        block = newest >> shift
        if block == 0:
            break  # the window would be every document: ask without one
        window = f"'~{shift}.{block}' | '~{shift}.{block - 1}'"
        cursor.execute(sql, [f"({tsquery}) & ({window})", *params, *wanted])
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) == limit:
            return ids
    cursor.execute(sql, [tsquery, *params, *wanted])
    return [row[0] for row in cursor.fetchall()]


def _marked(text: str, query: SearchQuery) -> SafeString:
    out: list[str] = []
    last = 0
    for start, end in highlight_spans(text, query):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308  # every piece of text is escaped above


def _snippet(body: str, query: SearchQuery, width: int = 60) -> SafeString:
    spans = highlight_spans(body, query)
    if not spans:
        return _marked(body[: width * 2], query)
    start = max(0, spans[0][0] - width)
    piece = body[start : spans[0][1] + width]
    prefix = "…" if start else ""
    return mark_safe(escape(prefix) + _marked(piece, query))  # noqa: S308  # escaped here and in _marked


def search_documents(
    raw_query: str,
    *,
    organisation_ids: list[int] | None = None,
    kind: str | tuple[str, ...] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Documents matching ``raw_query``, most recently indexed first (a document keeps
    its place when re-indexed), with highlighted title and snippet."""
    try:
        query = parse_query(raw_query)
    except QueryError as exc:
        return SearchResults(query=raw_query or "", hits=[], error=str(exc))
    ids = _matching_ids(query, organisation_ids, kind, limit, offset)
    docs = SearchDocument.objects.in_bulk(ids)
    hits = [
        Hit(
            document=docs[i],
            title_html=_marked(docs[i].title, query),
            snippet_html=_snippet(docs[i].body, query),
        )
        for i in ids
        if i in docs
    ]
    return SearchResults(query=query.text, hits=hits)
