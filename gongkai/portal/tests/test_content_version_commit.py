"""On PostgreSQL the content version is raised without waiting for the disk (a bump
lost in a crash only leaves cached pages until they expire, portal/cache.py), and a
bump never makes the commit of another transaction asynchronous."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gongkai.portal.cache import bump_content_version, content_version, memo
from gongkai.portal.models import PortalContentVersion

# Outside any transaction, as after a commit in the portal (on_commit).
pytestmark = pytest.mark.django_db(transaction=True)


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return str(cursor.fetchone()[0])


def test_a_bump_after_a_commit_does_not_wait_for_the_disk_and_one_inside_does():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite commits in this process; no commit waits for a server")
    PortalContentVersion.objects.get_or_create(pk=1, defaults={"value": 5})
    memo.forget_version()
    before = content_version()
    with CaptureQueriesContext(connection) as ctx:
        bump_content_version()
    assert content_version() == before + 1
    bumps = [
        q["sql"] for q in ctx.captured_queries if "portalcontentversion" in q["sql"]
    ]
    assert len(bumps) == 1 and "synchronous_commit = off" in bumps[0]
    assert synchronous_commit() == "on"  # for that one transaction only
    # Inside a transaction the bump commits with it, as that transaction asks.
    with transaction.atomic():
        bump_content_version()
        assert synchronous_commit() == "on"
    assert content_version() == before + 2
