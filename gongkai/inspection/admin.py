"""The wording dictionary in the admin (per province or any body), for whoever holds
审批 there: every page and row goes through the one permission helper (ScopedAdmin),
so the three administrators and the 经办人 neither see nor open it; saves go through
the service (audited, bad lines reported)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from gongkai.inspection.models import WordingDictionary
from gongkai.inspection.services import wording_dictionary_save
from gongkai.orgs.admin import ScopedAdmin
from gongkai.orgs.permissions import Perm, organisations_for


@admin.register(WordingDictionary)
class WordingDictionaryAdmin(ScopedAdmin):
    view_perm = Perm.APPROVE
    change_perm = Perm.APPROVE
    list_display = ("organisation", "updated_at")
    fields = ("organisation", "entries")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return organisations_for(request.user, Perm.APPROVE).exists()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A saved dictionary stays with its body (the service saves by body).
        return ("organisation",) if obj is not None else ()

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "organisation":
            kwargs["queryset"] = organisations_for(request.user, Perm.APPROVE).order_by(
                "path"
            )
        field: Any = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "organisation":
            field.label_from_instance = lambda o: o.tree_label
        return field

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        row, bad = wording_dictionary_save(
            actor=request.user, organisation=obj.organisation, entries=obj.entries
        )
        obj.pk = row.pk
        for line in bad:
            messages.warning(request, f"以下词条格式有误，未生效——{line}")
