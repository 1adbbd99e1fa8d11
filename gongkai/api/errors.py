"""Error pages that answer JSON ({"detail": "…"}, in Chinese) under /api/ and the usual
HTML templates everywhere else; installed as handler400/404/500 in the root URLconf.

Errors raised inside an API operation are answered by the handlers in
gongkai.api.core; these cover what never reaches one: an unknown /api/ path, a body
refused before the operation runs, and an unhandled exception (which propagates so the
request's transaction rolls back and Django logs it)."""

from __future__ import annotations

import logging

from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults

from gongkai.api.core import SERVER_ERROR, TOO_LARGE

NOT_FOUND = "未找到。"
BAD_REQUEST = "请求无效。"
FORBIDDEN = "没有权限进行此操作。"

log = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        too_large = isinstance(
            exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent
        )
        return _json(TOO_LARGE, 413) if too_large else _json(BAD_REQUEST, 400)
    return defaults.bad_request(request, exception)


def _way_back(request: HttpRequest) -> str:
    """The page the user came from (same site only), else their home: the 工作台 for
    the signed-in, the landing page for a visitor."""
    referer = request.META.get("HTTP_REFERER", "")
    here = request.build_absolute_uri(request.path).rstrip("/")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if referer and same_site and referer.split("?")[0].rstrip("/") != here:
        return referer
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return reverse("backoffice:dashboard") if signed_in else "/"


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 in the site's own frame (the back office's for the signed-in), the reason
    in Chinese and a way back; JSON under /api/."""
    message = str(exception) if exception and str(exception) else ""
    if _is_api(request):
        response: HttpResponse = _json(message or FORBIDDEN, 403)
    else:
        response = render(
            request,
            "403.html",
            {"exception": message, "back": _way_back(request)},
            status=403,
        )
    _log_refusal(request, message or FORBIDDEN, response)
    return response


def _one_line(text: str) -> str:
    """Control characters escaped: a path or a reason cannot start a log line."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def _log_refusal(request: HttpRequest, reason: str, response: HttpResponse) -> None:
    """A refusal is the permission rule at work, not an error: one line with who,
    where and why, no traceback. Django would log the response again with the
    exception's traceback (``django.utils.log.log_response``) unless it is marked
    as logged."""
    user = getattr(request, "user", None)
    who = user.get_username() if user is not None and user.is_authenticated else "-"
    log.warning(
        "refused user=%s path=%s reason=%s",
        _one_line(who),
        _one_line(request.path),
        _one_line(reason),
    )
    response._has_been_logged = True  # type: ignore[attr-defined]


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _json(NOT_FOUND, 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _json(SERVER_ERROR, 500)
    return defaults.server_error(request)
