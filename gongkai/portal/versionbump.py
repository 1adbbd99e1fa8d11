"""Raising the portal's content version (``portal.cache``) on PostgreSQL without
waiting for the disk: the bump runs after every public change commits, and its own
commit was its whole cost (docs/benchmarks.md "Summary upkeep per save")."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

from gongkai.portal.models import PortalContentVersion

# Two statements sent as one simple query: PostgreSQL runs them as one implicit
# transaction, so the SET LOCAL covers this UPDATE's commit and nothing else.
_BUMP_SQL = (
    "SET LOCAL synchronous_commit = off; "
    "UPDATE {table} SET value = value + 1 WHERE id = 1"
)


def bump_without_waiting_for_disk() -> bool:
    """PostgreSQL, outside any transaction: raise the version in one round trip whose
    commit does not wait for the disk (False: not done here, do it the plain way).

    Waiting for the disk is nearly the whole cost of a bump (4 ms at the median on
    the benchmark's machine; docs/benchmarks.md "Summary upkeep per save"). What is
    given up: after a crash of the database server, the bumps of its last moments
    may be lost, and the version may even count the same numbers again. Pages cached
    under those numbers then show what was on the portal before the lost bump until
    they expire (``PORTAL_CACHE_SECONDS``, every cached page and part expires): a
    stale page for a bounded time. The change itself was committed, durably, by its
    own transaction before the bump. Inside a transaction the SET LOCAL would make
    that transaction's commit asynchronous too, so there the plain path runs.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if (
        connection.vendor != "postgresql"
        or connection.in_atomic_block
        or not connection.get_autocommit()
    ):
        return False
    table = connection.ops.quote_name(PortalContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_BUMP_SQL.format(table=table))
        cursor.nextset()  # the UPDATE's result
        return cursor.rowcount == 1
