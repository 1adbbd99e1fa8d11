"""Admin: applications and letters read-only (the workflow runs through the services);
the per-organisation letter settings editable by the 系统管理员 of that organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from gongkai.audit.services import audit_record
from gongkai.core import letters as content
from gongkai.formbase import ModelForm
from gongkai.inforequests.letter_settings import wording_template
from gongkai.inforequests.models import (
    InfoRequest,
    Letter,
    LetterSettings,
    LetterWording,
)
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
    list_display: tuple[str, ...] = ("organisation", "number_prefix", "review_body")

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


class LetterWordingForm(ModelForm):
    """Blank title or text: start from the default wording. Every field is checked."""

    key = forms.ChoiceField(label="文书", choices=content.TEMPLATE_CHOICES)

    class Meta:
        model = LetterWording
        fields = ("organisation", "key", "title", "paragraphs")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key = data.get("key")
        if not key:
            return data
        default = content.DEFAULT_TEMPLATES[key]
        if not (data.get("title") or "").strip():
            data["title"] = default.title
        if not (data.get("paragraphs") or "").strip():
            data["paragraphs"] = "\n".join(default.paragraphs)
        try:
            wording_template(key, data["title"], data["paragraphs"])
        except content.TemplateError as exc:
            raise ValidationError({"paragraphs": str(exc)}) from exc
        return data


@admin.register(LetterWording)
class LetterWordingAdmin(LetterSettingsAdmin):
    form = LetterWordingForm
    list_display = ("organisation", "letter", "title", "updated_at")
    readonly_fields = ("allowed_fields",)

    @admin.display(description="文书", ordering="key")
    def letter(self, obj: LetterWording) -> str:
        return obj.letter_label

    @admin.display(description="可用字段")
    def allowed_fields(self, obj: LetterWording) -> str:
        if not obj.key:
            return "保存后显示所选文书可以使用的字段"
        names = sorted(content.TEMPLATE_FIELDS.get(obj.key, ()))
        return "；".join(f"{{{n}}} {content.FIELD_LABELS.get(n, n)}" for n in names)

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        admin.ModelAdmin.save_model(self, request, obj, form, change)
        audit_record(
            action="inforequest.letter_wording",
            actor=request.user,
            organisation=obj.organisation,
            obj=obj,
            details={"key": obj.key, "title": obj.title},
        )
