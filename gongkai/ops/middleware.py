"""/healthz and /metrics, answered before anything looks at the Host header or the
scheme: a load balancer's probe or Prometheus reaches a web process on its own port
(http://10.0.0.5:8000/healthz), where ALLOWED_HOSTS would answer 400 and the HTTPS
redirect 301. /metrics answers only addresses in GONGKAI_METRICS_ALLOWED (the
peer's own address, never a forwarded one); for others it does not exist."""

from __future__ import annotations

import inspect
import ipaddress
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict

from gongkai.ops.health import HealthView
from gongkai.ops.metrics import REQUESTS, exposition

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


def _internal(request: HttpRequest) -> bool:
    # Through the reverse proxy (which sets these headers) every visitor would come
    # from 127.0.0.1: a proxied request is never internal.
    if "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_X_REAL_IP" in request.META:
        return False
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        peer in ipaddress.ip_network(net, strict=False)
        for net in settings.METRICS_ALLOWED
    )


async def _awaited(result: Any) -> HttpResponse:
    # HealthCheckView is an async view: run its checks from this sync middleware.
    if inspect.isawaitable(result):
        result = await result
    return result


class InternalEndpointsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.health = HealthView.as_view()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == HEALTH_PATH:
            if "format" not in request.GET and "text/plain" not in request.headers.get(
                "accept", ""
            ):
                request.GET = QueryDict("format=json")
            answer = async_to_sync(_awaited)(self.health(request))
            if hasattr(answer, "render"):
                answer.render()
            if answer.status_code == 500:
                # A failed check is the machine's state, not a server error: 503
                # is what load balancers and monitors read as "take me out".
                answer.status_code = 503
            return answer
        if request.path == METRICS_PATH and _internal(request):
            body, content_type = exposition()
            return HttpResponse(body, content_type=content_type)
        response = self.get_response(request)
        REQUESTS.labels(request.method or "", str(response.status_code)).inc()
        return response
