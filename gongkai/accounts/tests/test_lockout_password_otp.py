"""等保 identification and authentication: lockout, password profile, TOTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.models import LoginFailure, User
from gongkai.audit.models import AuditEvent
from gongkai.orgs.tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _login(client, username, password=PASSWORD, ip="127.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def _token(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


# ------------------------------------------------------------------ lockout


def test_an_account_is_locked_after_five_failures_even_with_the_right_password(
    client, tree
):
    for _ in range(5):
        assert (
            "用户名或密码错误" in _login(client, "t_officer", "wrong").content.decode()
        )
    page = _login(client, "t_officer").content.decode()
    assert "临时锁定" in page and "安全管理员" in page
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action="auth.login_locked", username="t_officer"
    ).exists()


def test_the_lock_is_per_account_other_accounts_still_sign_in(client, tree):
    for _ in range(5):
        _login(client, "t_officer", "wrong")
    response = _login(client, "t_head")
    assert response.status_code == 302


def test_an_address_is_locked_after_many_failures_across_accounts(
    client, tree, settings
):
    settings.LOCKOUT_ADDRESS_ATTEMPTS = 6
    for i in range(6):
        _login(client, f"nobody{i}", "wrong", ip="10.9.8.7")
    page = _login(client, "t_head", ip="10.9.8.7").content.decode()
    assert "网络地址" in page and "临时锁定" in page
    # the same account from another address is fine
    assert _login(client, "t_head", ip="10.9.8.8").status_code == 302


def test_the_lock_expires_after_the_window(client, tree, settings):
    for _ in range(5):
        _login(client, "t_officer", "wrong")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=31))
    assert _login(client, "t_officer").status_code == 302


def test_the_lock_also_guards_the_backend_used_by_the_admin(tree, rf):
    from django.contrib.auth import authenticate

    for _ in range(5):
        LoginFailure.objects.create(username="t_officer", at=timezone.now())
    request = rf.post("/admin/login/")
    assert authenticate(request, username="t_officer", password=PASSWORD) is None


def test_the_admin_login_page_goes_to_the_one_login_page(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_security_admin_unlocks_an_account_and_it_is_audited(client, tree):
    for _ in range(5):
        _login(client, "t_officer", "wrong")
    client.force_login(tree.secadmin)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "t_officer" in page
    response = client.post(
        reverse("accounts:security_unlock"), {"kind": "account", "key": "t_officer"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="security.unlock").latest("id")
    assert event.username == "t_secadmin" and event.details["key"] == "t_officer"
    client.logout()
    assert _login(client, "t_officer").status_code == 302


@pytest.mark.parametrize("role", ["sysadmin", "auditor", "officer", "head"])
def test_only_the_security_admin_opens_the_security_screens(client, tree, role):
    client.force_login(getattr(tree, role))
    assert client.get(reverse("accounts:security")).status_code == 403
    assert (
        client.post(
            reverse("accounts:security_unlock"), {"kind": "account", "key": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("accounts:security_otp_reset"), {"username": "t_officer"}
        ).status_code
        == 403
    )


def test_a_street_security_admin_cannot_reach_accounts_outside_the_street(client, tree):
    street_sec = make_user("t_street_sec", tree.street, "secadmin")
    outsider = make_user("t_outsider", tree.sibling_street, "officer")
    TOTPDevice.objects.create(user=outsider, name="x", confirmed=True)
    client.force_login(street_sec)
    response = client.post(
        reverse("accounts:security_otp_reset"), {"username": outsider.username}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=outsider).exists()


def test_the_security_admin_resets_a_lost_otp_device(client, tree):
    TOTPDevice.objects.create(user=tree.officer, name="x", confirmed=True)
    client.force_login(tree.secadmin)
    client.post(reverse("accounts:security_otp_reset"), {"username": "t_officer"})
    assert not TOTPDevice.objects.filter(user=tree.officer).exists()
    assert AuditEvent.objects.filter(action="security.otp_reset").exists()


# ------------------------------------------------------------ password policy


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-1a", "太短"),
        ("1234567890123", "全部为数字"),
        ("alllowercaseletters", "至少 3 类"),
        ("lowercase12345678", "至少 3 类"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(db, password, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        validate_password(password)
    assert any(message in m for m in info.value.messages), info.value.messages


def test_a_strong_password_passes(db):
    validate_password("Zhengwu-Gongkai-2026")


def test_the_last_five_passwords_cannot_be_reused(db):
    user = User.objects.create_user("hist", password="First-Password-01")
    for i in range(2, 7):
        user.set_password(f"Next-Password-{i:02d}")
        user.save()
    with pytest.raises(ValidationError) as info:
        validate_password("Next-Password-03", user)
    assert "最近 5 次" in info.value.messages[0]
    validate_password("First-Password-01", user)  # six changes ago: allowed again


def test_an_expired_password_must_be_changed_before_anything_else(client, tree):
    User.objects.filter(pk=tree.officer.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    response = _login(client, "t_officer")
    assert response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("backoffice:dashboard"))["Location"] == reverse(
        "accounts:password_change"
    )
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "超过有效期" in page
    weak = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "simplepassword",
            "new_password2": "simplepassword",
        },
    )
    assert "至少 3 类" in weak.content.decode()
    same = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
    )
    assert "最近 5 次" in same.content.decode()
    done = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Brand-New-Pass-2026",
            "new_password2": "Brand-New-Pass-2026",
        },
    )
    assert done.status_code == 302
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.password_changed").exists()


def test_expiry_can_be_switched_off(client, tree, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    User.objects.filter(pk=tree.officer.pk).update(
        password_changed_at=timezone.now() - timedelta(days=900)
    )
    assert _login(client, "t_officer")["Location"] == reverse("backoffice:dashboard")


# --------------------------------------------------------------------- TOTP


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_administrators_must_enrol_totp_before_anything_else(client, tree, role):
    user = getattr(tree, role)
    response = _login(client, user.username)
    assert response["Location"] == reverse("accounts:otp_setup")
    assert client.get("/admin/")["Location"] == reverse("accounts:otp_setup")
    api = client.get("/api/accounts/me")
    assert api.status_code == 403 and "动态口令" in api.json()["detail"]
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert "<svg" in page and "必须启用动态口令" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    bad = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert "不正确" in bad.content.decode() or _token(device) == "000000"
    device.throttle_reset()  # a failed try throttles the next for a second
    done = client.post(reverse("accounts:otp_setup"), {"token": _token(device)})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrolled").exists()


def test_an_enrolled_administrator_needs_the_token_at_every_sign_in(client, tree):
    device = TOTPDevice.objects.create(user=tree.auditor, name="phone", confirmed=True)
    assert _login(client, "t_auditor")["Location"] == reverse("accounts:otp_verify")
    assert client.get("/admin/")["Location"] == reverse("accounts:otp_verify")
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "12345a"})
    assert "只能包含数字" in wrong.content.decode()
    ok = client.post(reverse("accounts:otp_verify"), {"token": _token(device)})
    assert ok.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_verified").exists()


def test_totp_is_optional_for_business_staff_unless_configured(client, tree, settings):
    assert _login(client, "t_officer")["Location"] == reverse("backoffice:dashboard")
    client.logout()
    settings.OTP_REQUIRED_FOR_ALL = True
    assert _login(client, "t_officer")["Location"] == reverse("accounts:otp_setup")


def test_an_officer_who_opted_in_is_asked_for_the_token(client, tree):
    TOTPDevice.objects.create(user=tree.officer, name="phone", confirmed=True)
    assert _login(client, "t_officer")["Location"] == reverse("accounts:otp_verify")


def test_demo_administrators_skip_totp_while_demo_accounts_are_allowed(
    client, tree, settings
):
    User.objects.filter(pk=tree.sysadmin.pk).update(is_demo=True)
    settings.ALLOW_DEMO_ACCOUNTS = True
    assert _login(client, "t_sysadmin")["Location"] == reverse("backoffice:dashboard")
    client.logout()
    settings.ALLOW_DEMO_ACCOUNTS = False
    assert _login(client, "t_sysadmin")["Location"] == reverse("accounts:otp_setup")


# ------------------------------------------------------------------ session


def test_an_idle_session_expires_after_thirty_minutes_activity_renews_it(client, tree):
    import time_machine

    with time_machine.travel("2026-11-02 09:00 +0800", tick=False) as clock:
        assert _login(client, "t_officer").status_code == 302
        clock.shift(timedelta(minutes=25))
        assert client.get(reverse("backoffice:dashboard")).status_code == 200
        clock.shift(timedelta(minutes=25))  # 50 min after login, 25 idle: still in
        assert client.get(reverse("backoffice:dashboard")).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("backoffice:dashboard"))
        assert response.status_code == 302 and response["Location"].startswith(
            "/login/"
        )


def test_the_security_admin_unlocks_from_the_admin_and_others_cannot_see_it(
    client, tree
):
    for _ in range(5):
        _login(client, "t_officer", "wrong")
    url = "/admin/accounts/loginfailure/"
    client.force_login(tree.sysadmin)
    assert client.get(url).status_code == 403
    client.force_login(tree.secadmin)
    assert client.get(url).status_code == 200
    ids = list(LoginFailure.objects.values_list("pk", flat=True))
    response = client.post(
        url, {"action": "unlock", "_selected_action": [str(i) for i in ids]}
    )
    assert response.status_code == 302
    assert not LoginFailure.objects.filter(cleared=False).exists()
    assert AuditEvent.objects.filter(
        action="security.unlock", username="t_secadmin"
    ).exists()


def test_a_password_containing_the_username_is_refused_in_chinese(client, tree):
    """Issue 18 (F12): Django's similarity ratio alone let these through."""
    client.force_login(tree.officer)
    for new in ("T_officer-Secure-2026", "Xy9!t_officer#2026Abc"):
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": new,
                "new_password2": new,
            },
        )
        assert response.status_code == 200, new
        assert "密码不能包含用户名" in response.content.decode(), new
    tree.officer.refresh_from_db()
    assert tree.officer.check_password(PASSWORD)
