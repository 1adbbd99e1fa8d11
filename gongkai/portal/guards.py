"""Abuse controls for public forms: a self-hosted arithmetic CAPTCHA and a per-address
rate limit (cache-based, so it is shared by every web process when Redis is used).

The CAPTCHA keeps nothing on the server while the page is only viewed (issue 18,
F8: its answer used to sit in the session, so every anonymous view of the apply
page wrote a session row). The page carries a signed, time-limited token
(``django.core.signing``) holding a random nonce and a keyed digest of the
answer, never the answer itself. Checking it spends the nonce — one
:class:`~gongkai.portal.models.CaptchaUse` row, written on the POST only — so a
token is good for one try, right or wrong: it cannot be replayed, nor used to
try every answer. Rows older than the token's lifetime are deleted as new ones
are written.

Why not django-simple-captcha: it stores a row per *rendered* page (the write we
are removing), its challenge is an image (hard for the elderly and screen-reader
users the 适老化 profile serves; the audio variant needs an external TTS
program), and it needs an image view and fonts; an arithmetic question in text
is readable by everyone and needs no package.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from gongkai.audit.middleware import client_ip
from gongkai.portal.models import CaptchaUse

_SALT = "gongkai.portal.captcha"
CAPTCHA_MAX_AGE = 2 * 3600  # seconds a question stays answerable (a long form)


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(_SALT, f"{nonce}:{answer}").hexdigest()


def captcha_new() -> tuple[str, str]:
    """A new question and its token, e.g. ("7 加 5 等于几？", "eyJu…")."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_urlsafe(16)
    token = signing.dumps({"n": nonce, "d": _digest(nonce, a + b)}, salt=_SALT)
    return f"{a} 加 {b} 等于几？", token


def _spend(nonce: str) -> bool:
    """Record the nonce as used; False if it was used before."""
    now = timezone.now()
    try:
        with transaction.atomic():
            CaptchaUse.objects.create(nonce=nonce, used_at=now)
    except IntegrityError:
        return False
    CaptchaUse.objects.filter(
        used_at__lt=now - timedelta(seconds=CAPTCHA_MAX_AGE)
    ).delete()
    return True


def captcha_check(token: str, answer: str) -> bool:
    """True for the right answer to an unused, unexpired, untampered token."""
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=CAPTCHA_MAX_AGE)
        nonce, digest = str(data["n"]), str(data["d"])
    except (signing.BadSignature, KeyError, TypeError):
        return False
    if not _spend(nonce):
        return False
    try:
        given = int(str(answer).strip())
    except ValueError:
        return False
    return constant_time_compare(_digest(nonce, given), digest)


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
