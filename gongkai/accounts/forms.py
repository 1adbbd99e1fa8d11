from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
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
