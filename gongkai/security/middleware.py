"""Security headers on every response: Content-Security-Policy, Permissions-Policy.

The policy allows scripts, styles, images, fonts and connections from our own
origin only (no CDN), forbids plugins, framing and foreign form targets. Inline
``<script>`` blocks run only with the per-response nonce (``request.csp_nonce``);
inline event handlers (``onclick=…``) never run. ``style-src`` keeps
``'unsafe-inline'`` for ``style=""`` attributes (the stand-alone error pages, htmx's
indicator style), which cannot execute code. ``GONGKAI_CSP`` replaces the policy.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

DEFAULT_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        policy = getattr(settings, "CSP_POLICY", "") or DEFAULT_POLICY
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy.replace("{nonce}", nonce)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("X-Content-Type-Options", "nosniff")
        return response


class PrivateCacheMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in user, so
    no browser or proxy keeps a copy of a back-office page (personal data) after
    sign-out. Anonymous responses keep their own headers (the portal page cache)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
