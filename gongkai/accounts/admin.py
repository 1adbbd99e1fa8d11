from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from gongkai.accounts.lockout import lockout_clear
from gongkai.accounts.models import LoginFailure, User
from gongkai.orgs.permissions import Perm, organisations_for


def _manages_orgs(request: HttpRequest) -> bool:
    return organisations_for(request.user, Perm.MANAGE_ORGS).exists()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are managed by the 系统管理员; other roles do not see this page."""

    list_display = ("username", "full_name", "is_active", "is_demo", "last_login")
    search_fields = ("username", "full_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "phone", "email")}),
        ("状态", {"fields": ("is_active", "is_demo", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined", "is_demo")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _manages_orgs(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages_orgs(request)

    has_change_permission = has_view_permission
    has_add_permission = has_module_permission

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _manages_security(request: HttpRequest) -> bool:
    return organisations_for(request.user, Perm.MANAGE_SECURITY).exists()


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Failed sign-ins, for the 安全管理员 only; unlocking is an audited action."""

    list_display = ("at", "username", "ip", "cleared")
    list_filter = ("cleared",)
    search_fields = ("username", "ip")
    actions = ["unlock"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _manages_security(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages_security(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _manages_security(request)  # needed for the unlock action only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("at", "username", "ip", "cleared")

    @admin.action(description="解除所选账号和地址的锁定")
    def unlock(self, request: HttpRequest, queryset: Any) -> None:
        done = 0
        for username in set(queryset.values_list("username", flat=True)):
            done += lockout_clear(actor=request.user, kind="account", key=username)
        for ip in set(queryset.exclude(ip=None).values_list("ip", flat=True)):
            done += lockout_clear(actor=request.user, kind="address", key=ip)
        self.message_user(request, f"已解除锁定（清除 {done} 条失败记录）。")
