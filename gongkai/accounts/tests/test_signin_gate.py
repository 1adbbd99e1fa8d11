"""Issue 18: nothing but the token step before the second factor (F3), and an
absolute session lifetime (F14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.models import User
from gongkai.orgs.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Brand-New-Pass-2026"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def _token(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _change_password(client):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )


def test_the_password_cannot_be_changed_before_the_token_step(client, tree):
    """F3: an enrolled administrator with only the password in hand."""
    device = TOTPDevice.objects.create(user=tree.auditor, name="phone", confirmed=True)
    assert _login(client, "t_auditor")["Location"] == reverse("accounts:otp_verify")
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 302
    assert page["Location"] == reverse("accounts:otp_verify")
    response = _change_password(client)
    assert response["Location"] == reverse("accounts:otp_verify")
    assert User.objects.get(pk=tree.auditor.pk).check_password(PASSWORD)
    # after the token the same change goes through
    assert (
        client.post(
            reverse("accounts:otp_verify"), {"token": _token(device)}
        ).status_code
        == 302
    )
    assert _change_password(client).status_code == 302
    assert User.objects.get(pk=tree.auditor.pk).check_password(NEW)


def test_an_administrator_who_must_enrol_cannot_change_the_password_first(client, tree):
    assert _login(client, "t_secadmin")["Location"] == reverse("accounts:otp_setup")
    assert _change_password(client)["Location"] == reverse("accounts:otp_setup")
    assert User.objects.get(pk=tree.secadmin.pk).check_password(PASSWORD)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/admin/",
        "/admin/password_change/",
        "/account/security/",
        "/office/requests/",
        "/gk/",
        "/login/",
    ],
)
def test_only_the_token_screens_and_logout_answer_before_the_token(client, tree, path):
    TOTPDevice.objects.create(user=tree.auditor, name="phone", confirmed=True)
    _login(client, "t_auditor")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_verify")
    assert client.get(reverse("accounts:otp_verify")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_expired_password_is_changed_only_after_the_token(client, tree):
    device = TOTPDevice.objects.create(user=tree.auditor, name="phone", confirmed=True)
    User.objects.filter(pk=tree.auditor.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    assert _login(client, "t_auditor")["Location"] == reverse("accounts:otp_verify")
    assert _change_password(client)["Location"] == reverse("accounts:otp_verify")
    done = client.post(reverse("accounts:otp_verify"), {"token": _token(device)})
    assert done["Location"] == reverse("accounts:password_change")
    assert client.get("/")["Location"] == reverse("accounts:password_change")
    assert _change_password(client).status_code == 302
    assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_a_session_ends_twelve_hours_after_sign_in_even_while_active(client, tree):
    """F14: requests every 20 minutes keep the idle clock fresh, not the absolute one."""
    with time_machine.travel("2026-11-02 08:00 +0800", tick=False) as clock:
        assert _login(client, "t_officer").status_code == 302
        for _ in range(35):  # 11 h 40 min of steady activity
            clock.shift(timedelta(minutes=20))
            assert client.get(reverse("backoffice:dashboard")).status_code == 200
        clock.shift(timedelta(minutes=21))  # 12 h 1 min after the sign-in
        response = client.get(reverse("backoffice:dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
        assert "_auth_user_id" not in client.session
        api = client.get("/api/accounts/me")
        assert api.status_code in (401, 403)
        # signing in again starts a new 12 hours
        assert _login(client, "t_officer").status_code == 302
        assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_the_absolute_lifetime_is_configurable(client, tree, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    with time_machine.travel("2026-11-02 08:00 +0800", tick=False) as clock:
        client.force_login(tree.officer)
        assert client.get(reverse("backoffice:dashboard")).status_code == 200
        for _ in range(3):
            clock.shift(timedelta(minutes=20))
            assert client.get(reverse("backoffice:dashboard")).status_code == 200
        clock.shift(timedelta(minutes=1))
        assert client.get(reverse("backoffice:dashboard")).status_code == 302


@pytest.mark.parametrize("role", ["officer", "head", "liaison_a", "supervisor"])
def test_a_business_role_gets_a_403_page_from_the_admin_not_a_loop(client, tree, role):
    """F10: /admin/ → /admin/login/ → /login/ → /admin/ went round for ever."""
    client.force_login(getattr(tree, role))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 1
    page = response.content.decode()
    assert "没有访问权限" in page and "系统管理员" in page
    assert 'href="/"' in page  # a way back, in the normal frame
    assert "site-footer" in page


def test_the_admin_login_address_still_sends_visitors_to_the_one_login_page(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/"


def test_an_administrator_still_opens_the_admin(client, tree):
    client.force_login(tree.sysadmin)
    assert client.get("/admin/").status_code == 200
