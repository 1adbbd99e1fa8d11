from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from gongkai.accounts.models import User
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
