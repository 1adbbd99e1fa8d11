"""The admin site goes through the permission helper like every other screen:
querysets are scoped, and each change is checked against the object's organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.orgs.models import Membership, Organisation
from gongkai.orgs.permissions import Perm, can, organisations_for, scope
from gongkai.orgs.services import (
    ORG_FIELDS,
    check_can_stop_being_a_body,
    organisation_update,
)


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose rows are limited to the user's organisations.

    ``org_via`` names the path to the row's organisation; ``view_perm`` and
    ``change_perm`` are the permissions needed to see and to change a row.
    """

    org_via = "organisation"
    view_perm = Perm.VIEW
    change_perm: Perm | None = None  # None: read-only in the admin (workflow rows)

    def _org_of(self, obj: Any) -> Organisation:
        if self.org_via == "self":
            return obj
        target = obj
        for part in self.org_via.split("__"):
            target = getattr(target, part)
        return target

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope(
            super().get_queryset(request),
            request.user,
            self.view_perm,
            via=self.org_via,
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return organisations_for(request.user, self.view_perm).exists()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_module_permission(request)
        return can(request.user, self.view_perm, self._org_of(obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self.change_perm is None:
            return False
        if obj is None:
            return organisations_for(request.user, self.change_perm).exists()
        return can(request.user, self.change_perm, self._org_of(obj))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OrganisationForm(forms.ModelForm):
    """Refuses on the page (not with a 500 on saving) what the service would refuse."""

    class Meta:
        model = Organisation
        fields = (
            "name",
            "short_name",
            "kind",
            "is_disclosure_body",
            "credit_code",
            "division_code",
            "office_name",
            "office_address",
            "office_hours",
            "office_phone",
            "office_email",
            "office_postcode",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        original = self.instance
        if (
            original.pk is not None
            and data.get("is_disclosure_body") is False
            and Organisation.objects.filter(
                pk=original.pk, is_disclosure_body=True
            ).exists()
        ):
            check_can_stop_being_a_body(original)
        return data


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    form = OrganisationForm
    org_via = "self"
    view_perm = Perm.MANAGE_ORGS
    change_perm = Perm.MANAGE_ORGS
    list_display = (
        "name",
        "kind",
        "is_disclosure_body",
        "credit_code",
        "division_code",
        "is_active",
    )
    list_filter = ("kind", "is_disclosure_body", "is_active")
    search_fields = ("name", "short_name", "credit_code")
    readonly_fields = ("parent", "path", "depth")

    def save_model(
        self, request: HttpRequest, obj: Organisation, form: Any, change: bool
    ) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in ORG_FIELDS
            if name in form.changed_data
        }
        original = Organisation.objects.get(pk=obj.pk)
        organisation_update(actor=request.user, organisation=original, **fields)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    view_perm = Perm.MANAGE_ORGS
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "organisation__name")
