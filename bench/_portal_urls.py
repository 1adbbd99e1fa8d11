"""URLs of the portal throughput benchmark: the app's URLs plus bench-only views.

``/bench/bare/`` goes through the same middleware (sessions, CSRF, security headers,
audit context) but does no query and renders no template: the ceiling a portal page
is compared with. ``/bench/uncached/…`` serves the portal's own list and detail views
without their whole-page cache (``gongkai/portal/cache.py``), to show what a cache
miss costs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from gongkai.config.urls import urlpatterns as app_urlpatterns
from gongkai.portal import views as portal_views


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>bare</title><p>ok</p>")


urlpatterns = [
    path("bench/bare/", bare),
    path(
        "bench/uncached/<int:org_id>/publications/",
        portal_views.publication_list.__wrapped__,  # type: ignore[attr-defined]
    ),
    path(
        "bench/uncached/<int:org_id>/publications/<int:pk>/",
        portal_views.publication_detail.__wrapped__,  # type: ignore[attr-defined]
    ),
    *app_urlpatterns,
]
