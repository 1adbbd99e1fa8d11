"""信息处理费 steps: notice, payment, waiver, non-payment (条例第四十二条)."""

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


def inforequest_waive_fee(
    *, actor: Actor, request: InfoRequest, reason: str, on: date | None = None
) -> InfoRequest:
    """The office decides not to charge after all (docs/legal-notes.md §1.5)."""
    on = on or _today()
    if not reason.strip():
        raise ValidationError({"reason": "请说明不收费的理由。"})
    return take_step(
        request,
        Action.WAIVE_FEE,
        actor=actor,
        on=on,
        ledger_event=Event(kind="fee_paid", date=on, note="决定不收费"),
        data={"reason": reason.strip()},
    )


def inforequest_issue_fee_notice(
    *,
    actor: Actor,
    request: InfoRequest,
    amount_yuan: int,
    delivered_on: date,
    on: date | None = None,
    pieces: int = 0,
) -> InfoRequest:
    """收费通知 (第四十二条): the applicant has 20 working days to pay; the time is not counted."""
    on = on or _today()
    if amount_yuan <= 0:
        raise ValidationError({"amount_yuan": "收费金额应大于零。"})
    if delivered_on < on:
        raise ValidationError({"delivered_on": "送达日期不能早于发出日期。"})
    return take_step(
        request,
        Action.ISSUE_FEE_NOTICE,
        actor=actor,
        on=on,
        ledger_event=Event(kind="fee_notice_sent", date=on, delivered_on=delivered_on),
        data={
            "amount_yuan": amount_yuan,
            "delivered_on": delivered_on.isoformat(),
            **({"pieces": pieces} if pieces else {}),
        },
    )


def inforequest_record_payment(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    on = on or _today()
    return take_step(
        request,
        Action.RECORD_PAYMENT,
        actor=actor,
        on=on,
        ledger_event=Event(kind="fee_paid", date=on),
    )


def inforequest_expire_fee(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    on = on or _today()
    return take_step(
        request,
        Action.EXPIRE_FEE,
        actor=actor,
        on=on,
        ledger_event=Event(kind="closed", date=on, reason="逾期未缴费"),
    )
