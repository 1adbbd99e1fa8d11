"""The wording dictionary in the admin (per province or any body), scoped by the one
permission helper; saves go through the service (audited, bad lines reported)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.inspection.models import WordingDictionary
from gongkai.inspection.services import wording_dictionary_save
from gongkai.orgs.permissions import Perm, can, scope


@admin.register(WordingDictionary)
class WordingDictionaryAdmin(admin.ModelAdmin):
    list_display = ("organisation", "updated_at")
    fields = ("organisation", "entries")
    raw_id_fields = ("organisation",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[WordingDictionary]:
        return scope(super().get_queryset(request), request.user, Perm.APPROVE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return True
        return can(request.user, Perm.APPROVE, obj.organisation)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return True

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        row, bad = wording_dictionary_save(
            actor=request.user, organisation=obj.organisation, entries=obj.entries
        )
        obj.pk = row.pk
        for line in bad:
            messages.warning(request, f"以下词条格式有误，未生效——{line}")
