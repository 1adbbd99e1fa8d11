"""条例第三十五条 (reasons for an excessive application) and sending a decision back."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from gongkai.accounts.types import Actor
from gongkai.core.inforequest_flow import (
    Action,
)
from gongkai.core.workdays import Event
from gongkai.inforequests.caselog import local_today as _today
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.services._base import (
    take_step,
)


def inforequest_ask_reasons(
    *, actor: Actor, request: InfoRequest, reasons_due: date, on: date | None = None
) -> InfoRequest:
    """条例第三十五条: the quantity or frequency is clearly excessive; ask for reasons.

    The 条例 does not stop the reply clock here [U]; the interval is recorded.
    """
    on = on or _today()
    if reasons_due <= on:
        raise ValidationError({"reasons_due": "说明理由的期限应晚于告知日期。"})
    return take_step(
        request,
        Action.ASK_REASONS,
        actor=actor,
        on=on,
        data={"reasons_due": reasons_due.isoformat()},
    )


def inforequest_accept_reasons(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    """The reasons are reasonable and the reply can be made in the normal period."""
    return take_step(request, Action.ACCEPT_REASONS, actor=actor, on=on)


def inforequest_agree_delay(
    *,
    actor: Actor,
    request: InfoRequest,
    new_due: date,
    reason: str,
    on: date | None = None,
) -> InfoRequest:
    """条例第三十五条: reasons accepted, a reasonable later reply date set and notified."""
    on = on or _today()
    if new_due <= on:
        raise ValidationError({"new_due": "延迟答复的期限应晚于今天。"})
    if not reason.strip():
        raise ValidationError({"reason": "请说明延迟答复的理由。"})
    return take_step(
        request,
        Action.AGREE_DELAY,
        actor=actor,
        on=on,
        ledger_event=Event(kind="delay_agreed", date=on, until=new_due),
        data={"new_due": new_due.isoformat(), "reason": reason.strip()},
    )


def inforequest_reject_as_excessive(
    *, actor: Actor, request: InfoRequest, note: str, on: date | None = None
) -> InfoRequest:
    """条例第三十五条: no reasons or unreasonable ones → 不予处理 (row （五）4)."""
    if not note.strip():
        raise ValidationError({"note": "请写明不予处理的理由。"})
    return take_step(
        request, Action.REJECT_AS_EXCESSIVE, actor=actor, on=on, note=note.strip()
    )


def inforequest_revise_decision(
    *, actor: Actor, request: InfoRequest, reason: str, on: date | None = None
) -> InfoRequest:
    """The office head sends a decision back before the reply is sent."""
    if not reason.strip():
        raise ValidationError({"reason": "请说明退回修改的理由。"})
    result = take_step(
        request,
        Action.REVISE_DECISION,
        actor=actor,
        on=on,
        data={"reason": reason.strip()},
    )
    result.outcome, result.outcome_note = "", ""
    result.save(update_fields=["outcome", "outcome_note"])
    return result
