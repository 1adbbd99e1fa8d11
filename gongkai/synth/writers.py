"""Fast writers of the synthetic load: plain rows to ``executemany`` (SQLite) or
``COPY`` (PostgreSQL), the search index in one go, and the sequences reset after.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model

from gongkai.appeals.models import Appeal
from gongkai.core.search import fts5_row, index_tokens, scope_tokens
from gongkai.inforequests.models import CaseEvent, InfoRequest
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import (
    EnforcementDecision,
    FeeRecord,
    NormativeDocument,
    Publication,
)
from gongkai.search.models import SearchDocument
from gongkai.search.services import FTS5_INSERT, MAX_TOKENS, _tsvector_literal


def _batched(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while True:
        chunk = list(itertools.islice(items, size))
        if not chunk:
            return
        yield chunk


def _aware(day: date, hour: int = 9, minute: int = 30) -> datetime:
    # 09:30 Beijing time = 01:30 UTC (kept in UTC; USE_TZ).
    return datetime(day.year, day.month, day.day, max(hour - 8, 0), minute, tzinfo=UTC)


class _Table:
    """Fast writer of one model's rows: plain dicts → executemany (SQLite) or COPY.

    ``bulk_create`` spends ~100 µs a row in the SQL compiler; at 10^6 rows that is
    minutes. Columns not given take the model's field defaults, so a new field with
    a default needs no change here.
    """

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        proto = model()
        self.defaults = {f.attname: getattr(proto, f.attname) for f in self.fields}
        self.columns = [f.column for f in self.fields]
        self.names = [f.attname for f in self.fields]

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        defaults, names = self.defaults, self.names
        sqlite = connection.vendor == "sqlite"
        values = [
            tuple(_db_value(r.get(n, defaults[n]), sqlite) for n in names) for r in rows
        ]
        table = self.model._meta.db_table
        cols = ", ".join(connection.ops.quote_name(str(c)) for c in self.columns)
        with connection.cursor() as cursor:
            if sqlite:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({cols}) VALUES ({marks})", values
                )
                return
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)


def _db_value(value: Any, sqlite: bool) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if sqlite:
        if isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(value, date):
            return value.isoformat()
    return value


def bulk_index(docs: list[tuple[Any, ...]]) -> None:
    """Write search documents and their index in one go (same SQL as search_index).

    Each tuple: id, kind, object_id, organisation_id, title, body, url, published_on,
    category, and the indexed text ("title\\nbody"; PostgreSQL's tsvector is built
    from it; SQLite's FTS5 row from the stored title and body, as ``search_index``).
    """
    paths = dict(
        Organisation.objects.filter(pk__in={d[3] for d in docs}).values_list(
            "pk", "path"
        )
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(
                "INSERT INTO search_searchdocument (id, kind, object_id, organisation_id, title, body,"
                " url, published_on, category) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [d[:9] for d in docs],
            )
            # The contentless FTS5 row, from the stored title and body, exactly as
            # search_index writes it (a row is removed by recomputing it).
            cursor.executemany(
                FTS5_INSERT,
                [fts5_row(d[0], d[4], d[5], paths[d[3]], d[1]) for d in docs],
            )
            return
        raw = cursor.cursor  # psycopg 3 cursor: COPY is ~5x faster than INSERTs
        with raw.copy(
            "COPY search_searchdocument (id, kind, object_id, organisation_id, title, body,"
            " url, published_on, category, tsv) FROM STDIN"
        ) as copy:
            for d in docs:
                copy.write_row(
                    (
                        *d[:9],
                        _tsvector_literal(
                            index_tokens(d[9]).split(" ")[:MAX_TOKENS],
                            d[0],
                            scope_tokens(paths[d[3]], d[1]),
                        ),
                    )
                )


# The GIN index of the search documents as migrations 0002 and 0005 of the search app
# create it (fastupdate off: no pending list for the searches to read).
_GIN_NAME = "search_doc_tsv"
_GIN_CREATE = (
    f"CREATE INDEX {_GIN_NAME} ON search_searchdocument USING GIN (tsv)"
    " WITH (fastupdate = off)"
)


@contextmanager
def gin_built_after() -> Iterator[None]:
    """PostgreSQL: drop the search GIN index for a bulk load and build it once after.

    Without a pending list every row written updates the index in place, hundreds of
    posting lists per document: 10^6 documents then take hours. Building the index
    from the finished table sorts each lexeme's postings once (minutes). Only outside
    a transaction (a test's load keeps the index as it is), and always rebuilt, even
    when the load fails half-way, so the schema stays as the migrations left it.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {_GIN_NAME}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(_GIN_CREATE)
            cursor.execute("RESET maintenance_work_mem")


def _reset_sequences() -> None:
    models = [
        Organisation,
        InfoRequest,
        CaseEvent,
        Publication,
        SearchDocument,
        Appeal,
        NormativeDocument,
        EnforcementDecision,
        FeeRecord,
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
