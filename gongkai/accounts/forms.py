from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm

from gongkai.accounts.lockout import current_lock
from gongkai.audit.middleware import client_ip
from gongkai.audit.services import audit_record
from gongkai.formbase import ChineseMessagesMixin, Form


class LoginForm(ChineseMessagesMixin, AuthenticationForm):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
        error_messages={"required": "请输入用户名。"},
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "请输入密码。"},
    )
    error_messages = {
        "invalid_login": "用户名或密码错误。请注意区分大小写；多次输错后账号将被临时锁定。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else None
        lock = current_lock(username, ip)
        if lock is not None:
            # The backend refuses too (and audits); this only gives the reason.

            audit_record(
                action="auth.login_locked",
                result="denied",
                username=username.strip().lower()[:150],
                details={"kind": lock.kind},
            )
            raise forms.ValidationError(lock.message, code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            # Locked by a parallel attempt between the check above and the
            # backend's atomic count: give the lock's reason, not "wrong password".
            raced = getattr(self.request, "_gongkai_lock", None)
            if raced is not None:
                raise forms.ValidationError(raced.message, code="locked") from None
            raise


class TokenForm(Form):
    token = forms.CharField(
        label="动态口令（6 位数字）",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
        error_messages={
            "required": "请输入动态口令。",
            "min_length": "动态口令为 6 位数字。",
            "max_length": "动态口令为 6 位数字。",
        },
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError("动态口令只能包含数字。")
        return token


class PasswordChangeForm(ChineseMessagesMixin, DjangoPasswordChangeForm):
    error_messages = {
        **DjangoPasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确。",
        "password_mismatch": "两次输入的新密码不一致。",
    }


class UnlockForm(Form):
    kind = forms.ChoiceField(choices=[("account", "账号"), ("address", "网络地址")])
    key = forms.CharField(max_length=150)


class OtpResetForm(Form):
    username = forms.CharField(label="用户名", max_length=150)
