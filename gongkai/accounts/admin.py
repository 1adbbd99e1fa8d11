from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from gongkai.accounts.lockout import lockout_clear
from gongkai.accounts.models import LoginFailure, User
from gongkai.audit.services import audit_record
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.orgs.permissions import Perm, organisations_for, reach_filter

# Accounts a 系统管理员 never manages, wherever they sit: the other two
# administrators of 三权分立 (resetting their password means signing in as them).
PROTECTED_ROLES = (Role.SECADMIN, Role.AUDITOR)

# Status fields whose new value goes to the audit row; of the others only the
# names (personal data such as phones stays out of the log).
AUDITED_VALUES = ("is_active",)


def _manages_orgs(request: HttpRequest) -> bool:
    return organisations_for(request.user, Perm.MANAGE_ORGS).exists()


def manageable_users(user: Any) -> QuerySet[User]:
    """Accounts ``user`` may see and manage in the admin (issue 18, F1).

    Those whose memberships all lie on organisations where ``user`` holds
    ``manage_orgs`` (accounts without any membership included), never one holding
    the 安全管理员 or 审计管理员 role anywhere, never a superuser, never their own.
    """
    protected = Membership.objects.filter(role__in=PROTECTED_ROLES).values("user_id")
    return users_within(user, Perm.MANAGE_ORGS).exclude(pk__in=protected)


def users_within(user: Any, perm: Perm) -> QuerySet[User]:
    """Accounts whose memberships all lie where ``user`` holds ``perm`` (accounts
    without any membership included), never a superuser, never their own."""
    condition = reach_filter(user, perm)
    if condition is None:
        return User.objects.none()
    reachable = Organisation.objects.filter(condition).values("pk")
    outside = Membership.objects.exclude(organisation__in=reachable).values("user_id")
    return (
        User.objects.exclude(pk=user.pk)
        .exclude(is_superuser=True)
        .exclude(pk__in=outside)
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are managed by the 系统管理员, within their reach (``manageable_users``);
    other roles do not see this page. Every account event here is audited."""

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

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not _manages_orgs(request):
            return False
        return obj is None or manageable_users(request.user).filter(pk=obj.pk).exists()

    has_add_permission = has_module_permission

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return manageable_users(request.user)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # An account out of reach is a 404, never Django's "perhaps it was deleted"
        # redirect, like every other object URL (get_scoped_or_404).
        if self.get_object(request, object_id) is None:
            raise Http404("未找到该对象，或您无权访问。")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            audit_record(action="account.create", actor=request.user, obj=obj)
            return
        changed = [name for name in form.changed_data if name != "password"]
        if not changed:
            return
        details: dict[str, Any] = {"changed": changed}
        for name in AUDITED_VALUES:
            if name in changed:
                details[name] = getattr(obj, name)
        audit_record(
            action="account.update", actor=request.user, obj=obj, details=details
        )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Django saves and logs the password in one call; the audit row shares the
        # transaction, so a password set without its audit row cannot happen.
        request._gongkai_password_view = True  # type: ignore[attr-defined]
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        if getattr(request, "_gongkai_password_view", False):
            audit_record(
                action="account.password_set",
                actor=request.user,
                obj=obj,
                details={"usable": obj.has_usable_password()},  # never the password
            )
        return entry


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
