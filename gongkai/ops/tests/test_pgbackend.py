"""The PostgreSQL health check without a round trip (gongkai/ops/pgbackend): a
connection the server closed is found unusable and replaced before a request uses
it; a healthy idle one is found usable without sending anything."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's own health check"
    ),
]


@pytest.fixture(autouse=True)
def _fresh_connection_after():
    """The test database's flush after each test needs a live connection."""
    yield
    if connection.connection is not None and not connection.is_usable():
        connection.close()


def _terminate_from_outside(pid: int) -> None:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _wait_unusable(seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not connection.is_usable():
            return True
        time.sleep(0.02)
    return False


def test_settings_use_the_backend():
    assert type(connections["default"]).__module__ == "gongkai.ops.pgbackend.base"


def test_a_healthy_idle_connection_is_usable_without_a_query(monkeypatch):
    connection.ensure_connection()
    raw = connection.connection

    def no_round_trip(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(raw, "execute", no_round_trip)
    assert connection.is_usable()


def test_a_connection_the_server_closed_is_unusable():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    _terminate_from_outside(pid)
    assert _wait_unusable()


def test_a_connection_the_server_closed_is_replaced_at_the_next_request():
    """What CONN_HEALTH_CHECKS is for: a persistent connection killed between two
    requests is replaced before the next request's first query, which succeeds.
    (The test client keeps connections across requests, so the start of a request
    is called as Django's request_started handler calls it.)"""
    saved = dict(connection.settings_dict)
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    try:
        connection.close()
        connection.ensure_connection()  # persistent, health-checked
        old_pid = connection.connection.info.backend_pid
        _terminate_from_outside(old_pid)
        assert _wait_unusable()
        connection.close_if_unusable_or_obsolete()  # django.db.close_old_connections
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != old_pid
    finally:
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
