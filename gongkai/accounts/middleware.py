"""Finishing a sign-in: the TOTP step and a forced change of an expired password.

The login view sets session flags when it accepts a password; until they are
cleared, every other page redirects to the step (the API answers 403).

The gate is an allow-list per step, applied to every view by default: while the
token step is pending only the token screens and logout answer; the password
change opens only once the token step is done (issue 18, F3: it used to be open
after the first factor, so a stolen password alone could replace the password).
The session also has an absolute lifetime from the sign-in
(``SESSION_ABSOLUTE_SECONDS``, F14), whatever the activity.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.views import EXPIRED_FLAG, MFA_FLAG, SIGNED_IN_AT

# URL names reachable while a step is pending; everything else is closed.
_OPEN_DURING_MFA = ("accounts:otp_verify", "accounts:otp_setup", "logout")
_OPEN_DURING_EXPIRED = ("accounts:password_change", "logout")
_STATIC_PREFIX = "/static/"


def _open_paths(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(reverse(name) for name in names)


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            if _idle_too_long(request) or _past_absolute_lifetime(request):
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "登录已超时，请重新登录。"}, status=401
                    )
                return redirect_to_login(request.get_full_path())
            pending = request.session.get(MFA_FLAG)
            expired = request.session.get(EXPIRED_FLAG)
            if pending:
                allowed = _open_paths(_OPEN_DURING_MFA)
            elif expired:
                allowed = _open_paths(_OPEN_DURING_EXPIRED)
            else:
                allowed = frozenset()
            if (
                (pending or expired)
                and request.path not in allowed
                and not request.path.startswith(_STATIC_PREFIX)
            ):
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


def _past_absolute_lifetime(request: HttpRequest) -> bool:
    """True once the sign-in is older than ``SESSION_ABSOLUTE_SECONDS`` (F14).

    The login view stamps the time; a session signed in another way (the test
    client, a future single sign-on) is stamped the first time it is seen.
    """
    now = timezone.now().timestamp()
    started = request.session.get(SIGNED_IN_AT)
    if started is None:
        request.session[SIGNED_IN_AT] = now
        return False
    return now - float(started) > settings.SESSION_ABSOLUTE_SECONDS
