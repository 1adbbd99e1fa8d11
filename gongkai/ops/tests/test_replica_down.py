"""A configured read replica that is down: /healthz says so (a warning, the process
stays in service), and the public pages read on the primary instead of failing.

The replica is a PostgreSQL alias on a closed local port, so its connection is
refused at once; the primary is the test database of the run."""

from __future__ import annotations

import socket

import pytest
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper
from django.http import HttpResponse
from django.test import Client, RequestFactory

from gongkai.ops import replica
from gongkai.ops.scheduler import job_run

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


@pytest.fixture
def dead_replica(settings, monkeypatch):
    config = {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": str(_closed_port()),
        "NAME": "gongkai",
        "USER": "gongkai",
        "PASSWORD": "unused",
        "OPTIONS": {"connect_timeout": 2},
    }
    configured = connections.configure_settings(
        {"default": connections.settings["default"], "replica": config}
    )["replica"]
    # A connection of this thread only, outside DATABASES: the test case lets it
    # connect (it would refuse an alias of the settings it does not set up).
    connections["replica"] = DatabaseWrapper(configured, alias="replica")
    settings.READ_REPLICA_ALIAS = "replica"
    monkeypatch.setattr(replica, "_down_until", 0.0)
    yield "replica"
    del connections["replica"]


def _checks(response) -> dict[str, str]:
    return {name.split("(")[0]: value for name, value in response.json().items()}


def test_healthz_reports_a_replica_that_is_down(dead_replica) -> None:
    job_run("publish_scheduled")  # the scheduler has run: the rest is healthy
    answer = Client().get("/healthz")
    checks = _checks(answer)
    assert "只读副本无法连接" in checks["ReadReplica"], checks
    # Reads fall back to the primary, so the process stays in service.
    assert answer.status_code == 200
    assert {v for k, v in checks.items() if k != "ReadReplica"} == {"OK"}


def test_healthz_lists_no_replica_when_none_is_configured(settings) -> None:
    settings.READ_REPLICA_ALIAS = ""
    job_run("publish_scheduled")
    answer = Client().get("/healthz")
    assert answer.status_code == 200
    assert "ReadReplica" not in _checks(answer)


def test_public_reads_go_to_the_primary_while_the_replica_is_down(
    dead_replica,
) -> None:
    from gongkai.publishing.models import Publication

    seen: list[str | None] = []

    def view(request):
        seen.append(replica.ReplicaRouter().db_for_read(Publication))
        return HttpResponse("ok")

    middleware = replica.ReplicaMiddleware(view)
    middleware(RequestFactory().get("/gk/3/"))
    assert seen == [None]  # None: Django's default, the primary
    # The failure is remembered: the next request does not try to connect again.
    tries: list[int] = []
    original = connections["replica"].ensure_connection

    def counting() -> None:
        tries.append(1)
        original()

    connections["replica"].ensure_connection = counting  # type: ignore[method-assign]
    middleware(RequestFactory().get("/gk/3/"))
    assert seen == [None, None]
    assert tries == []
