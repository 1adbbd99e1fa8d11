"""The main steps of an application: accept, 补正 (条例第三十条), extend (第三十三条),
decide, reply, withdraw, archive."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor
from gongkai.core.inforequest_flow import (
    Action,
    Outcome,
)
from gongkai.core.workdays import Event
from gongkai.inforequests.caselog import local_today as _today
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.services._base import (
    take_step,
)


def inforequest_accept(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    return take_step(request, Action.ACCEPT, actor=actor, on=on)


def inforequest_request_clarification(
    *,
    actor: Actor,
    request: InfoRequest,
    deadline: date,
    what: str,
    on: date | None = None,
) -> InfoRequest:
    """一次性告知补正 (条例第三十条): the reply period restarts when the correction arrives."""
    on = on or _today()
    if deadline <= on:
        raise ValidationError({"deadline": "补正期限应晚于告知日期。"})
    if not what.strip():
        raise ValidationError({"what": "请写明需要补正的事项。"})
    return take_step(
        request,
        Action.REQUEST_CLARIFICATION,
        actor=actor,
        on=on,
        ledger_event=Event(kind="correction_requested", date=on, until=deadline),
        data={"what": what.strip(), "deadline": deadline.isoformat()},
    )


def inforequest_receive_clarification(
    *,
    actor: Actor,
    request: InfoRequest,
    on: date | None = None,
    by_applicant: bool = False,
    data: dict[str, Any] | None = None,
) -> InfoRequest:
    """收到补正: the reply period restarts from ``on`` (条例第三十条). Staff record the
    date of receipt; ``by_applicant``: the applicant answered online in 我的申请 (the
    caller proved the right to the case and gives the 第三十一条 date)."""
    on = on or _today()
    return take_step(
        request,
        Action.RECEIVE_CLARIFICATION,
        actor=actor,
        on=on,
        perm=None if by_applicant else "by_step",
        ledger_event=Event(kind="correction_received", date=on),
        data={**(data or {}), **({"by": "applicant"} if by_applicant else {})},
    )


def inforequest_expire_clarification(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    on = on or _today()
    return take_step(
        request,
        Action.EXPIRE_CLARIFICATION,
        actor=actor,
        on=on,
        ledger_event=Event(kind="closed", date=on, reason="逾期不补正"),
    )


@transaction.atomic
def inforequest_extend(
    *,
    actor: Actor,
    request: InfoRequest,
    working_days: int,
    reason: str,
    on: date | None = None,
) -> InfoRequest:
    """延长答复期限 (条例第三十三条第二款): approved by the office head (``HEAD_STEPS``).
    Once, at most 20 working days, decided within the reply period: the ledger's rule
    (``core.workdays``), run on the case's events with this one."""
    on = on or _today()
    if not reason.strip():
        raise ValidationError({"reason": "请填写延期理由。"})
    approver = getattr(actor, "display_name", str(actor))
    result = take_step(
        request,
        Action.EXTEND,
        actor=actor,
        on=on,
        ledger_event=Event(
            kind="extension", date=on, working_days=working_days, approver=approver
        ),
        data={"reason": reason.strip(), "working_days": working_days},
    )
    total = request.extended_days + working_days
    InfoRequest.objects.filter(pk=result.pk).update(extended_days=total)
    result.extended_days = total
    return result


def inforequest_decide(
    *,
    actor: Actor,
    request: InfoRequest,
    outcome: str,
    note: str,
    on: date | None = None,
) -> InfoRequest:
    """作出处理决定: exactly one of the 21 outcome rows of table 三 (with its legal basis)."""
    if outcome not in {o.value for o in Outcome}:
        raise ValidationError({"outcome": "请选择办理结果。"})
    if Outcome(outcome) is Outcome.PARTIAL and not note.strip():
        raise ValidationError({"note": "部分公开的，请写明不予公开的部分及理由。"})
    return take_step(
        request, Action.DECIDE, actor=actor, on=on, chosen=outcome, note=note.strip()
    )


def inforequest_send_reply(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    """答复送达. With GONGKAI_REPLY_NEEDS_APPROVAL (default on) only the office head may send it."""
    on = on or _today()
    return take_step(
        request,
        Action.SEND_REPLY,
        actor=actor,
        on=on,
        ledger_event=Event(kind="replied", date=on),
    )


def inforequest_answer_on_the_spot(
    *,
    actor: Actor,
    request: InfoRequest,
    outcome: str,
    note: str = "",
    on: date | None = None,
) -> InfoRequest:
    on = on or _today()
    return take_step(
        request,
        Action.ANSWER_ON_THE_SPOT,
        actor=actor,
        on=on,
        chosen=outcome,
        note=note,
        ledger_event=Event(kind="replied", date=on),
    )


def inforequest_withdraw(
    *,
    actor: Actor,
    request: InfoRequest,
    on: date | None = None,
    note: str = "",
    by_applicant: bool = False,
) -> InfoRequest:
    """撤回申请: recorded by staff, or by the applicant online (``by_applicant``)."""
    on = on or _today()
    return take_step(
        request,
        Action.WITHDRAW,
        actor=actor,
        on=on,
        perm=None if by_applicant else "by_step",
        note=note or "申请人撤回申请",
        ledger_event=Event(kind="closed", date=on, reason="撤回"),
        data={"by": "applicant"} if by_applicant else None,
    )


def inforequest_archive(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    return take_step(request, Action.ARCHIVE, actor=actor, on=on)
