"""Read-only admin views: report rows change only through ``reports.services``."""

from __future__ import annotations

from django.contrib import admin

from gongkai.orgs.admin import ScopedAdmin
from gongkai.reports.models import ReportEvent


@admin.register(ReportEvent)
class ReportEventAdmin(ScopedAdmin):
    org_via = "report__organisation"
    list_display = ("report", "action", "from_status", "to_status", "actor", "at")
    list_filter = ("action",)
    list_select_related = ("report", "actor")
