"""Run by test_replica.py in a separate process whose settings point at a real
primary (DATABASE_URL) and streaming replica (DATABASE_REPLICA_URL).

Prints one JSON object: for each step, which connection ran the statements on the
public tables, and what ``pg_is_in_recovery()`` says on each connection. The test
holds the expectations; this script only observes.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
django.setup()

from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from gongkai.ops.replica import PIN_COOKIE  # noqa: E402
from gongkai.orgs.tests.factories import make_org, make_user  # noqa: E402

PUBLIC_TABLES = ('"orgs_', '"publishing_', '"feedback_', "search_searchdocument")
log: list[tuple[str, str]] = []


def recorder(alias: str) -> Callable[..., Any]:
    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        log.append((alias, sql))
        return execute(sql, params, many, context)

    return wrapper


def step(name: str, run: Callable[[], int], out: dict[str, Any]) -> None:
    log.clear()
    status = run()
    public = [(a, s) for a, s in log if any(t in s for t in PUBLIC_TABLES)]
    out[name] = {
        "status": status,
        "public_reads": sorted(
            {a for a, s in public if s.lstrip().upper().startswith("SELECT")}
        ),
        "writes": sorted(
            {
                a
                for a, s in log
                if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            }
        ),
        "replica_statements": sum(1 for a, _ in log if a == "replica"),
    }


def caught_up() -> None:
    """Wait until the replica has replayed everything the primary wrote."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    for _ in range(600):
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise SystemExit("the replica did not catch up within 30 s")


def main() -> None:
    out: dict[str, Any] = {}
    for alias in ("default", "replica"):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            out[f"{alias}_in_recovery"] = cursor.fetchone()[0]

    org = make_org("副本测试街道办事处")
    officer = make_user("replica_officer", org, "officer")
    caught_up()

    public = f"/gk/{org.pk}/"
    dashboard = reverse("backoffice:dashboard")
    visitor = Client()
    staff = Client()
    staff.force_login(officer)
    with (
        connections["default"].execute_wrapper(recorder("default")),
        connections["replica"].execute_wrapper(recorder("replica")),
    ):
        step("anonymous_page", lambda: visitor.get(public).status_code, out)
        step(
            "search",
            lambda: visitor.get(f"/gk/{org.pk}/search/", {"q": "通知"}).status_code,
            out,
        )
        out["search_fulltext_on"] = sorted({a for a, sql in log if "@@" in sql})
        step("staff_office", lambda: staff.get(dashboard).status_code, out)
        step(
            "feedback_post",
            lambda: (
                visitor.post(
                    f"/gk/{org.pk}/feedback/", {"useful": "1", "next": public}
                ).status_code
            ),
            out,
        )
        out["pin_cookie_set"] = PIN_COOKIE in visitor.cookies
        step("page_after_post", lambda: visitor.get(public).status_code, out)
        # The pin window has passed (the cookie's deadline is in the past).
        visitor.cookies[PIN_COOKIE] = str(int(time.time()) - 1)
        step("page_after_pin", lambda: visitor.get(public).status_code, out)
    caught_up()
    with connections["replica"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM feedback_feedback WHERE organisation_id = %s",
            [org.pk],
        )
        out["feedback_rows_on_replica"] = cursor.fetchone()[0]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
