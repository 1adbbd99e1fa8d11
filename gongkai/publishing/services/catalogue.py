"""Writes to an organisation's catalogue (领域 and 事项)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.publishing.catalogue_template import RULES_AREA, template
from gongkai.publishing.models import (
    CatalogueArea,
    CatalogueItem,
)
from gongkai.publishing.reference import parse_time_limit

# ------------------------------------------------------------------ catalogue


@transaction.atomic
def catalogue_load_template(
    *, actor: Actor, organisation: Organisation, template_key: str = ""
) -> int:
    """Load the body's standard catalogue into ``organisation``: the template it
    follows (``Organisation.catalogue_template_key``: 街道 5 areas / 18 items, 乡镇,
    村（居）, county department; or ``template_key``), and for a disclosure body its
    政府信息公开制度 (4 items, ``RULES_AREA``).

    Idempotent: existing areas and items are kept as adapted. A 社区 gets the same
    rows with itself as 公开主体 and 公开层级 乡级 only. Returns items created.
    """
    if actor is not None:
        require(actor, Perm.EDIT, organisation)
    subject = organisation.name
    if organisation.kind == Organisation.Kind.COMMUNITY and organisation.parent:
        subject = f"{organisation.parent.name}、{organisation.name}"
    created = 0
    chosen = template(template_key or organisation.catalogue_template_key)
    areas = list(enumerate(chosen.areas, start=1))
    if organisation.is_disclosure_body:
        areas.insert(0, (0, RULES_AREA))  # its own 政府信息公开制度 first
    for area_order, spec in areas:
        area, _ = CatalogueArea.objects.get_or_create(
            organisation=organisation,
            code=spec.code,
            defaults={"name": spec.name, "order": area_order},
        )
        for order, row in enumerate(spec.items, start=1):
            _, was_created = CatalogueItem.objects.get_or_create(
                organisation=organisation,
                item_l1=row.item_l1,
                item_l2=row.item_l2,
                defaults={
                    "area": area,
                    "order": order,
                    "content": row.content,
                    "basis": row.basis,
                    "time_limit_text": row.time_limit_text,
                    "time_limit_days": row.time_limit_days,
                    "subjects": subject,
                    "channels": list(row.channels),
                    "audience_public": row.audience_public,
                    "audience_specific": row.audience_specific,
                    "mode_proactive": row.mode_proactive,
                    "mode_on_request": row.mode_on_request,
                    "level_county": row.level_county,
                    "level_township": row.level_township,
                    "update_period_days": row.update_period_days,
                    "art20": row.art20,
                },
            )
            created += int(was_created)
    if not created:
        return 0  # nothing written: nothing to audit (the load is idempotent)
    audit_record(
        action="publishing.catalogue.load_template",
        actor=actor,
        organisation=organisation,
        details={"created_items": created, "template": chosen.key},
    )
    return created


CATALOGUE_FIELDS = (
    "item_l1",
    "item_l2",
    "content",
    "basis",
    "time_limit_text",
    "time_limit_days",
    "subjects",
    "channels",
    "audience_public",
    "audience_specific",
    "mode_proactive",
    "mode_on_request",
    "level_county",
    "level_township",
    "update_period_days",
    "art20",
    "is_active",
)


def _fill_from_time_limit(fields: dict[str, Any]) -> None:
    """When 公开时限 is written and the working days or the refresh period are not
    given with it, read them from the text ("7个工作日内", "每季度更新")."""
    text = fields.get("time_limit_text")
    if text is None:
        return
    days, period = parse_time_limit(text)
    if fields.get("time_limit_days") is None and days is not None:
        fields["time_limit_days"] = days
    if fields.get("update_period_days") is None and period is not None:
        fields["update_period_days"] = period


@transaction.atomic
def catalogue_item_create(
    *, actor: Actor, area: CatalogueArea, **fields: Any
) -> CatalogueItem:
    """Add a row to an area of the catalogue (an organisation's own item)."""
    require(actor, Perm.EDIT, area.organisation)
    unknown = set(fields) - set(CATALOGUE_FIELDS)
    if unknown:
        raise ValidationError(f"未知的目录字段：{', '.join(sorted(unknown))}")
    if CatalogueItem.objects.filter(
        organisation=area.organisation,
        item_l1=fields.get("item_l1", ""),
        item_l2=fields.get("item_l2", ""),
    ).exists():
        raise ValidationError("本机构目录中已有同名的公开事项。")
    _fill_from_time_limit(fields)
    top = area.items.aggregate(m=Max("order"))["m"] or 0
    item = CatalogueItem(
        organisation=area.organisation, area=area, order=top + 1, **fields
    )
    if not (item.mode_proactive or item.mode_on_request):
        raise ValidationError("公开方式至少选择“主动”或“依申请”之一。")
    item.full_clean(exclude=["organisation", "area"])
    item.save()
    audit_record(
        action="publishing.catalogue.create",
        actor=actor,
        organisation=area.organisation,
        obj=item,
        details={"area": area.code, "item": str(item)},
    )
    return item


@transaction.atomic
def catalogue_item_update(
    *, actor: Actor, item: CatalogueItem, **fields: Any
) -> CatalogueItem:
    """Adapt one catalogue row (a community narrows or rewords its catalogue)."""
    require(actor, Perm.EDIT, item.organisation)
    unknown = set(fields) - set(CATALOGUE_FIELDS)
    if unknown:
        raise ValidationError(f"未知的目录字段：{', '.join(sorted(unknown))}")
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    _fill_from_time_limit(fields)
    before = {k: getattr(item, k) for k in fields}
    for key, value in fields.items():
        setattr(item, key, value)
    if not (item.mode_proactive or item.mode_on_request):
        raise ValidationError("公开方式至少选择“主动”或“依申请”之一。")
    item.full_clean(exclude=["organisation", "area"])
    item.save(update_fields=[*fields, "updated_at"])
    audit_record(
        action="publishing.catalogue.update",
        actor=actor,
        organisation=item.organisation,
        obj=item,
        details={
            "changes": {k: [before[k], v] for k, v in fields.items() if before[k] != v}
        },
    )
    return item
