"""Admin: applications and letters read-only (the workflow runs through the services);
the per-organisation letter settings editable by the 系统管理员 of that organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from gongkai.audit.services import audit_record
from gongkai.inforequests.models import InfoRequest, Letter, LetterSettings
from gongkai.orgs.admin import ScopedAdmin
from gongkai.orgs.permissions import Perm, organisations_for


@admin.register(InfoRequest)
class InfoRequestAdmin(ScopedAdmin):
    list_display = ("tracking_number", "organisation", "status", "due_on", "outcome")
    list_filter = ("status", "year")
    search_fields = ("tracking_number",)
    # Personal data never appears in the admin (it is masked on the screens).
    exclude = ("id_number", "phone", "email", "address", "id_digest")


@admin.register(Letter)
class LetterAdmin(ScopedAdmin):
    org_via = "request__organisation"
    list_display = ("title", "number", "request", "issued_on", "status")
    exclude = ("content",)


@admin.register(LetterSettings)
class LetterSettingsAdmin(ScopedAdmin):
    view_perm = Perm.MANAGE_ORGS
    change_perm = Perm.MANAGE_ORGS
    list_display = ("organisation", "number_prefix", "review_body")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return organisations_for(request.user, Perm.MANAGE_ORGS).exists()

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "organisation":
            kwargs["queryset"] = organisations_for(request.user, Perm.MANAGE_ORGS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: LetterSettings, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action="inforequest.letter_settings",
            actor=request.user,
            organisation=obj.organisation,
            obj=obj,
            details={
                "number_prefix": obj.number_prefix,
                "review_body": obj.review_body,
                "contact": obj.contact,
            },
        )
