"""Finishing a sign-in: the TOTP step and a forced change of an expired password.

The login view sets session flags when it accepts a password; until they are
cleared, every other page redirects to the step (the API answers 403).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from gongkai.accounts.views import EXPIRED_FLAG, MFA_FLAG

_OPEN_PREFIXES = (
    "/login/",
    "/logout/",
    "/account/otp/",
    "/account/password/",
    "/static/",
)


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            if _idle_too_long(request):
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "登录已超时，请重新登录。"}, status=401
                    )
                return redirect_to_login(request.get_full_path())
            pending = request.session.get(MFA_FLAG)
            expired = request.session.get(EXPIRED_FLAG)
            if (pending or expired) and not request.path.startswith(_OPEN_PREFIXES):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "请先完成登录验证（动态口令或修改过期密码）。"},
                        status=403,
                    )
                if pending == "verify":
                    return redirect("accounts:otp_verify")
                if pending == "enrol":
                    return redirect("accounts:otp_setup")
                return redirect("accounts:password_change")
        return self.get_response(request)


LAST_SEEN = "gongkai_last_seen"


def _idle_too_long(request: HttpRequest) -> bool:
    """Idle timeout kept in the session itself, so it holds whatever the session
    backend (database rows or Redis keys with their own expiry clock)."""
    now = timezone.now().timestamp()
    last = request.session.get(LAST_SEEN)
    request.session[LAST_SEEN] = now
    return last is not None and now - float(last) > settings.SESSION_COOKIE_AGE
