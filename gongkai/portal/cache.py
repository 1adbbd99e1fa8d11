"""Whole-page caching of the portal's public pages for anonymous visitors.

List and detail pages should serve at least half the requests per second of a bare
Django view (measured in docs/benchmarks.md). Rendering a page costs several queries and a full template, so
anonymous GETs of the column's pages are served from the cache (Redis on the scale
profile, the process's memory on the embedded one), keyed by:

* a content version kept in the database (``PortalContentVersion``), raised when a
  change to what the portal shows commits (publications, catalogue,
  organisations (a move of a subtree too) and their guide, annual reports,
  feedback, surveys). A change is
  visible on the next request in the process that made it and within
  ``VERSION_RECHECK_SECONDS`` (2 s) in every other;
* the page's full path with its query string, and the 适老化 cookie.

Not cached: anyone with a session (signed-in staff, an applicant tracking a case),
a pending flash message, any response that is not a plain 200 or that sets a
cookie. Entries also expire after ``PORTAL_CACHE_SECONDS`` (a bound on anything that
changes without a save, such as a publication whose scheduled time arrives).
The pages hold no CSRF token and no CSP nonce, so one copy serves everyone.

A page that is not in the cache (a rarely read item, page 37 of a list) is still
mostly the same as its neighbours: the body, its breadcrumb and navigation, the
topics of its list and how many items the list has. ``body_part`` keeps such
parts, under the same content version and for the same anonymous requests, in
this process's memory, so a miss renders only what is its own (issue 24).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

from gongkai.orgs.signals import subtree_moved
from gongkai.portal.models import PortalContentVersion
from gongkai.portal.versionbump import bump_without_waiting_for_disk

ELDERLY_COOKIE = "gk_elderly"
CACHE_HEADER = "X-Gongkai-Cache"
# Apps whose records appear on public pages: a save or delete there raises the version…
PUBLIC_APPS = frozenset({"publishing", "orgs", "reports", "feedback", "appeals"})
# …except bookkeeping no public page shows (the outbox drain saves a delivery row per
# channel; letting each one empty the cache would only cost hits).
PRIVATE_MODELS = frozenset(
    {
        "publishing.channeldelivery",
        "publishing.publicationevent",
        "orgs.membership",
        "feedback.surveyresponse",
        "reports.reportimportjob",
    }
)


T = TypeVar("T")


class _ProcessMemo:
    """This process's copy of the content version, of recently served pages and of
    the parts pages of one body share.

    The version is re-read from the database at most every ``VERSION_RECHECK_SECONDS``
    (a change made in another process shows within that time), and at once after a
    change made in this process. Pages are kept in a small LRU in front of the shared
    cache, so a hit costs neither a database nor a cache round trip. Parts are kept
    in another LRU, keyed by the content version among the rest (``body_part``).
    """

    def __init__(self, max_pages: int = 512, max_parts: int = 4096) -> None:
        self.lock = threading.Lock()
        self.version: tuple[float, int] | None = None  # (read at, value)
        self.pages: OrderedDict[str, tuple[float, bytes, str]] = OrderedDict()
        self.max_pages = max_pages
        self.parts: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
        self.max_parts = max_parts

    def forget_version(self) -> None:
        with self.lock:
            self.version = None

    def page(self, key: str) -> tuple[bytes, str] | None:
        with self.lock:
            found = self.pages.get(key)
            if found is None or found[0] < time.monotonic():
                return None
            self.pages.move_to_end(key)
            return found[1], found[2]

    def keep(self, key: str, content: bytes, content_type: str, seconds: int) -> None:
        with self.lock:
            self.pages[key] = (time.monotonic() + seconds, content, content_type)
            self.pages.move_to_end(key)
            while len(self.pages) > self.max_pages:
                self.pages.popitem(last=False)

    def part(self, key: tuple[Any, ...]) -> tuple[bool, Any]:
        with self.lock:
            found = self.parts.get(key)
            if found is None or found[0] < time.monotonic():
                return False, None
            self.parts.move_to_end(key)
            return True, found[1]

    def keep_part(self, key: tuple[Any, ...], value: Any, seconds: int) -> None:
        with self.lock:
            self.parts[key] = (time.monotonic() + seconds, value)
            self.parts.move_to_end(key)
            while len(self.parts) > self.max_parts:
                self.parts.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.version = None
            self.pages.clear()
            self.parts.clear()


memo = _ProcessMemo()
VERSION_RECHECK_SECONDS = 2.0


def content_version() -> int:
    now = time.monotonic()
    known = memo.version
    if known is not None and now - known[0] < VERSION_RECHECK_SECONDS:
        return known[1]
    rows = PortalContentVersion.objects.filter(pk=1).values_list("value", flat=True)
    value = next(iter(rows), 0)
    with memo.lock:
        memo.version = (now, value)
    return value


def bump_content_version() -> None:
    """Raise the version now (own short transaction) and forget this process's memo."""
    if bump_without_waiting_for_disk():  # PostgreSQL, after a commit (versionbump.py)
        memo.forget_version()
        return
    with transaction.atomic():
        updated = PortalContentVersion.objects.filter(pk=1).update(value=F("value") + 1)
        if not updated:
            PortalContentVersion.objects.get_or_create(pk=1, defaults={"value": 1})
    memo.forget_version()


def _on_public_change(sender: Any, **kwargs: Any) -> None:
    # After the change commits, not inside its transaction: holding the version row's
    # lock until commit would serialise every public write and could deadlock two of
    # them that lock rows in different orders. A page rendered before the commit reads
    # the old content under the old version; one rendered after it, the new content
    # under the new version (or, in between, new content under the old key, harmless).
    if kwargs.get("raw"):  # loaddata
        return
    meta = sender._meta
    if meta.app_label in PUBLIC_APPS and meta.label_lower not in PRIVATE_MODELS:
        transaction.on_commit(bump_content_version)


def _on_subtree_moved(sender: Any, **kwargs: Any) -> None:
    # ``organisation_move`` rewrites the subtree's paths with update(), which sends
    # no post_save; yet the columns of both parents now show other items (the kept
    # subtree of a detail page, a list's order) and the subtree's breadcrumbs change.
    transaction.on_commit(bump_content_version)


def connect_receivers() -> None:
    """Raise the content version on any public change (called from ready())."""
    post_save.connect(_on_public_change, dispatch_uid="portal_content_version_save")
    post_delete.connect(_on_public_change, dispatch_uid="portal_content_version_delete")
    subtree_moved.connect(_on_subtree_moved, dispatch_uid="portal_content_version_move")


def cacheable(request: HttpRequest) -> bool:
    """The request's page is one copy for everyone: an anonymous GET (no session, no
    flash message waiting in a cookie), with caching on."""
    if request.method not in ("GET", "HEAD") or settings.PORTAL_CACHE_SECONDS <= 0:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def is_elderly(request: HttpRequest) -> bool:
    """适老化 mode is on for this visitor (a cookie, so it is part of the cache key)."""
    return request.COOKIES.get(ELDERLY_COOKIE) == "1"


def body_part(
    request: HttpRequest, key: tuple[Any, ...], compute: Callable[[], T]
) -> T:
    """``compute()``, kept in this process under the content version and ``key``.

    For what every page of a body shows alike (the body and its breadcrumb, the
    navigation, a list's topics and count): a page missing from the cache then
    renders only its own content. Only for the requests whose pages are cached
    (anonymous GETs, caching on), so it is never staler than a cached page: the
    version is read before ``compute()``, so a part never sits under a version
    newer than its content. Entries expire like pages (``PORTAL_CACHE_SECONDS``).
    The value is shared by every thread of the process: it must not be changed.
    """
    if not cacheable(request):
        return compute()
    full_key = (content_version(), *key)
    found, value = memo.part(full_key)
    if found:
        return value
    value = compute()
    memo.keep_part(full_key, value, settings.PORTAL_CACHE_SECONDS)
    return value


def _key(request: HttpRequest, version: int) -> str:
    elderly = is_elderly(request)
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"portal:page:{version}:{int(elderly)}:{path}"


def _storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Vary")
    )


def cached_portal_page(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Serve the anonymous copy of a public portal page from the cache."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request, content_version())
        seconds = settings.PORTAL_CACHE_SECONDS
        stored = memo.page(key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None:
                memo.keep(key, stored[0], stored[1], seconds)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response[CACHE_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _storable(response):
            page = (response.content, response["Content-Type"])
            cache.set(key, page, seconds)
            memo.keep(key, page[0], page[1], seconds)
            response[CACHE_HEADER] = "miss"
        return response

    return wrapper
