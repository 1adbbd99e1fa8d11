from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from gongkai.audit.models import AuditEvent
from gongkai.orgs.permissions import Perm, organisations_for


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only, and only for the 审计管理员 (the system administrator cannot open it)."""

    list_display = (
        "at",
        "username",
        "ip",
        "organisation",
        "action",
        "result",
        "object_type",
        "object_id",
    )
    list_filter = ("result", "action")
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
