from __future__ import annotations

from typing import Any

import django_otp
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.forms import (
    LoginForm,
    OtpResetForm,
    PasswordChangeForm,
    TokenForm,
    UnlockForm,
)
from gongkai.accounts.lockout import locked_accounts, lockout_clear
from gongkai.accounts.models import User
from gongkai.accounts.otp import (
    confirmed_devices,
    otp_required,
    pending_device,
    provisioning_uri,
    qr_svg,
    secret_base32,
)
from gongkai.accounts.passwords import password_expired
from gongkai.audit.services import audit_record
from gongkai.orgs.models import Membership
from gongkai.orgs.permissions import Perm, organisations_for

# Session flags set at password sign-in; AccountGateMiddleware enforces them.
MFA_FLAG = "gk_mfa"  # "verify" | "enrol"
EXPIRED_FLAG = "gk_password_expired"
NEXT_KEY = "gk_next"
# When the password was accepted: the absolute session lifetime counts from here.
SIGNED_IN_AT = "gk_signed_in_at"


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/"


class GongkaiLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        session = self.request.session
        session[NEXT_KEY] = self.get_success_url()
        session[SIGNED_IN_AT] = timezone.now().timestamp()
        if confirmed_devices(user):
            session[MFA_FLAG] = "verify"  # opted in, or required and enrolled
        elif otp_required(user):
            session[MFA_FLAG] = "enrol"
        if password_expired(user):
            session[EXPIRED_FLAG] = True
        if session.get(MFA_FLAG) == "verify":
            return redirect("accounts:otp_verify")
        if session.get(MFA_FLAG) == "enrol":
            return redirect("accounts:otp_setup")
        if session.get(EXPIRED_FLAG):
            return redirect("accounts:password_change")
        return response


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site's login address.

    Everyone signs in on the one login page (lockout message, TOTP step). A user
    already signed in who lands here has no admin access (a business role): they
    get a 403 page in the normal frame, not a redirect back to the login page,
    which sent them round ``/admin/`` → ``/admin/login/`` → ``/login/`` →
    ``/admin/`` (issue 18, F10).
    """
    if request.user.is_authenticated:
        return render(
            request,
            "403.html",
            {"exception": "系统管理仅供系统管理员、安全管理员和审计管理员使用。"},
            status=403,
        )
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("login") + (f"?{query}" if query else ""))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


def _after_gate(request: HttpRequest) -> HttpResponse:
    if request.session.get(MFA_FLAG) == "enrol":
        return redirect("accounts:otp_setup")
    if request.session.get(MFA_FLAG) == "verify":
        return redirect("accounts:otp_verify")
    if request.session.get(EXPIRED_FLAG):
        return redirect("accounts:password_change")
    return redirect(_safe_next(request, request.session.pop(NEXT_KEY, None)))


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        for device in confirmed_devices(user):
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                form.add_error(None, "动态口令错误次数过多，请稍后再试。")
                break
            if device.verify_token(token):
                django_otp.login(request, device)
                request.session.pop(MFA_FLAG, None)
                audit_record(action="auth.otp_verified", actor=user)
                return _after_gate(request)
        else:
            audit_record(action="auth.otp_failed", actor=user, result="failure")
            form.add_error("token", "动态口令不正确或已过期。")
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator app (QR code or the secret typed by hand)."""
    user: Any = request.user
    if request.session.get(MFA_FLAG) == "verify":
        return redirect("accounts:otp_verify")
    device = pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error(None, "动态口令错误次数过多，请稍后再试。")
        elif device.verify_token(form.cleaned_data["token"]):
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            request.session.pop(MFA_FLAG, None)
            audit_record(action="auth.otp_enrolled", actor=user)
            messages.success(request, "已启用动态口令（双因素认证）。")
            return _after_gate(request)
        else:
            form.add_error("token", "动态口令不正确：请确认手机时间准确后重新输入。")
    uri = provisioning_uri(device)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg(uri),
            "secret": secret_base32(device),
            "uri": uri,
            "required": otp_required(user),
            "has_device": bool(confirmed_devices(user)),
        },
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        request.session.pop(EXPIRED_FLAG, None)
        audit_record(action="auth.password_changed", actor=user)
        messages.success(request, "密码已修改。")
        return _after_gate(request)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "expired": bool(request.session.get(EXPIRED_FLAG))},
    )


# ------------------------------------------------------------- 安全管理员 screens


def _require_secadmin(request: HttpRequest) -> Any:
    if not organisations_for(request.user, Perm.MANAGE_SECURITY).exists():
        raise PermissionDenied("只有安全管理员可以管理账号安全。")
    return organisations_for(request.user, Perm.MANAGE_SECURITY)


def _user_in_reach(request: HttpRequest, username: str) -> User | None:
    """The account if it exists and the 安全管理员 reaches it; PermissionDenied if not."""
    allowed = _require_secadmin(request)
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        return None
    memberships = Membership.objects.filter(user=user)
    if (
        memberships.exists()
        and not memberships.filter(organisation__in=allowed.values("pk")).exists()
    ):
        raise PermissionDenied("该账号不在您管理的范围内。")
    return user


@login_required
def security_screen(request: HttpRequest) -> HttpResponse:
    _require_secadmin(request)
    return render(
        request,
        "accounts/security.html",
        {"locks": locked_accounts(), "reset_form": OtpResetForm()},
    )


@login_required
@require_POST
def security_unlock(request: HttpRequest) -> HttpResponse:
    _require_secadmin(request)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "解锁请求无效。")
        return redirect("accounts:security")
    kind, key = form.cleaned_data["kind"], form.cleaned_data["key"]
    if kind == "account":
        _user_in_reach(request, key)
    n = lockout_clear(actor=request.user, kind=kind, key=key)
    messages.success(request, f"已解锁“{key}”（清除 {n} 条失败记录）。")
    return redirect("accounts:security")


@login_required
@require_POST
def security_otp_reset(request: HttpRequest) -> HttpResponse:
    _require_secadmin(request)
    form = OtpResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请输入用户名。")
        return redirect("accounts:security")
    user = _user_in_reach(request, form.cleaned_data["username"])
    if user is None:
        messages.error(request, "没有该用户。")
        return redirect("accounts:security")
    n, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        action="security.otp_reset",
        actor=request.user,
        details={"username": user.username, "devices": n},
    )
    messages.success(
        request, f"已重置“{user.username}”的动态口令，该用户下次登录时需重新绑定。"
    )
    return redirect("accounts:security")
