"""Admin: 复议、诉讼 cases and their files read-only (the workflow runs through the
services, which check the permission and write the audit log)."""

from __future__ import annotations

from django.contrib import admin

from gongkai.appeals.models import Appeal, AppealDocument
from gongkai.orgs.admin import ScopedAdmin


@admin.register(Appeal)
class AppealAdmin(ScopedAdmin):
    list_display = (
        "case_number",
        "organisation",
        "kind",
        "filed_on",
        "decided_on",
        "result",
    )
    list_filter = ("kind", "result")
    search_fields = ("case_number",)
    exclude = ("applicant",)


@admin.register(AppealDocument)
class AppealDocumentAdmin(ScopedAdmin):
    org_via = "appeal__organisation"
    list_display = ("original_name", "appeal", "role", "uploaded_at")
    exclude = ("file",)
