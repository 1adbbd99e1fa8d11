"""Writes to applications. One service per action (STYLE §5): each locks the row,
moves the status through the core table (``core.inforequest_flow``), appends a
``CaseEvent`` (which is also the deadline ledger's input), recomputes and stores
the due date, and writes an audit row — all in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record
from gongkai.core.inforequest_flow import (
    Action,
    IllegalTransition,
    Outcome,
    Status,
    check_extension,
    outcome_for,
    transition,
)
from gongkai.core.inforequest_rules import (
    ConsultationOpinion,
    StepRefused,
    check_clarification_lapsed,
    check_clarification_notice_in_time,
    check_consultation_silence,
    check_fee_lapsed,
    check_fee_notice_in_time,
)
from gongkai.core.workdays import Event, Ledger, LedgerError
from gongkai.inforequests.caselog import (
    append_event,
    inforequest_ledger,
)
from gongkai.inforequests.caselog import local_today as _today
from gongkai.inforequests.models import DeadlineChange, InfoRequest
from gongkai.orgs.permissions import Perm, can, require


def _lock(request: InfoRequest) -> InfoRequest:
    return InfoRequest.objects.select_for_update().get(pk=request.pk)


def _check_date(request: InfoRequest, on: date, today: date) -> None:
    if on > today:
        raise ValidationError({"on": "日期不能晚于今天。"})
    if on < request.received_on:
        raise ValidationError(
            {
                "on": f"日期不能早于收到申请之日（{request.received_on:%Y年%-m月%-d日}）。"
            }
        )
    # Assigning a handler is bookkeeping dated today, not a step of the case: it
    # must not stop staff from recording a step that happened the day before.
    last = (
        request.events.exclude(action="assign")
        .order_by("-on", "-id")
        .values_list("on", flat=True)
        .first()
    )
    if last and on < last:
        raise ValidationError(
            {"on": f"日期不能早于上一条办理记录（{last:%Y年%-m月%-d日}）。"}
        )


Rule = Callable[[Ledger], None]


def _ledger_or_refuse(request: InfoRequest, today: date) -> Ledger:
    try:
        return inforequest_ledger(request, today, with_days=False)
    except LedgerError as exc:
        raise ValidationError(str(exc)) from exc


def _apply_rule(rule: Rule, ledger: Ledger) -> None:
    """Run a rule of ``core.inforequest_rules``; its refusal becomes a form error."""
    try:
        rule(ledger)
    except StepRefused as exc:
        raise ValidationError(
            {exc.field: exc.message} if exc.field else exc.message
        ) from exc


@transaction.atomic
def _act(
    request: InfoRequest,
    action: Action,
    *,
    actor: Actor,
    on: date | None = None,
    perm: Perm = Perm.EDIT,
    ledger_event: Event | None = None,
    chosen: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    rule_before: Rule | None = None,
    rule_after: Rule | None = None,
) -> InfoRequest:
    """Take one step: lock, check permission, date, transition and the 条例's timing
    rules (``rule_before`` on the ledger before the step, ``rule_after`` on the ledger
    with it), append the event, store status and due date, audit. A refused step
    raises ``ValidationError`` and leaves no trace (the transaction rolls back)."""
    today = _today()
    on = on or today
    request = _lock(request)
    require(actor, perm, request.organisation)
    _check_date(request, on, today)
    try:
        new_status = transition(request.status, action)
        outcome = outcome_for(action, chosen or None)
    except (IllegalTransition, ValueError) as exc:
        raise ValidationError(getattr(exc, "message", str(exc))) from exc
    if rule_before is not None:
        _apply_rule(rule_before, _ledger_or_refuse(request, today))
    old_status = request.status
    event = append_event(
        request,
        actor=actor,
        action=action.value,
        on=on,
        from_status=old_status,
        to_status=new_status,
        ledger_event=ledger_event,
        data={
            **(data or {}),
            **({"outcome": outcome.value} if outcome else {}),
            **({"note": note} if note else {}),
        },
    )
    ledger = _ledger_or_refuse(request, today)
    if rule_after is not None:
        _apply_rule(rule_after, ledger)
    request.status = new_status
    if outcome is not None:
        request.outcome = outcome.value
        request.outcome_note = note
    if Status(new_status).is_concluded and request.concluded_on is None:
        request.concluded_on = on
        if not request.outcome:
            request.outcome = Outcome.OTHER_OTHER.value
    request.due_on = ledger.due_date
    request.due_provisional = ledger.provisional
    request.save(
        update_fields=[
            "status",
            "outcome",
            "outcome_note",
            "concluded_on",
            "due_on",
            "due_provisional",
            "extended_days",
            "updated_at",
        ]
    )
    audit_record(
        action=f"inforequest.{action.value}",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={
            "from": old_status,
            "to": new_status,
            "event": event.pk,
            "outcome": request.outcome,
        },
    )
    return request


def inforequest_accept(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    return _act(request, Action.ACCEPT, actor=actor, on=on)


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
    return _act(
        request,
        Action.REQUEST_CLARIFICATION,
        actor=actor,
        on=on,
        ledger_event=Event(kind="correction_requested", date=on, until=deadline),
        data={"what": what.strip(), "deadline": deadline.isoformat()},
        rule_before=lambda ledger: check_clarification_notice_in_time(
            on=on, notice_due=ledger.correction_notice_due
        ),
    )


def inforequest_receive_clarification(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    on = on or _today()
    return _act(
        request,
        Action.RECEIVE_CLARIFICATION,
        actor=actor,
        on=on,
        ledger_event=Event(kind="correction_received", date=on),
    )


def inforequest_expire_clarification(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    on = on or _today()
    return _act(
        request,
        Action.EXPIRE_CLARIFICATION,
        actor=actor,
        on=on,
        ledger_event=Event(kind="closed", date=on, reason="逾期不补正"),
        rule_before=lambda ledger: check_clarification_lapsed(
            on=on, correction_deadline=ledger.correction_deadline
        ),
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
    """延长答复期限 (条例第三十三条第二款): approved by the office head, at most 20 working days."""
    on = on or _today()
    if not reason.strip():
        raise ValidationError({"reason": "请填写延期理由。"})
    try:
        total = check_extension(request.extended_days, working_days)
    except IllegalTransition as exc:
        raise ValidationError({"working_days": exc.message}) from exc
    approver = getattr(actor, "display_name", str(actor))
    result = _act(
        request,
        Action.EXTEND,
        actor=actor,
        on=on,
        perm=Perm.APPROVE,
        ledger_event=Event(
            kind="extension", date=on, working_days=working_days, approver=approver
        ),
        data={"reason": reason.strip(), "working_days": working_days},
    )
    InfoRequest.objects.filter(pk=result.pk).update(extended_days=total)
    result.extended_days = total
    return result


def inforequest_start_consultation(
    *,
    actor: Actor,
    request: InfoRequest,
    party: str,
    name: str,
    on: date | None = None,
    delivered_on: date | None = None,
) -> InfoRequest:
    """征求第三方 (第三十二条) or 其他机关 (第三十四条) 意见: the time is not counted.

    ``delivered_on`` is the day the party received the 征求意见书, when known; its 15
    working days run from it (else it is recorded when the consultation ends)."""
    on = on or _today()
    if delivered_on is not None and delivered_on < on:
        raise ValidationError({"delivered_on": "送达日期不能早于发出日期。"})
    if party not in ("third_party", "other_agency"):
        raise ValidationError(
            {"party": "请选择征求意见的对象（第三方或其他行政机关）。"}
        )
    if not name.strip():
        raise ValidationError({"name": "请填写被征求意见的单位或个人。"})
    ref = f"c{request.events.count() + 1}"
    return _act(
        request,
        Action.START_CONSULTATION,
        actor=actor,
        on=on,
        ledger_event=Event(
            kind="consultation_started",
            date=on,
            party=party,
            ref=ref,
            note=name.strip(),
            delivered_on=delivered_on,
        ),
        data={
            "party": party,
            "name": name.strip(),
            "ref": ref,
            **({"delivered_on": delivered_on.isoformat()} if delivered_on else {}),
        },
    )


def open_consultations(request: InfoRequest) -> list[dict[str, Any]]:
    started = {
        e.data["ref"]: {**e.data, "on": e.on.isoformat()}
        for e in request.events.filter(action=Action.START_CONSULTATION)
    }
    # A consultation ends either with the case's END_CONSULTATION (the last one) or
    # with "end_one_consultation" (another one is still running).
    for ended in request.events.filter(
        action__in=[Action.END_CONSULTATION.value, "end_one_consultation"]
    ):
        started.pop(ended.data.get("ref", ""), None)
    return list(started.values())


@transaction.atomic
def inforequest_end_consultation(
    *,
    actor: Actor,
    request: InfoRequest,
    ref: str,
    opinion: str,
    answer: str = "",
    on: date | None = None,
    delivered_on: date | None = None,
) -> InfoRequest:
    """The party answered (``agree`` / ``object``), or its 15 working days passed in
    silence (``no_reply``, only after the window: 第三十二条、第三十四条).

    ``delivered_on``: the party's receipt of the 征求意见书, if not recorded at the start.
    """
    on = on or _today()
    try:  # a withdrawn or decided case has no consultation left to end
        transition(request.status, Action.END_CONSULTATION)
    except IllegalTransition as exc:
        raise ValidationError(exc.message) from exc
    still_open = open_consultations(request)
    started = next((c for c in still_open if c["ref"] == ref), None)
    if started is None:
        raise ValidationError({"ref": "没有找到这项正在进行的征求意见。"})
    if opinion not in ConsultationOpinion.LABELS:
        raise ValidationError(
            {"opinion": "请选择对方的意见（同意、不同意或逾期未提出意见）。"}
        )
    if delivered_on is not None and delivered_on < date.fromisoformat(started["on"]):
        raise ValidationError(
            {"delivered_on": "送达日期不能早于发出征求意见书的日期。"}
        )
    delivery_known = bool(delivered_on or started.get("delivered_on"))

    def silence_rule(ledger: Ledger) -> None:
        if opinion != ConsultationOpinion.NO_REPLY:
            return
        pause = next(p for p in ledger.pauses if p.ref == ref)
        check_consultation_silence(
            on=on,
            window_end=pause.window_end if delivery_known else None,
            party=started["party"],
        )

    ledger_event = Event(
        kind="consultation_ended", date=on, ref=ref, delivered_on=delivered_on
    )
    data = {
        "ref": ref,
        "party": started["party"],
        "name": started["name"],
        "opinion": opinion,
        "answer": answer.strip(),
        **({"delivered_on": delivered_on.isoformat()} if delivered_on else {}),
    }
    if len(still_open) > 1:
        return _end_one_of_several(
            request,
            actor=actor,
            on=on,
            event=ledger_event,
            data=data,
            rule=silence_rule,
        )
    return _act(
        request,
        Action.END_CONSULTATION,
        actor=actor,
        on=on,
        ledger_event=ledger_event,
        data=data,
        rule_after=silence_rule,
    )


def _end_one_of_several(
    request: InfoRequest,
    *,
    actor: Actor,
    on: date,
    event: Event,
    data: dict[str, Any],
    rule: Rule,
) -> InfoRequest:
    """Another consultation is still running: record this one's end, stay in consultation."""
    today = _today()
    request = _lock(request)
    require(actor, Perm.EDIT, request.organisation)
    _check_date(request, on, today)
    append_event(
        request,
        actor=actor,
        action="end_one_consultation",
        on=on,
        from_status=request.status,
        to_status=request.status,
        ledger_event=event,
        data=data,
    )
    ledger = _ledger_or_refuse(request, today)
    _apply_rule(rule, ledger)
    request.due_on, request.due_provisional = ledger.due_date, ledger.provisional
    request.save(update_fields=["due_on", "due_provisional"])
    audit_record(
        action="inforequest.end_one_consultation",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={"ref": data["ref"], "opinion": data["opinion"]},
    )
    return request


def consultation_objectors(request: InfoRequest) -> list[str]:
    """Third parties that answered 不同意公开 (条例第三十二条): told in writing if disclosed."""
    ended = request.events.filter(
        action__in=[Action.END_CONSULTATION.value, "end_one_consultation"]
    ).order_by("on", "id")
    return [
        e.data.get("name", "")
        for e in ended
        if e.data.get("party") == "third_party"
        and e.data.get("opinion") == ConsultationOpinion.OBJECT
    ]


def inforequest_ask_reasons(
    *, actor: Actor, request: InfoRequest, reasons_due: date, on: date | None = None
) -> InfoRequest:
    """条例第三十五条: the quantity or frequency is clearly excessive; ask for reasons.

    The 条例 does not stop the reply clock here [U]; the interval is recorded.
    """
    on = on or _today()
    if reasons_due <= on:
        raise ValidationError({"reasons_due": "说明理由的期限应晚于告知日期。"})
    return _act(
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
    return _act(request, Action.ACCEPT_REASONS, actor=actor, on=on)


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
    return _act(
        request,
        Action.AGREE_DELAY,
        actor=actor,
        on=on,
        perm=Perm.APPROVE,
        ledger_event=Event(kind="delay_agreed", date=on, until=new_due),
        data={"new_due": new_due.isoformat(), "reason": reason.strip()},
    )


def inforequest_reject_as_excessive(
    *, actor: Actor, request: InfoRequest, note: str, on: date | None = None
) -> InfoRequest:
    """条例第三十五条: no reasons or unreasonable ones → 不予处理 (row （五）4)."""
    if not note.strip():
        raise ValidationError({"note": "请写明不予处理的理由。"})
    return _act(
        request, Action.REJECT_AS_EXCESSIVE, actor=actor, on=on, note=note.strip()
    )


def inforequest_waive_fee(
    *, actor: Actor, request: InfoRequest, reason: str, on: date | None = None
) -> InfoRequest:
    """The office decides not to charge after all (docs/legal-notes.md §1.5)."""
    on = on or _today()
    if not reason.strip():
        raise ValidationError({"reason": "请说明不收费的理由。"})
    return _act(
        request,
        Action.WAIVE_FEE,
        actor=actor,
        on=on,
        perm=Perm.APPROVE,
        ledger_event=Event(kind="fee_paid", date=on, note="决定不收费"),
        data={"reason": reason.strip()},
    )


def inforequest_revise_decision(
    *, actor: Actor, request: InfoRequest, reason: str, on: date | None = None
) -> InfoRequest:
    """The office head sends a decision back before the reply is sent."""
    if not reason.strip():
        raise ValidationError({"reason": "请说明退回修改的理由。"})
    result = _act(
        request,
        Action.REVISE_DECISION,
        actor=actor,
        on=on,
        perm=Perm.APPROVE,
        data={"reason": reason.strip()},
    )
    result.outcome, result.outcome_note = "", ""
    result.save(update_fields=["outcome", "outcome_note"])
    return result


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
    return _act(
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
        rule_before=lambda ledger: check_fee_notice_in_time(on=on, due=ledger.due_date),
    )


def inforequest_record_payment(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    on = on or _today()
    return _act(
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
    return _act(
        request,
        Action.EXPIRE_FEE,
        actor=actor,
        on=on,
        ledger_event=Event(kind="closed", date=on, reason="逾期未缴费"),
        rule_before=lambda ledger: check_fee_lapsed(
            on=on, payment_deadline=ledger.payment_deadline
        ),
    )


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
    return _act(
        request, Action.DECIDE, actor=actor, on=on, chosen=outcome, note=note.strip()
    )


def inforequest_send_reply(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    """答复送达. With GONGKAI_REPLY_NEEDS_APPROVAL (default on) only the office head may send it."""
    on = on or _today()
    perm = Perm.APPROVE if settings.REPLY_NEEDS_APPROVAL else Perm.EDIT
    return _act(
        request,
        Action.SEND_REPLY,
        actor=actor,
        on=on,
        perm=perm,
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
    return _act(
        request,
        Action.ANSWER_ON_THE_SPOT,
        actor=actor,
        on=on,
        chosen=outcome,
        note=note,
        ledger_event=Event(kind="replied", date=on),
    )


def inforequest_withdraw(
    *, actor: Actor, request: InfoRequest, on: date | None = None, note: str = ""
) -> InfoRequest:
    on = on or _today()
    return _act(
        request,
        Action.WITHDRAW,
        actor=actor,
        on=on,
        note=note or "申请人撤回申请",
        ledger_event=Event(kind="closed", date=on, reason="撤回"),
    )


def inforequest_archive(
    *, actor: Actor, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    return _act(request, Action.ARCHIVE, actor=actor, on=on)


@transaction.atomic
def inforequest_assign(
    *, actor: Actor, request: InfoRequest, handler: Any
) -> InfoRequest:
    request = _lock(request)
    require(actor, Perm.EDIT, request.organisation)
    if handler is not None and not can(handler, Perm.EDIT, request.organisation):
        raise ValidationError({"handler": "承办人须对该机构有办理权限。"})
    request.handler = handler
    request.save(update_fields=["handler", "updated_at"])
    append_event(
        request,
        actor=actor,
        action="assign",
        on=_today(),
        from_status=request.status,
        to_status=request.status,
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


def reveal_personal_data(*, actor: Actor, request: InfoRequest, field_name: str) -> str:
    """Show one full personal value to the handler or the office head; audited."""
    if field_name not in ("id_number", "phone", "email", "address"):
        raise ValidationError("无效的字段。")
    allowed = (
        request.handler_id is not None
        and request.handler_id == getattr(actor, "pk", None)
    ) or can(actor, Perm.APPROVE, request.organisation)
    if not allowed:
        audit_record(
            action="inforequest.reveal",
            actor=actor,
            organisation=request.organisation,
            obj=request,
            result="denied",
            details={"field": field_name},
        )
        raise PermissionDenied("只有承办人和负责人可以查看完整的个人信息。")
    audit_record(
        action="inforequest.reveal",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={"field": field_name},
    )
    return str(getattr(request, field_name))


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
