"""The Redis database the tests may use: GONGKAI_TEST_REDIS_URL (default
redis://127.0.0.1:6379/14, and one database lower for each further pytest-xdist
worker down to 1, so up to 14 parallel workers never flush each other's; database 0,
where a developer's own Redis data usually lives, is never used; a configured URL is
used by every worker as given, so set it only for a single-process run). A test flushes it only when
it is empty or carries the tests' own mark — never a database that holds something
else."""

from __future__ import annotations

import os

import pytest
import redis

TEST_MARK = "gongkai:test-database"


def test_redis_url() -> str:
    configured = os.environ.get("GONGKAI_TEST_REDIS_URL")
    if configured:
        return configured
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # gw0, gw1, …
    number = int(worker.removeprefix("gw"))
    return f"redis://127.0.0.1:6379/{14 - number % 14}"


test_redis_url.__test__ = False  # type: ignore[attr-defined]  # not a test itself


def take_test_redis() -> str:
    """The URL of the tests' Redis database, emptied; skips the test if Redis is
    down or the database holds data the tests did not put there."""
    url = test_redis_url()
    try:
        connection = redis.Redis.from_url(url, socket_connect_timeout=2)
        connection.ping()
    except redis.RedisError:
        pytest.skip(f"Redis {url} is not running")
    if connection.dbsize() and not connection.exists(TEST_MARK):
        pytest.skip(
            f"Redis {url} holds data the tests did not write; not touched. "
            "Set GONGKAI_TEST_REDIS_URL to an empty database."
        )
    connection.flushdb()
    connection.set(TEST_MARK, "1")
    return url
