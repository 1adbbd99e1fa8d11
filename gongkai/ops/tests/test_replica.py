"""Issue 23, requirement 6: public reads on a PostgreSQL streaming replica, writes and
read-your-writes on the primary.

The real test builds a primary with ``pg_createcluster`` on a free port, copies the
session's test schema into it, makes a streaming replica of it with
``pg_basebackup -R`` and runs ``replica_scenario.py`` in a process configured with
``DATABASE_URL`` and ``DATABASE_REPLICA_URL``. Both clusters are removed afterwards.
It needs PostgreSQL (``DATABASE_URL``), Debian's postgresql-common and root; the
router's decisions are also tested without a database below.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import RequestFactory

from gongkai.ops.replica import (
    PIN_COOKIE,
    ReplicaMiddleware,
    ReplicaRouter,
    replica_alias,
)

REPO = Path(__file__).resolve().parents[3]

# ------------------------------------------------------------ the router's decisions


@pytest.fixture(autouse=True)
def _replica_answers(monkeypatch):
    # The router's decisions below assume a reachable replica (its connection is
    # opened by the middleware; test_replica_down.py covers one that is down).
    from gongkai.ops import replica

    monkeypatch.setattr(replica, "replica_available", lambda: bool(replica_alias()))


def _routed(settings, path: str, method: str = "get", cookies=None, model=None):
    """Where a read of ``model`` made inside a request for ``path`` goes."""
    from gongkai.publishing.models import Publication

    settings.READ_REPLICA_ALIAS = "replica"
    seen: list[str | None] = []

    def view(request):
        from django.http import HttpResponse

        seen.append(ReplicaRouter().db_for_read(model or Publication))
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies or {})
    response = ReplicaMiddleware(view)(request)
    return seen[0], response


def test_public_reads_go_to_the_replica(settings):
    assert _routed(settings, "/gk/3/")[0] == "replica"
    assert _routed(settings, "/gk/3/search/")[0] == "replica"


@pytest.mark.parametrize(
    "path",
    ["/", "/office/requests/", "/admin/", "/api/v1/x", "/gk/me/", "/gk/status/",
     "/gk/download/abc/", "/gk/rate/X1/", "/gk/3/apply/", "/gk/3/apply/done/"],
)  # fmt: skip
def test_staff_and_personal_pages_read_the_primary(settings, path):
    assert _routed(settings, path)[0] is None  # None: Django's default, the primary


def test_private_tables_are_never_read_on_the_replica(settings):
    from gongkai.accounts.models import User
    from gongkai.inforequests.models import InfoRequest

    assert _routed(settings, "/gk/3/", model=User)[0] is None
    assert _routed(settings, "/gk/3/", model=InfoRequest)[0] is None


def test_after_a_post_the_browser_is_pinned_to_the_primary(settings):
    settings.REPLICA_PIN_SECONDS = 15
    where, response = _routed(settings, "/gk/3/feedback/", method="post")
    assert where is None
    until = int(response.cookies[PIN_COOKIE].value)
    assert until >= time.time() + 14
    assert _routed(settings, "/gk/3/", cookies={PIN_COOKIE: str(until)})[0] is None
    past = str(int(time.time()) - 1)
    assert _routed(settings, "/gk/3/", cookies={PIN_COOKIE: past})[0] == "replica"
    assert _routed(settings, "/gk/3/", cookies={PIN_COOKIE: "junk"})[0] == "replica"


def test_a_write_in_the_request_pins_its_later_reads(settings):
    from gongkai.publishing.models import Publication

    settings.READ_REPLICA_ALIAS = "replica"
    router = ReplicaRouter()
    seen = []

    def view(request):
        from django.http import HttpResponse

        seen.append(router.db_for_read(Publication))
        assert router.db_for_write(Publication) == "default"
        seen.append(router.db_for_read(Publication))
        return HttpResponse("ok")

    ReplicaMiddleware(view)(RequestFactory().get("/gk/3/"))
    assert seen == ["replica", None]


def test_without_a_replica_nothing_is_routed(settings):
    settings.READ_REPLICA_ALIAS = ""
    from gongkai.publishing.models import Publication

    assert ReplicaRouter().db_for_read(Publication) is None
    assert ReplicaRouter().allow_migrate("replica", "publishing") is None
    settings.READ_REPLICA_ALIAS = "replica"
    assert ReplicaRouter().allow_migrate("replica", "publishing") is False
    assert ReplicaRouter().allow_migrate("default", "publishing") is None
    # outside a request (commands, the task worker): the primary
    assert ReplicaRouter().db_for_read(Publication) is None


def test_a_view_that_fails_on_the_replica_is_answered_from_the_primary(
    settings, monkeypatch
) -> None:
    """The replica answered the probe and then failed inside the view."""
    from django.db import OperationalError
    from django.http import HttpResponse
    from django.urls import resolve

    from gongkai.ops import replica
    from gongkai.publishing.models import Publication

    settings.READ_REPLICA_ALIAS = "replica"
    monkeypatch.setattr(replica, "_down_until", 0.0)
    calls: list[str | None] = []

    def view(request, *args, **kwargs):
        where = replica.ReplicaRouter().db_for_read(Publication)
        calls.append(where)
        if where == "replica":
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("from the primary")

    request = RequestFactory().get("/gk/")
    match = resolve("/gk/")
    match.func = view
    request.resolver_match = match
    middleware = replica.ReplicaMiddleware(lambda r: HttpResponse())
    token = replica._state.set(replica._State(lag_tolerant=True))
    try:
        with pytest.raises(OperationalError):
            view(request)
        answer = middleware.process_exception(
            request, OperationalError("server closed the connection unexpectedly")
        )
    finally:
        replica._state.reset(token)
    assert answer is not None and answer.content == b"from the primary"
    assert calls == ["replica", None]
    assert replica._down_until > 0  # left alone for REPLICA_RETRY_SECONDS


# ------------------------------------------------------- a real streaming replica


def _free_port(start: int = 5433) -> int:
    for port in range(start, start + 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port for a PostgreSQL cluster")


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, check=True, capture_output=True, text=True, **kwargs
    )  # fixed argument lists, no shell


def _wait_for(port: int) -> None:
    for _ in range(300):
        if (
            subprocess.run(
                ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)],
                check=False,
            ).returncode
            == 0
        ):
            return
        time.sleep(0.1)
    raise AssertionError(f"PostgreSQL on port {port} did not start")


@pytest.fixture
def replica_pair(db) -> Iterator[tuple[str, str]]:
    """(primary URL, replica URL) of two throwaway clusters holding the test schema."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")
    for tool in ("pg_createcluster", "pg_dropcluster", "pg_basebackup", "pg_dump"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not found (Debian's postgresql-common)")
    if os.geteuid() != 0:
        pytest.skip("pg_createcluster needs root")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        version = str(int(cursor.fetchone()[0]) // 10000)
    # the session's test database (its schema is committed; this test adds no rows)
    source = dict(connection.settings_dict)
    bindir = f"/usr/lib/postgresql/{version}/bin"  # Debian's layout
    if not Path(bindir, "pg_ctl").exists():
        pytest.skip(f"{bindir}/pg_ctl not found")
    name = f"gk_test_primary_{os.getpid()}"
    primary_port = _free_port()
    replica_port = _free_port(primary_port + 1)
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-replica-"))
    shutil.chown(workdir, "postgres")
    replica_dir = workdir / "data"
    as_postgres = ["runuser", "-u", "postgres", "--"]
    try:
        _run(
            [
                "pg_createcluster",
                version,
                name,
                "-p",
                str(primary_port),
                "--start",
                "-o",
                "fsync=off",
                "--",
                "--auth=trust",
                "--no-sync",
            ]
        )
        _wait_for(primary_port)
        primary = f"postgres://postgres@127.0.0.1:{primary_port}"
        _run(["psql", f"{primary}/postgres", "-qc", "CREATE DATABASE gongkai"])
        source_env = dict(os.environ)
        if source.get("PASSWORD"):
            source_env["PGPASSWORD"] = str(source["PASSWORD"])
        dump = _run(
            [
                "pg_dump",
                "--no-owner",
                "--no-privileges",
                "-h",
                str(source.get("HOST") or "127.0.0.1"),
                "-p",
                str(source.get("PORT") or 5432),
                "-U",
                str(source.get("USER") or "postgres"),
                "-d",
                str(source["NAME"]),
            ],
            env=source_env,
        ).stdout
        _run(["psql", f"{primary}/gongkai", "-q", "-v", "ON_ERROR_STOP=1"], input=dump)
        # The replica: a base backup with standby.signal and primary_conninfo (-R).
        _run(
            [
                *as_postgres,
                "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(primary_port),
                "-U",
                "postgres",
                "-D",
                str(replica_dir),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync",
            ]
        )
        # Debian keeps a cluster's configuration in /etc: the copy brings none.
        (replica_dir / "postgresql.conf").write_text(
            f"port = {replica_port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{workdir}'\nhot_standby = on\nfsync = off\n"
        )
        (replica_dir / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        (replica_dir / "pg_ident.conf").write_text("")
        for conf in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.chown(replica_dir / conf, "postgres")
        _run(
            [
                *as_postgres,
                f"{bindir}/pg_ctl",
                "-D",
                str(replica_dir),
                "-l",
                str(workdir / "replica.log"),
                "-w",
                "start",
            ]
        )
        _wait_for(replica_port)
        yield (
            f"{primary}/gongkai",
            f"postgres://postgres@127.0.0.1:{replica_port}/gongkai",
        )
    finally:
        if (replica_dir / "postmaster.pid").exists():
            subprocess.run(
                [
                    *as_postgres,
                    f"{bindir}/pg_ctl",
                    "-D",
                    str(replica_dir),
                    "-m",
                    "immediate",
                    "stop",
                ],
                check=False,
                capture_output=True,
            )
        # An immediate stop: nothing in this throwaway cluster needs a checkpoint.
        subprocess.run(
            ["pg_ctlcluster", version, name, "stop", "-m", "immediate"],
            check=False,
            capture_output=True,
        )
        subprocess.run(
            ["pg_dropcluster", "--stop", version, name],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def test_reads_on_a_real_streaming_replica_writes_and_pinned_reads_on_the_primary(
    replica_pair, tmp_path
):
    primary, replica = replica_pair
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("REDIS_URL", "GONGKAI_TASKS_BACKEND", "DJANGO_"))
    }
    env.update(
        DATABASE_URL=primary,
        DATABASE_REPLICA_URL=replica,
        GONGKAI_VAR_DIR=str(tmp_path),
        GONGKAI_PORTAL_CACHE_SECONDS="0",
        GONGKAI_REPLICA_PIN_SECONDS="60",
    )
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.ops.tests.replica_scenario"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])

    # The two connections really are a primary and a hot standby.
    assert out["default_in_recovery"] is False
    assert out["replica_in_recovery"] is True
    # A visitor's public page reads the public tables on the replica only.
    page = out["anonymous_page"]
    assert page["status"] == 200
    assert page["public_reads"] == ["replica"]
    assert page["writes"] == []
    # So does the search, its full-text query included.
    assert out["search"]["status"] == 200
    assert out["search"]["public_reads"] == ["replica"]
    assert out["search_fulltext_on"] == ["replica"]
    # The back office never touches the replica.
    office = out["staff_office"]
    assert office["status"] == 200
    assert office["replica_statements"] == 0
    # A visitor's write goes to the primary, and pins the browser there …
    post = out["feedback_post"]
    assert post["status"] == 302
    assert post["writes"] == ["default"]
    assert post["replica_statements"] == 0
    assert out["pin_cookie_set"] is True
    after = out["page_after_post"]
    assert after["status"] == 200
    assert after["public_reads"] == ["default"]
    assert after["replica_statements"] == 0
    # … until the pin runs out; then back on the replica.
    assert out["page_after_pin"]["public_reads"] == ["replica"]
    # And the write reached the replica by streaming replication.
    assert out["feedback_rows_on_replica"] == 1
