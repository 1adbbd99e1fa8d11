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

If the replica cannot be reached, the public reads go to the primary: the
middleware opens the replica's connection before it lets a request read there, and
after a failure (there, or a database error in a view that read on the replica,
which is then run again on the primary) leaves the replica alone for
``REPLICA_RETRY_SECONDS``. /healthz reports the replica as a warning
(``gongkai.ops.health.ReadReplica``).

Everything else — the back office, the admin, the API, management commands, the
task worker — reads and writes on the primary. Writes always go to the primary
(the replica is read-only; it has no migrations of its own).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

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
# After the replica failed, public reads stay on the primary this long.
REPLICA_RETRY_SECONDS = 30


@dataclass
class _State:
    lag_tolerant: bool
    wrote: bool = False
    read_replica: bool = False


_state: ContextVar[_State | None] = ContextVar("gongkai_replica_state", default=None)
_down_until = 0.0  # per process: until then the replica is not asked


def replica_failed(now: float | None = None) -> None:
    """Leave the replica alone for ``REPLICA_RETRY_SECONDS`` (reads on the primary)."""
    global _down_until
    _down_until = (time.time() if now is None else now) + REPLICA_RETRY_SECONDS


def replica_available(now: float | None = None) -> bool:
    """Is the replica configured, not recently failed, and can its connection open?"""
    alias = replica_alias()
    if not alias:
        return False
    now = time.time() if now is None else now
    if now < _down_until:
        return False
    try:
        connections[alias].ensure_connection()
    except DatabaseError:
        logger.warning("read replica unreachable; public reads on the primary")
        replica_failed(now)
        return False
    return True


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
        state.read_replica = True
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
        tolerant = lag_tolerant(request) and replica_available()
        token = _state.set(_State(lag_tolerant=tolerant))
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

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        """A database error in a view that read on the replica: mark the replica
        failed and answer the (safe, read-only) request again from the primary."""
        state = _state.get()
        if state is None or not state.read_replica:
            return None
        if not isinstance(exception, DatabaseError):
            return None
        replica_failed()
        match = request.resolver_match
        if match is None or request.method not in SAFE_METHODS:
            return None
        logger.warning(
            "read replica failed during %s; answered from the primary", request.path
        )
        state.lag_tolerant = False
        state.read_replica = False
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        return response
