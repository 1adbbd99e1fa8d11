"""Test support: the demo is built for real once per starting state of the database,
then put back from a copy of its rows.

``manage.py load_demo`` costs 15–30 s (it files four years of cases and writes their
reports); about forty tests start from it. The first call in a test session runs the
real loader and copies every table's rows; a later call that starts from the same
state (the same row count in every table, the same day) deletes those tables' rows and
inserts the copy, which takes well under a second. A call from any other state (a
second load in the same test, a test that made rows first, another day under
time-machine) runs the real loader, so no test sees a demo the loader would not build.

Rows are copied at the SQL level: signals and model code do not run on restore, and
the FTS5 index (a virtual table on SQLite) is copied by its ``rowid`` like a table.
Files the loader writes stay in MEDIA_ROOT for the whole session, so the rows that
name them remain valid.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    rows: Any  # list of tuples on SQLite, COPY text (bytes) on PostgreSQL


@dataclass(frozen=True)
class _Snapshot:
    tables: tuple[_Table, ...]
    organisations: dict[str, int]


_SNAPSHOTS: dict[tuple[Any, ...], _Snapshot] = {}


def snapshotting(real_loader: Callable[[], dict[str, Any]]) -> Callable[[], Any]:
    """Wrap ``gongkai.demo.loaders.load_demo`` for tests (see the module docstring)."""

    def load_demo() -> dict[str, Any]:
        from django.db import connection

        key = _state_key(connection)
        snapshot = _SNAPSHOTS.get(key)
        if snapshot is None:
            organisations = real_loader()
            _SNAPSHOTS[key] = _take(connection, organisations)
            return organisations
        _restore(connection, snapshot)
        return _organisations(snapshot)

    return load_demo


def _state_key(connection: Any) -> tuple[Any, ...]:
    from django.utils import timezone

    # SQLite's sqlite_sequence keeps a row for every table that ever had one, also
    # after the database is emptied between tests: it says nothing about the rows.
    counts = tuple(
        (table, n)
        for table, n in _row_counts(connection, _table_names(connection))
        if table != "sqlite_sequence"
    )
    today: datetime.date = timezone.localdate()
    return (connection.vendor, connection.settings_dict["NAME"], today, counts)


def _table_names(connection: Any) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            found = cursor.fetchall()
            virtual = [
                n for n, sql in found if sql.upper().startswith("CREATE VIRTUAL")
            ]
            shadows = {v + s for v in virtual for s in _FTS5_SHADOW_SUFFIXES}
            return sorted(
                n
                for n, _ in found
                if n not in shadows
                and n != "django_migrations"
                and (not n.startswith("sqlite_") or n == "sqlite_sequence")
            )
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename <> 'django_migrations'"
        )
        return sorted(n for (n,) in cursor.fetchall())


def _row_counts(connection: Any, tables: list[str]) -> tuple[tuple[str, int], ...]:
    qn = connection.ops.quote_name
    union = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {qn(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(union)
        return tuple(sorted((t, n) for t, n in cursor.fetchall() if n))


def _take(connection: Any, organisations: dict[str, Any]) -> _Snapshot:
    tables = [t for t, _ in _row_counts(connection, _table_names(connection))]
    copy = _copy_postgresql if connection.vendor == "postgresql" else _copy_sqlite
    return _Snapshot(
        tables=tuple(copy(connection, t) for t in tables),
        organisations={key: org.pk for key, org in organisations.items()},
    )


def _virtual_tables(connection: Any) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND upper(sql) LIKE 'CREATE VIRTUAL%'"
        )
        return {n for (n,) in cursor.fetchall()}


def _copy_sqlite(connection: Any, table: str) -> _Table:
    if table in _virtual_tables(connection):
        # The FTS5 table is contentless (search/migrations/0007): it returns no
        # copy of what it indexes, so it is written again from the restored
        # documents instead (``_restore_sqlite``).
        return _Table(table, (), None)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT rowid AS "rowid", * FROM "{table}"')
        columns = tuple(d[0] for d in cursor.description)
        rows = cursor.fetchall()
    if "id" in columns or table == "sqlite_sequence":
        # An ordinary table: its rowid is its primary key or is not needed.
        columns, rows = columns[1:], [row[1:] for row in rows]
    return _Table(table, columns, rows)


def _copy_postgresql(connection: Any, table: str) -> _Table:
    columns = _insertable_columns(connection, table)
    column_list = ", ".join(f'"{c}"' for c in columns)
    data = bytearray()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f'COPY "{table}" ({column_list}) TO STDOUT') as copy:
            for block in copy:
                data += block
    return _Table(table, columns, bytes(data))


def _insertable_columns(connection: Any, table: str) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = %s"
            " AND is_generated = 'NEVER' ORDER BY ordinal_position",
            [table],
        )
        return tuple(c for (c,) in cursor.fetchall())


def _restore(connection: Any, snapshot: _Snapshot) -> None:
    from django.db import transaction

    present = [t for t, _ in _row_counts(connection, _table_names(connection))]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _restore_postgresql(connection, cursor, present, snapshot)
        else:
            _restore_sqlite(cursor, present, snapshot)
    _forget_caches()


def _restore_sqlite(cursor: Any, present: list[str], snapshot: _Snapshot) -> None:
    from gongkai.search.services import fts5_rewrite

    virtual = _virtual_tables(cursor.db)
    for table in present:
        if table in virtual:
            cursor.execute(f'INSERT INTO "{table}" ("{table}") VALUES (\'delete-all\')')
        else:
            cursor.execute(f'DELETE FROM "{table}"')
    for table in snapshot.tables:
        if table.rows is None:
            continue
        columns = ", ".join(f'"{c}"' for c in table.columns)
        marks = ", ".join(["%s"] * len(table.columns))
        cursor.executemany(
            f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', table.rows
        )
    if "search_fts" in virtual:
        fts5_rewrite(cursor.db.alias)


def _restore_postgresql(
    connection: Any, cursor: Any, present: list[str], snapshot: _Snapshot
) -> None:
    from django.apps import apps
    from django.core.management.color import no_style

    # Rows the test made inside its transaction may still owe deferred foreign-key
    # checks, and PostgreSQL truncates no table with such pending events.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    if present:
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in present) + " CASCADE")
    raw = cursor.cursor
    for table in snapshot.tables:
        column_list = ", ".join(f'"{c}"' for c in table.columns)
        with raw.copy(f'COPY "{table.name}" ({column_list}) FROM STDIN') as copy:
            copy.write(table.rows)
    for sql in connection.ops.sequence_reset_sql(
        no_style(), apps.get_models(include_auto_created=True)
    ):
        cursor.execute(sql)


def _forget_caches() -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    forget_database_caches()


def forget_database_caches() -> None:
    """The caches built from the database; they must follow it when it rolls back or
    is restored (the root conftest calls this before each database test)."""
    from django.core.cache import cache

    from gongkai.calendars.selectors import forget_calendar
    from gongkai.portal.cache import memo

    cache.clear()
    forget_calendar()
    memo.clear()


def _organisations(snapshot: _Snapshot) -> dict[str, Any]:
    from gongkai.orgs.models import Organisation

    by_pk = Organisation.objects.in_bulk(list(snapshot.organisations.values()))
    return {key: by_pk[pk] for key, pk in snapshot.organisations.items()}
