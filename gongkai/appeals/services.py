from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor
from gongkai.appeals.models import Appeal
from gongkai.audit.services import audit_record
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require


@transaction.atomic
def appeal_register(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    filed_on: date,
    case_number: str = "",
    request: Any = None,
    note: str = "",
) -> Appeal:
    if actor is not None:
        require(actor, Perm.EDIT, organisation)
    if kind not in Appeal.Kind.values:
        raise ValidationError({"kind": "请选择案件类型（行政复议或行政诉讼）。"})
    if request is not None and request.organisation_id != organisation.pk:
        raise ValidationError({"request": "关联的申请不属于该机关。"})
    appeal = Appeal.objects.create(
        organisation=organisation,
        kind=kind,
        filed_on=filed_on,
        case_number=case_number.strip(),
        request=request,
        note=note,
    )
    audit_record(
        action="appeal.register", actor=actor, organisation=organisation, obj=appeal
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor: Actor, appeal: Appeal, decided_on: date, result: str
) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if actor is not None:
        require(actor, Perm.EDIT, appeal.organisation)
    if appeal.decided_on is not None:
        raise ValidationError("该案件已审结，不能重复登记结果。")
    if result not in Appeal.Result.values:
        raise ValidationError({"result": "请选择结果（维持、纠正或其他）。"})
    if decided_on < appeal.filed_on:
        raise ValidationError({"decided_on": "审结日期不能早于立案日期。"})
    appeal.decided_on, appeal.result = decided_on, result
    appeal.save(update_fields=["decided_on", "result"])
    audit_record(
        action="appeal.decide",
        actor=actor,
        organisation=appeal.organisation,
        obj=appeal,
        details={"result": result},
    )
    return appeal
