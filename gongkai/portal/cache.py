"""Whole-page caching of the portal's public pages for anonymous visitors.

Issue 7 asks list and detail pages to serve at least half the requests per second of
a bare Django view. Rendering a page costs several queries and a full template, so
anonymous GETs of the column's pages are served from the cache (Redis on the scale
profile, the process's memory on the embedded one), keyed by:

* a content version kept in the database (``PortalContentVersion``), raised in the
  same transaction as any change to what the portal shows (publications, catalogue,
  organisations and their guide, annual reports, feedback, surveys). A change is
  visible on the next request in every process;
* the page's full path with its query string, and the 适老化 cookie.

Not cached: anyone with a session (signed-in staff, an applicant tracking a case),
a pending flash message, any response that is not a plain 200 or that sets a
cookie. Entries also expire after ``PORTAL_CACHE_SECONDS`` (a bound on anything that
changes without a save, such as a publication whose scheduled time arrives).
The pages hold no CSRF token and no CSP nonce, so one copy serves everyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

from gongkai.portal.models import PortalContentVersion

ELDERLY_COOKIE = "gk_elderly"
CACHE_HEADER = "X-Gongkai-Cache"
# Apps whose records appear on public pages: a save or delete there raises the version.
PUBLIC_APPS = frozenset({"publishing", "orgs", "reports", "feedback", "appeals"})


def content_version() -> int:
    value = PortalContentVersion.objects.filter(pk=1).values_list("value", flat=True)
    return next(iter(value), 0)


def bump_content_version() -> None:
    with transaction.atomic():
        updated = PortalContentVersion.objects.filter(pk=1).update(value=F("value") + 1)
        if not updated:
            PortalContentVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def _on_public_change(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    if sender._meta.app_label in PUBLIC_APPS:
        bump_content_version()


post_save.connect(_on_public_change, dispatch_uid="portal_content_version_save")
post_delete.connect(_on_public_change, dispatch_uid="portal_content_version_delete")


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or settings.PORTAL_CACHE_SECONDS <= 0:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest, version: int) -> str:
    elderly = request.COOKIES.get(ELDERLY_COOKIE) == "1"
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
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request, content_version())
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response[CACHE_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _storable(response):
            cache.set(
                key,
                (response.content, response["Content-Type"]),
                settings.PORTAL_CACHE_SECONDS,
            )
            response[CACHE_HEADER] = "miss"
        return response

    return wrapper
