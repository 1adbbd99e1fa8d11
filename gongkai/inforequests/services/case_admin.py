"""Bookkeeping of a case that is no step of it: handler, revealing personal data,
deadline-change notices."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record, audit_reveal
from gongkai.inforequests.caselog import local_today as _today
from gongkai.inforequests.caselog import (
    note_on_case,
)
from gongkai.inforequests.models import DeadlineChange, InfoRequest
from gongkai.inforequests.services._base import (
    lock_case,
)
from gongkai.orgs.permissions import Perm, can, require


@transaction.atomic
def inforequest_assign(
    *, actor: Actor, request: InfoRequest, handler: Any
) -> InfoRequest:
    request = lock_case(request)
    require(actor, Perm.EDIT, request.organisation)
    if handler is not None and not can(handler, Perm.EDIT, request.organisation):
        raise ValidationError({"handler": "承办人须对该机构有办理权限。"})
    request.handler = handler
    request.save(update_fields=["handler", "updated_at"])
    note_on_case(
        request,
        actor=actor,
        action="assign",
        on=_today(),
        data={"handler": getattr(handler, "username", "")},
    )
    audit_record(
        action="inforequest.assign",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={"handler": getattr(handler, "username", "")},
    )
    return request


def may_see_personal_data(actor: Actor, request: InfoRequest) -> bool:
    """The reveal rule: the case's handler, or someone who may approve at its
    organisation (the office head). Used for revealing a masked value and for
    downloading the application's attachments (identity documents)."""
    return (
        request.handler_id is not None
        and request.handler_id == getattr(actor, "pk", None)
    ) or can(actor, Perm.APPROVE, request.organisation)


def reveal_personal_data(*, actor: Actor, request: InfoRequest, field_name: str) -> str:
    """Show one full personal value to the handler or the office head; audited."""
    if field_name not in ("id_number", "phone", "email", "address"):
        raise ValidationError("无效的字段。")
    return audit_reveal(
        action="inforequest.reveal",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        allowed=may_see_personal_data(actor, request),
        refusal="只有承办人和负责人可以查看完整的个人信息。",
        value=lambda: str(getattr(request, field_name)),
        details={"field": field_name},
    )


@transaction.atomic
def inforequest_acknowledge_deadline_changes(
    *, actor: Actor, request: InfoRequest
) -> int:
    """知道了: the handler has seen that a calendar change moved this case's due date.
    Returns how many notices were marked read."""
    require(actor, Perm.EDIT, request.organisation)
    unread = DeadlineChange.objects.filter(request=request, acknowledged=False)
    marked = unread.update(acknowledged=True)
    if marked:
        audit_record(
            action="inforequest.deadline_changes.acknowledge",
            actor=actor,
            organisation=request.organisation,
            obj=request,
            details={"notices": marked},
        )
    return marked
