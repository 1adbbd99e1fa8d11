from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from gongkai.audit.details import detail_rows
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
    # 详情 as a table of Chinese names (audit/details.py); the stored JSON as it is.
    # The 机构 as plain text: Django would link it to the organisation's admin page,
    # which only a 系统管理员 opens — and no 审计管理员 is one (三员分立), so the
    # link would answer 403.
    fields = (
        "at",
        "who",
        "ip",
        "where",
        "what",
        "result",
        "object_kind",
        "object_id",
        "details_table",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields

    @admin.display(description="机构")
    def where(self, obj: AuditEvent) -> str:
        return obj.organisation.label if obj.organisation else "—"

    @admin.display(description="用户名", ordering="username")
    def who(self, obj: AuditEvent) -> str:
        return username_label(obj.username)

    @admin.display(description="操作", ordering="action")
    def what(self, obj: AuditEvent) -> str:
        return action_label(obj.action)

    @admin.display(description="对象类型", ordering="object_type")
    def object_kind(self, obj: AuditEvent) -> str:
        return object_label(obj.object_type)

    @admin.display(description="详情")
    def details_table(self, obj: AuditEvent) -> str:
        rows = detail_rows(obj.action, obj.object_type, obj.details)
        if not rows.known and not rows.other:
            return "无"
        body = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows.known)
        if rows.other:
            body += format_html(
                '<tr><th colspan="2">{}</th></tr>',
                "其他（未命名的原始字段，照原样列出）",
            )
            body += format_html_join(
                "",
                "<tr><th>{}<br><small>原始字段</small></th><td>{}</td></tr>",
                ((key or "（无字段名）", text) for key, text in rows.other),
            )
        return format_html('<table class="audit-details">{}</table>', body)

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
