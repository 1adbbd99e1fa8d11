from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from gongkai.audit.labels import action_label, object_label, username_label
from gongkai.audit.models import AuditEvent
from gongkai.orgs.permissions import Perm, organisations_for


class ActionFilter(admin.SimpleListFilter):
    """By operation, named in Chinese (the codes are the same as stored)."""

    title = "操作"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        # The operations in the log (as Django's own filter lists them: DISTINCT
        # over the indexed column), by name.
        codes = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list("action", flat=True)
            .distinct()
        )
        return sorted(((c, action_label(c)) for c in codes), key=lambda p: p[1])

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[AuditEvent]
    ) -> QuerySet[AuditEvent]:
        value = self.value()
        return queryset.filter(action=value) if value else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only, and only for the 审计管理员 (the system administrator cannot open it)."""

    # Codes shown by their Chinese names (audit/labels.py), the rest as stored.
    list_display = (
        "at",
        "who",
        "ip",
        "organisation",
        "what",
        "result",
        "object_kind",
        "object_id",
    )
    list_filter = ("result", ActionFilter)
    fields = (*list_display, "details", "prev_hash", "hash")
    readonly_fields = fields

    @admin.display(description="用户名", ordering="username")
    def who(self, obj: AuditEvent) -> str:
        return username_label(obj.username)

    @admin.display(description="操作", ordering="action")
    def what(self, obj: AuditEvent) -> str:
        return action_label(obj.action)

    @admin.display(description="对象类型", ordering="object_type")
    def object_kind(self, obj: AuditEvent) -> str:
        return object_label(obj.object_type)

    search_fields = ("username", "action", "object_id")
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        allowed = organisations_for(request.user, Perm.VIEW_AUDIT)
        if not allowed.exists():
            return AuditEvent.objects.none()
        # Events not tied to an organisation (logins, failed logins) are visible to
        # every auditor; others only within the auditor's subtree.
        return (
            super()
            .get_queryset(request)
            .filter(
                Q(organisation__isnull=True) | Q(organisation__in=allowed.values("pk"))
            )
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return organisations_for(request.user, Perm.VIEW_AUDIT).exists()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
