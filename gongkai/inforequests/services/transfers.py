"""转办 and 协办 between disclosure bodies on the platform.

转办: the sending body proposes (``transfer_propose``), the receiving body declines
(``transfer_decline``) or accepts — acceptance registers a new case there through the
intake code and decides the sender's case, so it is taken by ``steps.accept_transfer``
(the step layer, which may register and issue letters); the pieces it needs are here:
``transfer_check_acceptable``, ``inforequest_conclude_transferred`` (the sender's
第三十六条第（五）项 decision, through ``take_step``) and ``transfer_record_acceptance``.

协办: ``assistance_request`` / ``assistance_answer`` record another body's contribution
on the case; the status does not move.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.inforequest_flow import (
    Action,
    IllegalTransition,
    Outcome,
    Status,
    transition,
)
from gongkai.core.inforequest_text import text_too_long
from gongkai.inforequests.caselog import local_today as _today
from gongkai.inforequests.caselog import note_on_case
from gongkai.inforequests.models import Assistance, InfoRequest, Transfer
from gongkai.inforequests.services._base import lock_case, take_step
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require


def _check_day(on: date, request: InfoRequest, field: str = "on") -> None:
    if on > _today():
        raise ValidationError({field: "日期不能晚于今天。"})
    if on < request.received_on:
        raise ValidationError(
            {
                field: f"日期不能早于收到申请之日（{request.received_on:%Y年%-m月%-d日}）。"
            }
        )


def _check_other_body(
    request: InfoRequest, organisation: Organisation | None, what: str
) -> Organisation:
    if organisation is None or not organisation.is_active:
        raise ValidationError({"to_organisation": f"{what}机关不在本平台上。"})
    if not organisation.is_disclosure_body:
        raise ValidationError(
            {
                "to_organisation": f"“{organisation.label}”不是政府信息公开主体，"
                f"不能{'接收转办' if what == '接收' else '协办'}。"
            }
        )
    if organisation.pk == request.organisation_id:
        raise ValidationError({"to_organisation": f"{what}机关不能是本机关。"})
    return organisation


def _check_open(request: InfoRequest) -> None:
    if Status(request.status).is_concluded:
        raise ValidationError("该申请已办结，不能转办。")
    try:
        transition(request.status, Action.DECIDE)
    except IllegalTransition as exc:
        raise ValidationError(
            f"申请处于“{Status(request.status).label}”状态，不能转办。"
        ) from exc


def _check_length(step: str, field: str, value: str) -> None:
    # The same limit as the form's (core/inforequest_text.py), for the API too.
    too_long = text_too_long(step, {field: value})
    if too_long:
        raise ValidationError(too_long)


@transaction.atomic
def transfer_propose(
    *,
    actor: Actor,
    request: InfoRequest,
    to_organisation: Organisation | None,
    reason: str,
    on: date | None = None,
) -> Transfer:
    """The sending body proposes to transfer the case to another body on the platform."""
    on = on or _today()
    request = lock_case(request)
    require(actor, Perm.EDIT, request.organisation)
    body = _check_other_body(request, to_organisation, "接收")
    _check_open(request)
    if not reason.strip():
        raise ValidationError(
            {"reason": "请说明转办理由（为什么不属于本机关负责公开）。"}
        )
    _check_length("transfer_propose", "reason", reason)
    _check_day(on, request)
    if request.transfers_out.filter(status=Transfer.Status.PROPOSED).exists():
        raise ValidationError("该申请已有待对方接收的转办。")
    transfer = Transfer.objects.create(
        from_request=request,
        to_organisation=body,
        reason=reason.strip(),
        proposed_on=on,
        proposed_by=stored_user(actor),
    )
    note_on_case(
        request,
        actor=actor,
        action="transfer_proposed",
        on=on,
        data={"transfer": transfer.pk, "to_organisation": body.name},
    )
    audit_record(
        action="inforequest.transfer_propose",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={"transfer": transfer.pk, "to_organisation": body.pk},
    )
    return transfer


def _lock_pending(transfer: Transfer) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update()
        .select_related("from_request", "to_organisation")
        .get(pk=transfer.pk)
    )
    if transfer.status != Transfer.Status.PROPOSED:
        raise ValidationError(f"该转办已{transfer.get_status_display()}。")
    return transfer


def transfer_check_acceptable(
    *, actor: Actor, transfer: Transfer, on: date
) -> Transfer:
    """Lock a pending transfer and check that ``actor`` may accept it on ``on``."""
    transfer = _lock_pending(transfer)
    require(actor, Perm.EDIT, transfer.to_organisation)
    _check_other_body(transfer.from_request, transfer.to_organisation, "接收")
    _check_open(transfer.from_request)
    if on < transfer.proposed_on:
        raise ValidationError({"on": "接收日期不能早于转办提出日期。"})
    _check_day(on, transfer.from_request)
    return transfer


def inforequest_conclude_transferred(
    *, actor: Actor, request: InfoRequest, note: str, on: date
) -> InfoRequest:
    """The sender's decision: 不属于本机关负责公开 (第三十六条第（五）项)."""
    return take_step(
        request,
        Action.DECIDE,
        actor=actor,
        on=on,
        chosen=Outcome.UNABLE_NOT_HELD.value,
        note=note,
        data={"variant": "not_responsible"},
    )


@transaction.atomic
def transfer_record_acceptance(
    *, actor: Actor, transfer: Transfer, to_request: InfoRequest, on: date
) -> Transfer:
    """Link the two cases and put the handover on both timelines."""
    transfer = _lock_pending(transfer)
    require(actor, Perm.EDIT, transfer.to_organisation)
    source = transfer.from_request
    transfer.status = Transfer.Status.ACCEPTED
    transfer.to_request = to_request
    transfer.decided_on = on
    transfer.decided_by = stored_user(actor)
    transfer.save(update_fields=["status", "to_request", "decided_on", "decided_by"])
    source.refresh_from_db()
    note_on_case(
        source,
        actor=actor,
        action="transfer_accepted",
        on=on,
        data={
            "transfer": transfer.pk,
            "to_organisation": transfer.to_organisation.name,
            "to_tracking_number": to_request.tracking_number,
        },
    )
    note_on_case(
        to_request,
        actor=actor,
        action="transfer_received",
        on=on,
        data={
            "transfer": transfer.pk,
            "from_organisation": source.organisation.name,
            "from_tracking_number": source.tracking_number,
        },
    )
    audit_record(
        action="inforequest.transfer_accept",
        actor=actor,
        organisation=transfer.to_organisation,
        obj=to_request,
        details={"transfer": transfer.pk, "from_request": source.pk},
    )
    return transfer


@transaction.atomic
def transfer_decline(
    *, actor: Actor, transfer: Transfer, reason: str, on: date | None = None
) -> Transfer:
    """The receiving body declines; the sender's case goes on as before."""
    on = on or _today()
    transfer = _lock_pending(transfer)
    require(actor, Perm.EDIT, transfer.to_organisation)
    if not reason.strip():
        raise ValidationError({"reason": "请说明不接收的理由。"})
    _check_length("transfer_decline", "reason", reason)
    if on < transfer.proposed_on or on > _today():
        raise ValidationError({"on": "日期应在转办提出日期与今天之间。"})
    transfer.status = Transfer.Status.DECLINED
    transfer.decided_on = on
    transfer.decided_by = stored_user(actor)
    transfer.decline_reason = reason.strip()
    transfer.save(
        update_fields=["status", "decided_on", "decided_by", "decline_reason"]
    )
    source = transfer.from_request
    note_on_case(
        source,
        actor=actor,
        action="transfer_declined",
        on=on,
        data={
            "transfer": transfer.pk,
            "to_organisation": transfer.to_organisation.name,
            "reason": transfer.decline_reason,
        },
    )
    audit_record(
        action="inforequest.transfer_decline",
        actor=actor,
        organisation=transfer.to_organisation,
        obj=source,
        details={"transfer": transfer.pk},
    )
    return transfer


@transaction.atomic
def assistance_request(
    *,
    actor: Actor,
    request: InfoRequest,
    organisation: Organisation | None,
    question: str,
    due_on: date | None = None,
    on: date | None = None,
) -> Assistance:
    """协办: ask another body on the platform to contribute part of the answer."""
    on = on or _today()
    request = lock_case(request)
    require(actor, Perm.EDIT, request.organisation)
    body = _check_other_body(request, organisation, "协办")
    if Status(request.status).is_concluded:
        raise ValidationError("该申请已办结，不能请求协办。")
    if not question.strip():
        raise ValidationError({"question": "请写明需要协办的事项。"})
    _check_length("assistance_request", "question", question)
    _check_day(on, request)
    if due_on is not None and due_on < on:
        raise ValidationError({"due_on": "回复期限不能早于请求日期。"})
    item = Assistance.objects.create(
        request=request,
        organisation=body,
        asked_on=on,
        question=question.strip(),
        due_on=due_on,
        asked_by=stored_user(actor),
    )
    note_on_case(
        request,
        actor=actor,
        action="assistance_requested",
        on=on,
        data={"assistance": item.pk, "organisation": body.name},
    )
    audit_record(
        action="inforequest.assistance_request",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={"assistance": item.pk, "organisation": body.pk},
    )
    return item


@transaction.atomic
def assistance_answer(
    *, actor: Actor, assistance: Assistance, answer: str, on: date | None = None
) -> Assistance:
    """The assisting body's reply and its date."""
    on = on or _today()
    item = (
        Assistance.objects.select_for_update()
        .select_related("request", "organisation")
        .get(pk=assistance.pk)
    )
    require(actor, Perm.EDIT, item.organisation)
    if item.answered_on is not None:
        raise ValidationError("该协办请求已回复。")
    if not answer.strip():
        raise ValidationError({"answer": "请填写协办回复。"})
    _check_length("assistance_answer", "answer", answer)
    if on < item.asked_on or on > _today():
        raise ValidationError({"on": "回复日期应在请求日期与今天之间。"})
    item.answer = answer.strip()
    item.answered_on = on
    item.answered_by = stored_user(actor)
    item.save(update_fields=["answer", "answered_on", "answered_by"])
    note_on_case(
        item.request,
        actor=actor,
        action="assistance_answered",
        on=on,
        data={"assistance": item.pk, "organisation": item.organisation.name},
    )
    audit_record(
        action="inforequest.assistance_answer",
        actor=actor,
        organisation=item.organisation,
        obj=item.request,
        details={"assistance": item.pk},
    )
    return item
