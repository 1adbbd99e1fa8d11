"""A cursor whose statements PostgreSQL plans once per connection (issue 24).

The reads of a portal page missing from the cache (``selectors.portal_publication_page``
and the list's rows) are one short statement each, run again and again with other
values. Django binds values into the SQL text on the client (psycopg's
``ClientCursor``), so PostgreSQL parses and plans each of them anew: on a detail
page that was more than its execution. This cursor binds on the server and runs
its statements as prepared statements, planned once per connection and statement.

Only these reads use it: the rest of the platform keeps Django's client-side
binding. A connection pooler in transaction mode must pass prepared statements on
(PgBouncer 1.21 or later, ``max_prepared_statements``). On SQLite, a plain cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.backends.utils import CursorWrapper
from psycopg.pq import Format

# psycopg's own default. Django sets the connection's threshold to None (no
# automatic preparation), which also refuses an explicit ``prepare=True``; the
# threshold only matters to cursors that bind on the server, and this one is the
# only such cursor of the platform.
_PREPARE_THRESHOLD = 5


class _PreparingCursor(psycopg.Cursor[Any]):
    """psycopg's cursor that binds on the server, each statement prepared."""

    def execute(
        self,
        query: Any,
        params: Any = None,
        *,
        prepare: bool | None = True,
        binary: bool | None = None,
    ) -> Any:
        return super().execute(query, params, prepare=prepare, binary=binary)


@contextmanager
def prepared_cursor(conn: BaseDatabaseWrapper) -> Iterator[CursorWrapper]:
    """A cursor of ``conn``, as ``conn.cursor()`` gives (health check, query log,
    execute wrappers), whose statements are prepared on PostgreSQL."""
    if conn.vendor != "postgresql":
        with conn.cursor() as cursor:
            yield cursor
        return
    # What conn.cursor() does before it makes its own (client-binding) cursor.
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    conn.validate_thread_sharing()
    with conn.wrap_database_errors:
        raw = conn.connection
        if raw.prepare_threshold is None:
            raw.prepare_threshold = _PREPARE_THRESHOLD
        preparing = _PreparingCursor(raw)
        # As Django's create_cursor: the time zone of the settings, if it changed.
        tzloader = raw.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if conn.timezone != tzloader.timezone:
            register_tzloader(conn.timezone, preparing)
    # (django-stubs say these take a CursorWrapper: they take a DB-API cursor.)
    raw_cursor: Any = preparing
    wrapped = (
        conn.make_debug_cursor(raw_cursor)
        if conn.queries_logged
        else conn.make_cursor(raw_cursor)
    )
    with wrapped:
        yield wrapped
