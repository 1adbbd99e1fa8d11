"""Writes to applications. One service per action (STYLE §5): each locks the row,
moves the status through the core table (``core.inforequest_flow``), appends a
``CaseEvent`` (which is also the deadline ledger's input), recomputes and stores
the due date, and writes an audit row — all in one transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.calendars.selectors import work_calendar
from gongkai.core.identifiers import (
    IdDocumentType,
    IdentifierError,
    validate_id_document,
)
from gongkai.core.inforequest_flow import (
    Action,
    ApplicantType,
    IllegalTransition,
    IntakeChannel,
    Outcome,
    ReceiptDateError,
    Status,
    check_extension,
    outcome_for,
    receipt_date,
    transition,
)
from gongkai.core.workdays import (
    Event,
    Ledger,
    LedgerError,
    compute_ledger,
    event_from_json,
    event_to_json,
)
from gongkai.inforequests.models import (
    CaseEvent,
    DeadlineChange,
    InfoRequest,
    RequestSequence,
)
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.security.fields import digest_of


@dataclass(frozen=True)
class Registration:
    """What an application says (条例第二十九条) and how it arrived (第三十一条)."""

    channel: str
    submitted_on: date
    applicant_type: str
    applicant_name: str
    id_type: str
    id_number: str
    description: str
    signed_for_on: date | None = None
    confirmed_on: date | None = None
    legal_representative: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    form: str = InfoRequest.Form.PAPER
    delivery: str = InfoRequest.Delivery.POST
    errors: dict[str, str] = field(default_factory=dict, compare=False)


def _today() -> date:
    return timezone.localdate()


# --------------------------------------------------------------------------- intake


def _validate_registration(reg: Registration, today: date) -> tuple[date, str]:
    """Check 条例第二十九条 contents; return (receipt date, normalised id number)."""
    errors: dict[str, str] = {}
    if reg.channel not in {c.value for c in IntakeChannel}:
        errors["channel"] = "请选择申请方式。"
    try:
        applicant = ApplicantType(reg.applicant_type)
    except ValueError:
        errors["applicant_type"] = "请选择申请人类型（自然人或法人/其他组织的类别）。"
        applicant = None
    if not reg.applicant_name.strip():
        errors["applicant_name"] = "请填写申请人姓名或名称。"
    if not reg.description.strip():
        errors["description"] = "请描述所需政府信息（名称、文号或便于查询的其他特征）。"
    if not (reg.phone.strip() or reg.email.strip() or reg.address.strip()):
        errors["phone"] = "请至少填写一种联系方式（电话、电子邮箱或通信地址）。"
    if reg.postcode and not (len(reg.postcode) == 6 and reg.postcode.isdigit()):
        errors["postcode"] = "邮政编码应为 6 位数字。"
    number = ""
    try:
        doc = IdDocumentType(reg.id_type)
        if applicant is not None and doc not in applicant.accepted_documents:
            errors["id_type"] = (
                f"{applicant.label}申请人应提供{'统一社会信用代码' if applicant.is_organisation else '个人身份证件'}。"
            )
        else:
            number = validate_id_document(doc, reg.id_number)
    except ValueError as exc:
        errors["id_number" if isinstance(exc, IdentifierError) else "id_type"] = (
            str(exc) if isinstance(exc, IdentifierError) else "请选择身份证明类型。"
        )
    if (
        applicant is not None
        and applicant.is_organisation
        and not reg.legal_representative.strip()
    ):
        errors["legal_representative"] = (
            "法人或其他组织申请的，请填写法定代表人或主要负责人。"
        )
    received = reg.submitted_on
    if reg.submitted_on > today:
        errors["submitted_on"] = "提交日期不能晚于今天。"
    else:
        try:
            received = receipt_date(
                reg.channel,
                submitted_on=reg.submitted_on,
                signed_for_on=reg.signed_for_on,
                confirmed_on=reg.confirmed_on,
            )
        except (ReceiptDateError, ValueError) as exc:
            errors.setdefault("submitted_on", str(exc))
        if received > today:
            errors["submitted_on"] = "收到申请之日不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    return received, number


def _next_serial(organisation: Organisation, year: int) -> int:
    # The counter row is locked for the rest of the transaction, so concurrent
    # submissions get consecutive numbers; the unique constraint is the backstop.
    seq, _ = RequestSequence.objects.get_or_create(organisation=organisation, year=year)
    seq = RequestSequence.objects.select_for_update().get(pk=seq.pk)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


def tracking_number_for(organisation: Organisation, year: int, serial: int) -> str:
    return f"GK{organisation.pk}-{year}-{serial:05d}"


def query_code_digest(tracking_number: str, code: str) -> str:
    return digest_of(f"{tracking_number}:{code}")


@transaction.atomic
def inforequest_register(
    *,
    actor: Any,
    organisation: Organisation,
    registration: Registration,
    from_portal: bool = False,
) -> tuple[InfoRequest, str]:
    """Register an application; return it and its query code (shown once, stored hashed)."""
    if not from_portal:
        require(actor, Perm.EDIT, organisation)
    today = _today()
    received, number = _validate_registration(registration, today)
    year = received.year
    serial = _next_serial(organisation, year)
    code = f"{secrets.randbelow(10**8):08d}"
    reg = registration
    request = InfoRequest(
        organisation=organisation,
        year=year,
        serial=serial,
        tracking_number=tracking_number_for(organisation, year, serial),
        channel=reg.channel,
        submitted_on=reg.submitted_on,
        received_on=received,
        applicant_type=reg.applicant_type,
        applicant_name=reg.applicant_name.strip(),
        id_type=reg.id_type,
        id_number=number,
        id_digest=digest_of(number),
        legal_representative=reg.legal_representative.strip(),
        contact_person=reg.contact_person.strip(),
        phone=reg.phone.strip(),
        email=reg.email.strip(),
        address=reg.address.strip(),
        postcode=reg.postcode.strip(),
        description=reg.description.strip(),
        form=reg.form,
        delivery=reg.delivery,
        status=Status.RECEIVED,
    )
    request.query_code_digest = query_code_digest(request.tracking_number, code)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:  # pragma: no cover - the locked counter prevents it
        raise ValidationError("申请编号冲突，请重试。") from exc
    ledger_event = Event(
        kind="received",
        date=reg.submitted_on,
        channel=IntakeChannel(reg.channel).ledger_channel,
        confirmed_on=received if received != reg.submitted_on else None,
    )
    _append_event(
        request,
        actor=actor,
        action="register",
        on=received,
        from_status="",
        to_status=Status.RECEIVED,
        ledger_event=ledger_event,
        data={"from_portal": from_portal},
    )
    _store_deadline(request, today)
    request.save(update_fields=["due_on", "due_provisional"])
    audit_record(
        action="inforequest.register",
        actor=actor,
        organisation=organisation,
        obj=request,
        details={
            "tracking_number": request.tracking_number,
            "from_portal": from_portal,
        },
    )
    return request, code


# --------------------------------------------------------------------------- ledger


def ledger_events(request: InfoRequest) -> list[Event]:
    """The ledger's input, numbered among ledger events only (errors name the right one).

    Sorted in Python so a ``prefetch_related("events")`` is used, not re-queried.
    """
    rows = sorted(request.events.all(), key=lambda e: (e.on, e.pk))
    with_ledger = [e.data["ledger"] for e in rows if "ledger" in e.data]
    return [event_from_json(raw, i) for i, raw in enumerate(with_ledger)]


def inforequest_ledger(
    request: InfoRequest, today: date | None = None, *, with_days: bool = True
) -> Ledger:
    """The deadline ledger of an application, from its events and the current calendar."""
    return compute_ledger(
        ledger_events(request), work_calendar(), today or _today(), with_days=with_days
    )


def _store_deadline(request: InfoRequest, today: date) -> None:
    ledger = inforequest_ledger(request, today, with_days=False)
    request.due_on = ledger.due_date
    request.due_provisional = ledger.provisional


def _append_event(
    request: InfoRequest,
    *,
    actor: Any,
    action: str,
    on: date,
    from_status: str,
    to_status: str,
    ledger_event: Event | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    payload = dict(data or {})
    if ledger_event is not None:
        payload["ledger"] = event_to_json(ledger_event)
    return CaseEvent.objects.create(
        request=request,
        on=on,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        data=payload,
    )


# --------------------------------------------------------------------------- actions


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


@transaction.atomic
def _act(
    request: InfoRequest,
    action: Action,
    *,
    actor: Any,
    on: date | None = None,
    perm: Perm = Perm.EDIT,
    ledger_event: Event | None = None,
    chosen: str | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> InfoRequest:
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
    old_status = request.status
    event = _append_event(
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
    try:
        ledger = inforequest_ledger(request, today, with_days=False)
    except LedgerError as exc:
        raise ValidationError(str(exc)) from exc
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
    *, actor: Any, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    return _act(request, Action.ACCEPT, actor=actor, on=on)


def inforequest_request_clarification(
    *,
    actor: Any,
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
    )


def inforequest_receive_clarification(
    *, actor: Any, request: InfoRequest, on: date | None = None
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
    *, actor: Any, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    on = on or _today()
    return _act(
        request,
        Action.EXPIRE_CLARIFICATION,
        actor=actor,
        on=on,
        ledger_event=Event(kind="closed", date=on, reason="逾期不补正"),
    )


@transaction.atomic
def inforequest_extend(
    *,
    actor: Any,
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
    *, actor: Any, request: InfoRequest, party: str, name: str, on: date | None = None
) -> InfoRequest:
    """征求第三方 (第三十二条) or 其他机关 (第三十四条) 意见: the time is not counted."""
    on = on or _today()
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
        ),
        data={"party": party, "name": name.strip(), "ref": ref},
    )


def open_consultations(request: InfoRequest) -> list[dict[str, Any]]:
    started = {
        e.data["ref"]: e.data
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
    *, actor: Any, request: InfoRequest, ref: str, answer: str, on: date | None = None
) -> InfoRequest:
    on = on or _today()
    still_open = open_consultations(request)
    if ref not in {c["ref"] for c in still_open}:
        raise ValidationError({"ref": "没有找到这项正在进行的征求意见。"})
    ledger_event = Event(kind="consultation_ended", date=on, ref=ref)
    if len(still_open) > 1:
        # Another consultation is still running: record its end, stay in consultation.
        request = _lock(request)
        require(actor, Perm.EDIT, request.organisation)
        _check_date(request, on, _today())
        _append_event(
            request,
            actor=actor,
            action="end_one_consultation",
            on=on,
            from_status=request.status,
            to_status=request.status,
            ledger_event=ledger_event,
            data={"ref": ref, "answer": answer},
        )
        _store_deadline(request, _today())
        request.save(update_fields=["due_on", "due_provisional"])
        audit_record(
            action="inforequest.end_one_consultation",
            actor=actor,
            organisation=request.organisation,
            obj=request,
            details={"ref": ref},
        )
        return request
    return _act(
        request,
        Action.END_CONSULTATION,
        actor=actor,
        on=on,
        ledger_event=ledger_event,
        data={"ref": ref, "answer": answer},
    )


def inforequest_ask_reasons(
    *, actor: Any, request: InfoRequest, reasons_due: date, on: date | None = None
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
    *, actor: Any, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    """The reasons are reasonable and the reply can be made in the normal period."""
    return _act(request, Action.ACCEPT_REASONS, actor=actor, on=on)


def inforequest_agree_delay(
    *,
    actor: Any,
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
    *, actor: Any, request: InfoRequest, note: str, on: date | None = None
) -> InfoRequest:
    """条例第三十五条: no reasons or unreasonable ones → 不予处理 (row （五）4)."""
    if not note.strip():
        raise ValidationError({"note": "请写明不予处理的理由。"})
    return _act(
        request, Action.REJECT_AS_EXCESSIVE, actor=actor, on=on, note=note.strip()
    )


def inforequest_waive_fee(
    *, actor: Any, request: InfoRequest, reason: str, on: date | None = None
) -> InfoRequest:
    """The office decides not to charge after all (e.g. reduction or exemption, fees.md)."""
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
    *, actor: Any, request: InfoRequest, reason: str, on: date | None = None
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
    actor: Any,
    request: InfoRequest,
    amount_yuan: int,
    delivered_on: date,
    on: date | None = None,
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
        data={"amount_yuan": amount_yuan, "delivered_on": delivered_on.isoformat()},
    )


def inforequest_record_payment(
    *, actor: Any, request: InfoRequest, on: date | None = None
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
    *, actor: Any, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    on = on or _today()
    return _act(
        request,
        Action.EXPIRE_FEE,
        actor=actor,
        on=on,
        ledger_event=Event(kind="closed", date=on, reason="逾期未缴费"),
    )


def inforequest_decide(
    *, actor: Any, request: InfoRequest, outcome: str, note: str, on: date | None = None
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
    *, actor: Any, request: InfoRequest, on: date | None = None
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
    actor: Any,
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
    *, actor: Any, request: InfoRequest, on: date | None = None, note: str = ""
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
    *, actor: Any, request: InfoRequest, on: date | None = None
) -> InfoRequest:
    return _act(request, Action.ARCHIVE, actor=actor, on=on)


@transaction.atomic
def inforequest_assign(
    *, actor: Any, request: InfoRequest, handler: Any
) -> InfoRequest:
    request = _lock(request)
    require(actor, Perm.EDIT, request.organisation)
    if handler is not None:
        from gongkai.orgs.permissions import can

        if not can(handler, Perm.EDIT, request.organisation):
            raise ValidationError({"handler": "承办人须对该机构有办理权限。"})
    request.handler = handler
    request.save(update_fields=["handler", "updated_at"])
    _append_event(
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


# --------------------------------------------------------------------------- recompute


RECOMPUTE_CHUNK = 2000


def inforequest_recompute_open_deadlines(
    *, reason: str, today: date | None = None
) -> int:
    """Recompute every open application's due date (after a calendar change); log each move.

    Reads plain values in chunks (no model objects, no per-case queries) and writes
    the moved dates in bulk: each move gets a ``DeadlineChange`` row for its handler,
    and the run one audit row listing the cases it moved.
    """
    today = today or _today()
    calendar = work_calendar()  # one calendar for the whole run
    open_ids = list(
        InfoRequest.objects.exclude(
            status__in=[s.value for s in Status if s.is_concluded]
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    moved: list[tuple[int, date | None, date | None, bool]] = []
    for start in range(0, len(open_ids), RECOMPUTE_CHUNK):
        chunk = open_ids[start : start + RECOMPUTE_CHUNK]
        moved.extend(_recompute_chunk(chunk, calendar, today))
    if moved:
        _store_moves(moved, reason)
    return len(moved)


def _recompute_chunk(
    ids: list[int], calendar: Any, today: date
) -> list[tuple[int, date | None, date | None, bool]]:
    """(id, old due, new due, provisional) of the cases in ``ids`` whose date moved."""
    events: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    rows = (
        CaseEvent.objects.filter(request_id__in=ids)
        .order_by("request_id", "on", "id")
        .values_list("request_id", "data")
    )
    for request_id, data in rows:
        if "ledger" in data:
            events[request_id].append(data["ledger"])
    current = InfoRequest.objects.filter(id__in=ids).values_list(
        "id", "due_on", "due_provisional"
    )
    moved = []
    for request_id, due_on, provisional in current:
        raw = events[request_id]
        ledger = compute_ledger(
            [event_from_json(e, n) for n, e in enumerate(raw)],
            calendar,
            today,
            with_days=False,
        )
        if ledger.due_date != due_on or ledger.provisional != provisional:
            moved.append((request_id, due_on, ledger.due_date, ledger.provisional))
    return moved


@transaction.atomic
def _store_moves(
    moved: list[tuple[int, date | None, date | None, bool]], reason: str
) -> None:
    updates = [
        InfoRequest(id=i, due_on=new, due_provisional=prov)
        for i, _old, new, prov in moved
    ]
    InfoRequest.objects.bulk_update(
        updates, ["due_on", "due_provisional"], batch_size=1000
    )
    DeadlineChange.objects.bulk_create(
        [
            DeadlineChange(request_id=i, old_due=old, new_due=new, reason=reason)
            for i, old, new, _p in moved
        ],
        batch_size=1000,
    )
    audit_record(
        action="inforequest.deadlines_recomputed",
        details={
            "reason": reason,
            "moved": len(moved),
            "cases": [[i, str(old), str(new)] for i, old, new, _p in moved[:5000]],
        },
    )


def reveal_personal_data(*, actor: Any, request: InfoRequest, field_name: str) -> str:
    """Show one full personal value to the handler or the office head; audited."""
    if field_name not in ("id_number", "phone", "email", "address"):
        raise ValidationError("无效的字段。")
    from gongkai.orgs.permissions import can

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
    *, actor: Any, request: InfoRequest
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
