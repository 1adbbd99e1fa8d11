"""Web hardening: security headers, no inline script handlers, deploy check clean,
no stack traces shown, e-mail outbox retries."""

from __future__ import annotations

import base64
import os
import re
import secrets
import smtplib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gongkai.security.mail import mail_queue, mail_send_due
from gongkai.security.models import OutgoingMail

ROOT = Path(__file__).resolve().parents[3]


def production_env(tmp_path: Path) -> dict[str, str]:
    # A production process starts with none of the test run's variables (the
    # browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own thread).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONGKAI_")
        and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        GONGKAI_PRODUCTION="true",
        GONGKAI_SECRET_KEY=secrets.token_urlsafe(60),
        GONGKAI_ALLOWED_HOSTS="gongkai.example.gov.cn",
        GONGKAI_FIELD_KEYS="k1:" + base64.b64encode(os.urandom(32)).decode(),
        GONGKAI_AUDIT_KEY=secrets.token_urlsafe(48),
        GONGKAI_VAR_DIR=str(tmp_path),
    )
    return env


def test_check_deploy_is_clean_with_the_production_profile(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_profile_sets_hsts_and_secure_cookies(tmp_path):
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.DEBUG, s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST)"
    )
    env = production_env(tmp_path) | {
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings"
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == [
        "31536000",
        "True",
        "True",
        "True",
        "False",
        "1800",
        "True",
    ], result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/gk/", "/api/docs"])
def test_every_page_carries_the_security_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "http" not in csp  # no CDN
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_each_response_gets_a_fresh_nonce(client):
    first = client.get("/login/")["Content-Security-Policy"]
    second = client.get("/login/")["Content-Security-Policy"]
    assert first != second


@pytest.mark.django_db
def test_the_back_office_frame_has_no_inline_event_handlers(client, tree):
    client.force_login(tree.officer)
    page = client.get(reverse("backoffice:dashboard")).content.decode()
    assert not re.search(r"\son[a-z]+\s*=", page)
    assert "gongkai/js/org-switcher.js" in page


def test_no_shared_template_uses_inline_event_handlers():
    for template in (ROOT / "gongkai" / "templates").rglob("*.html"):
        assert not re.search(r"\son[a-z]+\s*=\s*\"", template.read_text()), template


@pytest.mark.django_db
def test_a_crash_shows_the_chinese_error_page_without_internals(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    with mock.patch(
        "gongkai.portal.views.render",
        side_effect=RuntimeError("SECRET internal detail /srv/db password=x"),
    ):
        response = client.get("/gk/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in body
    assert "SECRET" not in body and "Traceback" not in body


@pytest.mark.django_db
def test_a_404_is_in_chinese_and_reveals_nothing(client):
    response = client.get("/no-such-page/../../etc/passwd")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Traceback" not in body and "urlpatterns" not in body


# ------------------------------------------------------------------ mail outbox


@pytest.mark.django_db
def test_an_unreachable_mail_server_loses_nothing_and_retries(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    queued = mail_queue(
        to=["a@example.cn"], subject="受理回执", body="您的申请已受理。"
    )
    report = mail_send_due()
    queued.refresh_from_db()
    assert report.retried == 1 and queued.state == OutgoingMail.State.PENDING
    assert "无法连接邮件服务器" in queued.last_error and queued.attempts == 1
    assert queued.next_try_at > timezone.now()
    # The server comes back: the next due run delivers it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = mail_send_due(now=timezone.now() + timedelta(minutes=2))
    queued.refresh_from_db()
    assert report.sent == 1 and queued.state == OutgoingMail.State.SENT
    assert mail.outbox[0].subject == "受理回执"


@pytest.mark.django_db
def test_a_full_disk_on_the_mail_server_is_explained_and_retried(settings):
    queued = mail_queue(to=["a@example.cn"], subject="s", body="b")
    with mock.patch(
        "django.core.mail.EmailMessage.send",
        side_effect=smtplib.SMTPDataError(552, b"Insufficient storage"),
    ):
        mail_send_due()
    queued.refresh_from_db()
    assert "磁盘满" in queued.last_error and queued.state == OutgoingMail.State.PENDING


@pytest.mark.django_db
def test_mail_gives_up_after_the_configured_attempts_and_audits(settings):
    from gongkai.audit.models import AuditEvent

    settings.MAIL_MAX_ATTEMPTS = 2
    queued = mail_queue(to=["a@example.cn"], subject="s", body="b")
    with mock.patch(
        "django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError()
    ):
        mail_send_due()
        mail_send_due(now=timezone.now() + timedelta(hours=2))
    queued.refresh_from_db()
    assert queued.state == OutgoingMail.State.FAILED and queued.attempts == 2
    assert AuditEvent.objects.filter(action="mail.failed").exists()


@pytest.mark.django_db
def test_a_queued_mail_rolls_back_with_its_action():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        mail_queue(to=["a@example.cn"], subject="s", body="b")
        raise RuntimeError
    assert not OutgoingMail.objects.exists()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def test_no_template_anywhere_has_an_inline_script_or_handler():
    """The CSP blocks them in the browser; this catches them before a browser does."""
    offenders = []
    for template in (ROOT / "gongkai").rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == [], (
        "move the script to gongkai/static/gongkai/js/ (or add "
        'nonce="{{ request.csp_nonce }}"): ' + ", ".join(offenders)
    )


def test_every_response_to_a_signed_in_user_is_no_store_private(client, tree):
    """Issue 18 (F11): back-office pages, redirects and errors are never cached."""
    client.force_login(tree.officer)
    for url in (
        reverse("backoffice:dashboard"),
        reverse("inforequests:list"),
        reverse("portal:index"),
        "/no-such-page/",
    ):
        response = client.get(url)
        directives = {
            d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()
        }
        assert {"no-store", "private"} <= directives, (url, directives)
        assert "public" not in directives, url


def test_anonymous_portal_pages_stay_cacheable(client, tree, settings):
    """The page cache for visitors without a session is not affected (issue 18, F11)."""
    settings.PORTAL_CACHE_SECONDS = 60
    first = client.get(reverse("portal:index"))
    second = client.get(reverse("portal:index"))
    assert "no-store" not in first.get("Cache-Control", "")
    assert first["X-Gongkai-Cache"] == "miss" and second["X-Gongkai-Cache"] == "hit"
    assert "no-store" not in second.get("Cache-Control", "")
