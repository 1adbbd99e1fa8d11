"""Read-only admin views (workflow rows change only through the services)."""

from __future__ import annotations

from django.contrib import admin

from gongkai.orgs.admin import ScopedAdmin
from gongkai.publishing.models import (
    CatalogueItem,
    ChannelDelivery,
    EnforcementDecision,
    FeeRecord,
    NormativeDocument,
    Publication,
)


@admin.register(Publication)
class PublicationAdmin(ScopedAdmin):
    list_display = ("index_no", "title", "organisation", "status", "published_at")
    list_filter = ("status", "genre")
    search_fields = ("index_no", "title")


@admin.register(CatalogueItem)
class CatalogueItemAdmin(ScopedAdmin):
    list_display = ("item_l1", "item_l2", "organisation", "time_limit_text")


@admin.register(NormativeDocument)
class NormativeDocumentAdmin(ScopedAdmin):
    list_display = ("title", "kind", "organisation", "issued_on", "repealed_on")


@admin.register(EnforcementDecision)
class EnforcementDecisionAdmin(ScopedAdmin):
    list_display = ("document_number", "kind", "organisation", "decided_on")
    list_filter = ("kind",)


@admin.register(FeeRecord)
class FeeRecordAdmin(ScopedAdmin):
    list_display = ("item", "organisation", "collected_on", "amount_wan")


@admin.register(ChannelDelivery)
class ChannelDeliveryAdmin(ScopedAdmin):
    org_via = "publication__organisation"
    list_display = ("publication", "channel", "status", "attempts", "last_error")
    list_filter = ("channel", "status")
