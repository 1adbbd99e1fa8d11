"""Abuse controls for public forms: a self-hosted arithmetic CAPTCHA and a per-address
rate limit (cache-based, so it is shared by every web process when Redis is used)."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.http import HttpRequest

from gongkai.audit.middleware import client_ip

_CAPTCHA_KEY = "gongkai_portal_captcha"


def captcha_new(request: HttpRequest) -> str:
    """A new question for this session, e.g. "7 加 5 等于几？"."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    request.session[_CAPTCHA_KEY] = a + b
    return f"{a} 加 {b} 等于几？"


def captcha_check(request: HttpRequest, answer: str) -> bool:
    expected = request.session.pop(_CAPTCHA_KEY, None)
    try:
        return expected is not None and int(str(answer).strip()) == expected
    except ValueError:
        return False


def rate_limited(
    request: HttpRequest, bucket: str, *, limit: int, window_seconds: int
) -> bool:
    """True when this address has used up ``limit`` tries of ``bucket`` in the window."""
    key = f"gongkai:rl:{bucket}:{client_ip(request) or 'unknown'}"
    if cache.add(key, 1, timeout=window_seconds):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window_seconds)
        return False
    return count > limit
