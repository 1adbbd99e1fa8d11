"""URLs of the portal throughput benchmark: the app's URLs plus bench-only views.

``/bench/bare/`` goes through the same middleware (sessions, CSRF, security headers,
audit context) but does no query and renders no template: the ceiling a portal page
is compared with. ``/bench/cached/…`` serves the portal's own list and detail views
through ``cache_page`` (Redis on the scale profile), to show what whole-page caching
of anonymous portal pages would give.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_page

from gongkai.config.urls import urlpatterns as app_urlpatterns
from gongkai.portal import views as portal_views


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>bare</title><p>ok</p>")


urlpatterns = [
    path("bench/bare/", bare),
    path(
        "bench/cached/<int:org_id>/publications/",
        cache_page(300)(portal_views.publication_list),
    ),
    path(
        "bench/cached/<int:org_id>/publications/<int:pk>/",
        cache_page(300)(portal_views.publication_detail),
    ),
    *app_urlpatterns,
]
