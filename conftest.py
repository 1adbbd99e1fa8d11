from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Tests never fail on timing: Hypothesis's per-example deadline and its "too slow"
# health check measure the machine, and CI's two cores run several workers at once.
settings.register_profile(
    "gongkai", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("gongkai")

# Imports of Django code stay inside fixtures: the pure-core tests run without
# Django configured (``pytest -p no:django gongkai/core``).


@dataclass
class Tree:
    """district → {street → {community_a, community_b}, sibling_street}, plus one user per role."""

    district: Any
    street: Any
    community_a: Any
    community_b: Any
    sibling_street: Any
    officer: Any
    head: Any
    leader: Any
    liaison_a: Any
    liaison_b: Any
    supervisor: Any
    street_supervisor: Any
    sysadmin: Any
    secadmin: Any
    auditor: Any


@pytest.fixture
def tree(db: None) -> Tree:
    from gongkai.orgs.tests.factories import make_org, make_user

    district = make_org("测试区人民政府", kind="district")
    street = make_org("测试街道办事处", district)
    community_a = make_org("甲社区居民委员会", street, kind="community")
    community_b = make_org("乙社区居民委员会", street, kind="community")
    sibling = make_org("邻近街道办事处", district)
    return Tree(
        district=district,
        street=street,
        community_a=community_a,
        community_b=community_b,
        sibling_street=sibling,
        officer=make_user("t_officer", street, "officer"),
        head=make_user("t_head", street, "head"),
        leader=make_user("t_leader", street, "leader"),
        liaison_a=make_user("t_liaison_a", community_a, "liaison"),
        liaison_b=make_user("t_liaison_b", community_b, "liaison"),
        supervisor=make_user("t_supervisor", district, "supervisor"),
        street_supervisor=make_user("t_street_supervisor", street, "supervisor"),
        sysadmin=make_user("t_sysadmin", district, "sysadmin", is_staff=True),
        secadmin=make_user("t_secadmin", district, "secadmin", is_staff=True),
        auditor=make_user("t_auditor", district, "auditor", is_staff=True),
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(request: pytest.FixtureRequest) -> None:
    """Tests create many users; a fast hasher keeps the suite quick (never in production)."""
    if "settings" not in request.fixturenames and not request.node.get_closest_marker(
        "django_db"
    ):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The database rolls back after each test; caches built from it must too.
    from tests.demo_snapshot import forget_database_caches

    forget_database_caches()


def _uses_db(request: pytest.FixtureRequest) -> bool:
    return _item_uses_db(request.node)


_DB_FIXTURES = frozenset({"db", "transactional_db", "live_server"})


def _item_uses_db(item: Any) -> bool:
    return bool(
        item.get_closest_marker("django_db")
        or _DB_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that never opens the configured database (the pure core, checks of
    files, commands run against a database of their own) gives the same answer
    whatever DATABASE_URL says: it is marked ``once``, and CI's PostgreSQL pass
    leaves it out. A test that reads DATABASE_URL itself says so
    (``reads_database_url``) and runs in both passes."""
    for item in items:
        if not _item_uses_db(item) and not item.get_closest_marker(
            "reads_database_url"
        ):
            item.add_marker(pytest.mark.once)


@pytest.fixture(scope="session", autouse=True)
def _search_index_emptied_with_the_tables() -> None:
    """Emptying the database after a transactional test (Django's ``flush``) does not
    know SQLite's FTS5 index; its rows would outlive their documents. ``flush`` ends
    with ``post_migrate``, so the index follows there."""
    from django.conf import settings

    if not settings.configured:  # the pure core runs without Django
        return
    from django.db.models.signals import post_migrate

    post_migrate.connect(
        _drop_search_rows_a_flush_left, dispatch_uid="tests-search-follows-flush"
    )


def _drop_search_rows_a_flush_left(using: str = "default", **_: Any) -> None:
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    from django.db import DatabaseError

    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM search_fts WHERE rowid NOT IN"
                " (SELECT id FROM search_searchdocument))"
            )
            stale = cursor.fetchone()[0]
        if stale:  # (the FTS5 table holds no copy to delete its rows by)
            from gongkai.search.services import fts5_rewrite

            fts5_rewrite(using)
    except DatabaseError:  # a test database migrated back before the index
        pass


@pytest.fixture(autouse=True)
def _demo_from_snapshot(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``call_command("load_demo")`` in a test builds the demo once per session and
    restores it from a copy afterwards (tests/demo_snapshot.py explains when)."""
    if not _uses_db(request):
        return
    from gongkai.demo import loaders
    from gongkai.demo.management.commands import load_demo as command
    from tests.demo_snapshot import snapshotting

    monkeypatch.setattr(command, "load_demo", snapshotting(loaders.load_demo))
