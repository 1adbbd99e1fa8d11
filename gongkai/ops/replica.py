"""Reads that tolerate lag go to a PostgreSQL streaming replica (issue 23, req. 6).

With ``DATABASE_REPLICA_URL`` set, the settings add the database alias ``replica``
and this router. A read goes to the replica only when all of these hold:

* the request is a GET/HEAD of a public portal page (``/gk/…``, search included)
  that shows no one's own data: not 我的申请, the status page, downloads, ratings
  or the application form (``PRIMARY_PATHS``);
* the model belongs to the public content (``REPLICA_APPS``): sessions, accounts,
  applications, idempotency keys and the audit log are always read on the primary;
* nothing has been written in this request, and no transaction is open on the
  primary (a read inside one must see it);
* the browser did not send an unsafe request (POST …) in the last
  ``GONGKAI_REPLICA_PIN_SECONDS`` (cookie ``gk_primary``): whoever has just
  written reads their own writes, on the primary, until the replica has caught up.

Everything else — the back office, the admin, the API, management commands, the
task worker — reads and writes on the primary. Writes always go to the primary
(the replica is read-only; it has no migrations of its own).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "gk_primary"
# Apps whose tables the public pages read and that tolerate a few seconds of lag.
REPLICA_APPS = frozenset(
    {
        "publishing",
        "orgs",
        "reports",
        "search",
        "portal",
        "feedback",
        "appeals",
        "calendars",
        "engagement",
    }
)
PUBLIC_PREFIX = "/gk/"
# Public pages that show a person's own, just-written data: always the primary.
PRIMARY_PATHS = ("/gk/me/", "/gk/status/", "/gk/download/", "/gk/rate/")
PRIMARY_SEGMENTS = ("/apply/",)
SAFE_METHODS = ("GET", "HEAD")


@dataclass
class _State:
    lag_tolerant: bool
    wrote: bool = False


_state: ContextVar[_State | None] = ContextVar("gongkai_replica_state", default=None)


def replica_alias() -> str:
    """The replica's alias, or "" when none is configured."""
    return str(getattr(settings, "READ_REPLICA_ALIAS", "") or "")


def lag_tolerant(request: HttpRequest, now: float | None = None) -> bool:
    """May this request's public reads come from the replica?"""
    if request.method not in SAFE_METHODS:
        return False
    path = request.path
    if not path.startswith(PUBLIC_PREFIX) or path.startswith(PRIMARY_PATHS):
        return False
    if any(segment in path for segment in PRIMARY_SEGMENTS):
        return False
    return not pinned(request, now)


def pinned(request: HttpRequest, now: float | None = None) -> bool:
    """True while the browser's last unsafe request is younger than the pin window."""
    raw = request.COOKIES.get(PIN_COOKIE, "")
    try:
        until = float(raw)
    except ValueError:
        return False
    now = time.time() if now is None else now
    # A forged far-future value only sends its sender's own reads to the primary.
    return now < until


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module docstring."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        alias = replica_alias()
        state = _state.get()
        if not alias or state is None or not state.lag_tolerant or state.wrote:
            return None
        if model._meta.app_label not in REPLICA_APPS:
            return None
        if connections["default"].in_atomic_block:
            return None
        return alias

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        if not replica_alias():
            return None
        state = _state.get()
        if state is not None:
            state.wrote = True  # read-your-writes for the rest of the request
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: objects from both may relate.
        alias = replica_alias()
        if alias and {obj1._state.db, obj2._state.db} <= {"default", alias}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        alias = replica_alias()
        if alias and db == alias:
            return False  # it replays the primary's WAL
        return None


class ReplicaMiddleware:
    """Marks each request lag-tolerant or not, and pins a browser to the primary for
    ``REPLICA_PIN_SECONDS`` after it sent an unsafe request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_alias():
            return self.get_response(request)
        token = _state.set(_State(lag_tolerant=lag_tolerant(request)))
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if request.method not in SAFE_METHODS:
            seconds = int(getattr(settings, "REPLICA_PIN_SECONDS", 15))
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds + 1),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
            )
        return response
