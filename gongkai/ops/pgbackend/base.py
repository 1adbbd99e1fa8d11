"""PostgreSQL as Django has it, with a health check that costs no round trip.

Before a request reuses a persistent connection, Django checks it
(``CONN_HEALTH_CHECKS``) by sending ``SELECT 1``: a round trip on every request that
reads the database — a tenth of a portal page served on a cache miss (issue 24).

A connection the server has closed (a restart, ``pg_terminate_backend``, an idle
timeout) has something to read on its socket — the server's FATAL notice, then end
of file — while a healthy idle connection has nothing: so an idle connection is
checked by polling its socket, without a query. A connection that is not idle
(inside a transaction; never the case between requests under autocommit) is checked
as Django checks it. Something unasked on an idle connection that is not a closing
(a rare asynchronous notice) only costs a new connection.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or conn.broken:
            return False
        if conn.info.transaction_status != TransactionStatus.IDLE:
            return bool(super().is_usable())
        return not _has_unread_data(conn.fileno())


def _has_unread_data(fd: int) -> bool:
    """Whether the socket has data, an end of file or an error waiting (poll: a
    descriptor past 1024 is fine, unlike select.select)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))
