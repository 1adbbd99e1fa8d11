"""The one small search interface over both databases (DESIGN.md "Search")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, connections, router, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.core.search import (
    QueryError,
    SearchQuery,
    fts5_match,
    fts5_row,
    highlight_spans,
    index_tokens,
    kind_token,
    needs_positions,
    parse_query,
    path_segments,
    scope_tokens,
    trigrams_of,
    tsquery_superset_text,
    tsquery_text,
)
from gongkai.orgs.models import PATH_SEGMENT_WIDTH, Organisation, path_prefix_q
from gongkai.rawsql import as_date, fetch_row
from gongkai.search.models import SearchDocument

# tsvector positions stop at 16383; beyond that a phrase could not be matched.
MAX_TOKENS = 16000


# Scope and recency live inside the index (docs/architecture.md "Search"), so a search
# never reads a document that does not match:
#
# * Scope tokens, one set per document: ``u<seg>`` for its own organisation,
#   ``o<seg>`` for every organisation on its path (itself and each ancestor) and
#   ``k<hex>`` for its kind (<seg> is the organisation's 8-hex-digit path segment,
#   <hex> the kind's UTF-8 bytes in hex). A subtree is the one token ``o<seg>`` of its
#   root, whatever its size. SQLite keeps them in the FTS5 column ``scope``;
#   PostgreSQL as lexemes "~u…", "~o…", "~k…" in ``tsv``.
# * PostgreSQL only (FTS5 reads matches newest first by itself): id-block lexemes
#   "~w<shift>.<id >> shift>" for each shift of WINDOW_SHIFTS, so the GIN index can
#   intersect a query with "the newest 2^shift ids" before touching the table.
#
# Query tokens are bigrams and trigrams (one to three characters, never "~"), so no
# scope or window token can ever match a query; on SQLite the query is also limited
# to the columns ``tokens`` (bigrams) and ``tri`` (trigrams).
WINDOW_SHIFTS = (10, 13, 16, 19, 22, 25)
# PostgreSQL: when the newest window does not fill the page, a query reads at most
# this many candidates to learn whether it is rare (then every match is sorted: at
# most this many) or common (then the larger id-block windows are tried).
PROBE_CANDIDATES = 200
# PostgreSQL: the windows asked before that probe (2^10 and 2^13 ids: a page that is
# among the newest 16,384 documents never pays for a bitmap of every match).
WINDOWS_BEFORE_PROBE = 2


# SQLite: the FTS5 table indexes without keeping a copy of what it indexes
# (content='', migration 0007: half the database at 10^6 documents). A row is
# written from the stored document (``core.search.fts5_row``) and removed by giving
# FTS5 the same values again, recomputed from what is stored.
FTS5_INSERT = (
    "INSERT INTO search_fts (rowid, tokens, scope, tri) VALUES (%s, %s, %s, %s)"
)
FTS5_DELETE = (
    "INSERT INTO search_fts (search_fts, rowid, tokens, scope, tri) "
    "VALUES ('delete', %s, %s, %s, %s)"
)


def window_lexemes(doc_id: int) -> list[str]:
    return [f"~w{shift}.{doc_id >> shift}" for shift in WINDOW_SHIFTS]


def _tsvector_literal(tokens: list[str], doc_id: int, scope: list[str]) -> str:
    """The document's tsvector: its first ``MAX_TOKENS`` bigrams with their
    positions, the trigrams of the same text without (``core.search.trigrams_of``:
    a longer text's trigrams could pass the tsvector's 1 MB, and a phrase of three
    characters is found where one of two or four is), scope and window lexemes."""
    kept = tokens[:MAX_TOKENS]
    parts = [
        f"'{t.replace(chr(39), chr(39) * 2)}':{i}" for i, t in enumerate(kept, start=1)
    ]
    parts.extend(f"'{t.replace(chr(39), chr(39) * 2)}'" for t in trigrams_of(kept))
    parts.extend(f"'~{token}'" for token in scope)
    parts.extend(f"'{lexeme}'" for lexeme in window_lexemes(doc_id))
    return " ".join(parts)


# Every column of SearchDocument (the tsvector is not a model field).
_DOC_COLUMNS = (
    "id",
    "kind",
    "object_id",
    "organisation_id",
    "title",
    "body",
    "url",
    "published_on",
    "category",
)


def _stored_locked(kind: str, object_id: str) -> SearchDocument | None:
    """The stored document, its row locked until the transaction ends. Read as SQL
    (``gongkai.rawsql``): it runs on every save of a publication."""
    row = fetch_row(
        connection.alias,
        SearchDocument,
        _DOC_COLUMNS,
        ["kind", "object_id"],
        [kind, object_id],
        lock=True,
    )
    if row is None:
        return None
    values = list(row)
    published_on = _DOC_COLUMNS.index("published_on")
    values[published_on] = as_date(values[published_on])
    return SearchDocument.from_db(connection.alias, list(_DOC_COLUMNS), values)


# No savepoint: the save's transaction holds it (a savepoint and its release were two
# more round trips on every save of a publication); an error rolls the save back.
@transaction.atomic(savepoint=False)
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
    """Add or replace one document in the index (nothing is written when the stored
    document is the same: most saves of a publication change its workflow, not its
    text, and rewriting the full-text row costs more than the save)."""
    fields = {
        "organisation": organisation,
        "title": title[:300],
        "body": body,
        "url": url,
        "published_on": published_on,
        "category": category,
    }
    stored = _stored_locked(kind, str(object_id))
    if stored is not None and (
        stored.organisation_id == organisation.pk
        and all(
            getattr(stored, name) == value
            for name, value in fields.items()
            if name != "organisation"
        )
    ):
        # The scope tokens follow the organisation's path, and a moved subtree is
        # rescoped as a whole (search_rescope): the same organisation, the same tokens.
        return stored
    if connection.vendor == "sqlite":
        return _sqlite_index(stored, kind, str(object_id), organisation, fields)
    # The stored title (cut at 300 characters) is what is indexed, as on SQLite.
    text = f"{fields['title']}\n{body}"
    tokens = index_tokens(text)
    scope = scope_tokens(organisation.path, kind)
    if stored is not None:
        # One UPDATE for the row and its tsvector: two would write two row versions,
        # and the GIN index would take every lexeme of the document twice.
        doc = stored
        for name, value in fields.items():
            setattr(doc, name, value)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_searchdocument SET organisation_id = %s, title = %s, "
                "body = %s, url = %s, published_on = %s, category = %s, "
                "tsv = %s::tsvector WHERE id = %s",
                [
                    organisation.pk,
                    doc.title,
                    body,
                    url,
                    published_on,
                    category,
                    _tsvector_literal(tokens.split(" "), doc.pk, scope),
                    doc.pk,
                ],
            )
        return doc
    doc, _ = SearchDocument.objects.update_or_create(
        kind=kind, object_id=str(object_id), defaults=fields
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_searchdocument SET tsv = %s::tsvector WHERE id = %s",
            [_tsvector_literal(tokens.split(" "), doc.pk, scope), doc.pk],
        )
    return doc


def _fts5_row_of(doc: SearchDocument, path: str) -> tuple[int, str, str, str]:
    return fts5_row(doc.pk, doc.title, doc.body, path, doc.kind)


def _sqlite_index(
    stored: SearchDocument | None,
    kind: str,
    object_id: str,
    organisation: Any,
    fields: dict[str, Any],
) -> SearchDocument:
    """``search_index`` on SQLite: the old row of the FTS5 table removed with the
    values it was written with (its organisation's path before the change), the
    new one written."""
    with connection.cursor() as cursor:
        if stored is None:
            doc = SearchDocument.objects.create(
                kind=kind, object_id=object_id, **fields
            )
        else:
            cursor.execute(
                FTS5_DELETE, _fts5_row_of(stored, _path_of(stored, organisation))
            )
            doc = stored
            for name, value in fields.items():
                setattr(doc, name, value)
            doc.save()
        cursor.execute(FTS5_INSERT, _fts5_row_of(doc, organisation.path))
    return doc


def _path_of(doc: SearchDocument, organisation: Any) -> str:
    """The path of the organisation ``doc`` is stored under (``organisation``'s when
    it is that one: no query)."""
    if doc.organisation_id == organisation.pk:
        return str(organisation.path)
    return str(
        Organisation.objects.values_list("path", flat=True).get(pk=doc.organisation_id)
    )


def search_remove(*, kind: str, object_id: Any) -> None:
    """Remove a document from the index (on SQLite its FTS5 row goes with it:
    ``signals._forget_fts5_row``, which also serves a delete by cascade)."""
    SearchDocument.objects.filter(kind=kind, object_id=str(object_id)).delete()


def forget_fts5_row(doc: SearchDocument, using: str) -> None:
    """SQLite: remove ``doc``'s row of the FTS5 table, given the values it was
    written with (``doc`` as stored, its organisation's path)."""
    path = (
        Organisation.objects.using(using)
        .values_list("path", flat=True)
        .get(pk=doc.organisation_id)
    )
    with connections[using].cursor() as cursor:
        cursor.execute(FTS5_DELETE, _fts5_row_of(doc, path))


def fts5_rewrite(using: str = "default") -> int:
    """SQLite: write the FTS5 table again from the stored documents (after rows
    were removed without it, e.g. a test database emptied by ``flush``); returns
    how many rows it holds."""
    db = connections[using]
    with db.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
        rows = list(
            SearchDocument.objects.using(using)
            .order_by("id")
            .values_list("id", "title", "body", "organisation__path", "kind")
        )
        cursor.executemany(FTS5_INSERT, [fts5_row(*row) for row in rows])
    return len(rows)


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


def search_rescope(*, path: str, old_path: str) -> int:
    """Rewrite the scope tokens of every document held in the subtree now at ``path``
    (``old_path`` before ``orgs.services.organisation_move`` rewrote the paths);
    returns how many."""
    docs = SearchDocument.objects.filter(
        path_prefix_q(path, "organisation__path")
    ).order_by("id")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            rows = list(
                docs.values_list("id", "title", "body", "organisation__path", "kind")
            )
            # FTS5 forgets a row given the values it was written with: the old paths.
            cursor.executemany(
                FTS5_DELETE,
                [
                    fts5_row(i, t, b, old_path + p[len(path) :], k)
                    for i, t, b, p, k in rows
                ],
            )
            cursor.executemany(
                FTS5_INSERT, [fts5_row(i, t, b, p, k) for i, t, b, p, k in rows]
            )
            return len(rows)
        moved = list(docs.values_list("id", "organisation__path", "kind"))
        cursor.executemany(
            "UPDATE search_searchdocument SET tsv = ts_delete(tsv, ARRAY("
            "SELECT lexeme FROM unnest(tsv) WHERE lexeme LIKE '~u%%' "
            "OR lexeme LIKE '~o%%')) || %s::tsvector WHERE id = %s",
            [(" ".join(f"'~{t}'" for t in scope_tokens(p, k)), i) for i, p, k in moved],
        )
    return len(moved)


def _scope_groups(
    within: Any,
    organisation_ids: list[int] | None,
    kind: str | tuple[str, ...] | None,
) -> list[list[str]] | None:
    """The scope as groups of tokens: a document matches when it holds one token of
    every group. ``None`` when nothing can match (an empty organisation list)."""
    groups: list[list[str]] = []
    if within is not None:
        segments = path_segments(within.path)
        if not segments:
            return None
        groups.append([f"o{segments[-1]}"])
    if organisation_ids is not None:
        if not organisation_ids:
            return None
        groups.append(
            [f"u{i:0{PATH_SEGMENT_WIDTH}x}" for i in sorted(set(organisation_ids))]
        )
    if kind:
        kinds = (kind,) if isinstance(kind, str) else tuple(kind)
        groups.append([kind_token(k) for k in kinds])
    return groups


def fts5_scoped_match(query: SearchQuery, groups: list[list[str]]) -> str:
    """The FTS5 MATCH text: the query on columns ``tokens`` and ``tri``, each scope
    group on ``scope`` (every token is quoted; none comes from what was typed)."""
    parts = [f"({fts5_match(query)})"]
    parts.extend(
        "{scope} : (" + " OR ".join(f'"{t}"' for t in group) + ")" for group in groups
    )
    return " AND ".join(parts)


def pg_scoped_tsquery(
    query: SearchQuery,
    groups: list[list[str]],
    text: Callable[[SearchQuery], str] = tsquery_text,
) -> str:
    parts = [f"({text(query)})"]
    parts.extend("(" + " | ".join(f"'~{t}'" for t in group) + ")" for group in groups)
    return " & ".join(parts)


def _matching_ids(
    query: SearchQuery,
    groups: list[list[str]],
    limit: int,
    offset: int,
) -> list[int]:
    # On the read replica when the request tolerates lag (gongkai/ops/replica.py).
    db = connections[router.db_for_read(SearchDocument)]
    with db.cursor() as cursor:
        if db.vendor == "sqlite":
            # FTS5 walks the doclists newest rowid first and intersects query and
            # scope inside the index; LIMIT stops it at the page.
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY rowid DESC LIMIT %s OFFSET %s",
                [fts5_scoped_match(query, groups), limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]
        superset = (
            pg_scoped_tsquery(query, groups, tsquery_superset_text)
            if needs_positions(query)
            else None
        )
        return _pg_newest_matches(
            db.alias,
            cursor,
            pg_scoped_tsquery(query, groups),
            superset,
            limit,
            offset,
        )


# Only a bitmap scan of the GIN index: never a walk of the primary key filtered row
# by row (what the planner picks for ORDER BY id LIMIT when it overestimates the
# matches, 4.6 s at 10^6 for a name found nowhere), never a sequential scan.
_BITMAP_ONLY = (
    "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), "
    "set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"
)
_RESTORE = "SELECT set_config('enable_seqscan', %s, true), set_config('enable_indexscan', %s, true)"
_PG_SQL = "SELECT id FROM search_searchdocument WHERE tsv @@ %s::tsquery"


def _newest_windows(newest: int) -> list[tuple[str, int]]:
    """The id-block windows holding the newest ids, smallest first: for each shift,
    the newest two blocks of 2^shift ids (a window that would be every document is
    left out), with the lowest id each holds."""
    windows = []
    for shift in WINDOW_SHIFTS:
        block = newest >> shift
        if block == 0:
            break
        lexemes = f"'~w{shift}.{block}' | '~w{shift}.{block - 1}'"
        windows.append((lexemes, (block - 1) << shift))
    return windows


def _page_in(
    cursor: Any, ordered: str, tsquery: str, window: str, limit: int, offset: int
) -> list[int] | None:
    """The page when the window holds it (a window is a range of the newest ids, so
    a full page inside it is exactly the newest matches); None when it does not."""
    cursor.execute(ordered, [f"{tsquery} & ({window})", limit, offset])
    ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) == limit else None


# A phrase: the documents holding all its bigrams (the GIN index alone, exact),
# newest first, then the phrase checked on each in that order until the page is
# full. OFFSET 0 keeps the check outside the scan (PostgreSQL would otherwise move it
# into the bitmap's recheck, which reads every candidate's tsvector before sorting);
# ts_match_vq is @@ as a function, which no index answers.
_PG_PHRASE_SQL = (
    "SELECT id FROM (SELECT id, tsv FROM search_searchdocument WHERE tsv @@ %s::tsquery"
    "{below} ORDER BY id DESC OFFSET 0) AS candidates"
    " WHERE ts_match_vq(tsv, %s::tsquery) ORDER BY id DESC LIMIT %s"
)


def _pg_phrase_matches(
    cursor: Any,
    phrase: str,
    superset: str,
    windows: list[tuple[str, int]],
    limit: int,
    offset: int,
) -> list[int]:
    """Newest matches of a phrase: each window's candidates (documents holding every
    bigram) are checked newest first and only until the page is full, so a phrase
    found in most of them reads about a page of documents. A window read to its end
    holds every match newer than the next one, so the next reads only older ids and
    no candidate is checked twice; a phrase found in few of its candidates reads each
    candidate once (the limit written in docs/architecture.md). No probe of every
    candidate: intersecting ten common bigrams over 10^6 documents alone took 300 ms,
    where a window's own postings drive the index."""
    wanted = limit + offset
    found: list[int] = []
    below: int | None = None  # every id from here up has been checked
    for window, lowest in [*windows, ("", 0)]:
        query = f"{superset} & ({window})" if window else superset
        sql = _PG_PHRASE_SQL.format(below="" if below is None else " AND id < %s")
        params: list[Any] = [query, *([] if below is None else [below])]
        cursor.execute(sql, [*params, phrase, wanted - len(found)])
        found.extend(row[0] for row in cursor.fetchall())
        if len(found) >= wanted or lowest == 0:
            break  # the page is full, or this window reached the first id
        below = lowest
    return found[offset:wanted]


def _pg_newest_matches(
    alias: str,
    cursor: Any,
    tsquery: str,
    superset: str | None,
    limit: int,
    offset: int,
) -> list[int]:
    """Newest matches first, reading a bounded number of candidates at each step.
    ``superset``: for a phrase, the query of every bigram without positions."""
    wanted = limit + offset
    cursor.execute("SELECT max(id) FROM search_searchdocument")
    newest = cursor.fetchone()[0] or 0
    # The transaction on the cursor's own connection (the replica, when reads go
    # there): in autocommit a set_config(..., true) would last one statement only.
    with transaction.atomic(using=alias):
        cursor.execute(_BITMAP_ONLY)
        saved = cursor.fetchone()[:2]
        try:
            ordered = f"{_PG_SQL} ORDER BY id DESC LIMIT %s OFFSET %s"
            windows = _newest_windows(newest)
            if superset is not None:
                return _pg_phrase_matches(
                    cursor, tsquery, superset, windows, limit, offset
                )
            # 1. The newest windows: a common query fills the page here, its GIN
            #    scan driven by the window's few postings (the index skips through
            #    the query's long lists instead of reading them).
            for window, _ in windows[:WINDOWS_BEFORE_PROBE]:
                ids = _page_in(cursor, ordered, tsquery, window, limit, offset)
                if ids is not None:
                    return ids
            # 2. At most PROBE_CANDIDATES + 1 matches, in no order: a rare query (a
            #    name, a word found nowhere) is answered here. Only now: its
            #    bitmap holds every match: 150 ms for a pair found in 65 % of 10^6
            #    documents, which step 1 has answered. (A phrase never comes here:
            #    ``_pg_phrase_matches``.)
            cursor.execute(f"{_PG_SQL} LIMIT %s", [tsquery, PROBE_CANDIDATES + 1])
            ids = sorted((row[0] for row in cursor.fetchall()), reverse=True)
            if len(ids) <= PROBE_CANDIDATES:
                return ids[offset:wanted]
            # 3. Common but not recent: the larger windows, each 8 times the last,
            #    so a step reads about 8 pages of candidates at most.
            for window, _ in windows[WINDOWS_BEFORE_PROBE:]:
                ids = _page_in(cursor, ordered, tsquery, window, limit, offset)
                if ids is not None:
                    return ids
            # 4. Everything (a deep page, or more ids than the largest window).
            cursor.execute(ordered, [tsquery, limit, offset])
            return [row[0] for row in cursor.fetchall()]
        finally:
            cursor.execute(_RESTORE, list(saved))


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
    within: Any = None,
    organisation_ids: list[int] | None = None,
    kind: str | tuple[str, ...] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResults:
    """Documents matching ``raw_query``, most recently indexed first (a document keeps
    its place when re-indexed), with highlighted title and snippet.

    ``within``: an organisation, its whole subtree (one index token, any size);
    ``organisation_ids``: exactly these organisations; ``kind``: one or more kinds."""
    try:
        query = parse_query(raw_query)
    except QueryError as exc:
        return SearchResults(query=raw_query or "", hits=[], error=str(exc))
    groups = _scope_groups(within, organisation_ids, kind)
    ids = [] if groups is None else _matching_ids(query, groups, limit, offset)
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
