"""URLs of the portal throughput benchmark: the app's URLs plus /bench/bare/.

The bare view goes through the same middleware (sessions, CSRF, security headers,
audit context) but does no query and renders no template: the ceiling a portal page
is compared with.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from gongkai.config.urls import urlpatterns as app_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>bare</title><p>ok</p>")


urlpatterns = [path("bench/bare/", bare), *app_urlpatterns]
