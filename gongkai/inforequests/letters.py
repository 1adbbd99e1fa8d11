"""The letters of an application: issue them at the right steps, number them, and
render them to DOCX and PDF.

Content comes from ``gongkai.core.letters`` (pure data); here we add the 文号
(``LetterSequence``, one counter per organisation and year, row-locked), store the
content on a ``Letter`` row and lay it out.

The workflow services in ``services.py`` know nothing of letters. :func:`perform`
and :func:`register` are the thin layer the screens and the API call: each runs
one service and issues the letter that step needs, in one transaction — if the
letter cannot be written (a missing field), the step is not taken either.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record
from gongkai.core import fees
from gongkai.core import letters as content
from gongkai.core.inforequest_flow import (
    Action,
    ApplicantType,
    IntakeChannel,
    Outcome,
)
from gongkai.core.inforequest_text import text_too_long
from gongkai.core.workdays import provisional_date_note
from gongkai.inforequests import caselog, intake, notices
from gongkai.inforequests.letter_settings import (
    issuing_body,
    next_document_number,
    remedies_for,
    wording,
)
from gongkai.inforequests.models import (
    InfoRequest,
    Letter,
)
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require

# Fields every applicant letter fills from the case itself (not asked of staff).
CASE_FIELDS = frozenset(
    {"applicant_name", "you", "body_name", "received_on", "request_summary"}
)

# Reply fields the step fills itself, never asked of staff: the article behind the
# withheld part of a 部分公开 comes from the ground chosen (第三十七条).
AUTOMATIC_FIELDS = frozenset({"withheld_basis"})

# Kind abbreviations for the default 发文机关代字 (洛浦街道 + 街道 → 洛街公开).
LETTER_KIND_LABELS = {
    "acknowledgement": "接收回执",
    "clarification": "补正告知书",
    "extension": "延期答复告知书",
    "third_party_consultation": "征求意见书（第三方）",
    "agency_consultation": "协商函（其他机关）",
    "fee_notice": "收费通知书",
    "reasons_request": "说明理由告知书",
    "delay_notice": "延迟答复告知书",
    "reply": "答复告知书",
    "third_party_disclosure": "依申请公开告知书（第三方）",
}


# --------------------------------------------------------------------------- storing


def letter_to_json(letter: content.Letter) -> dict[str, Any]:
    return {
        "key": letter.key,
        "title": letter.title,
        "document_number": letter.document_number,
        "addressee": letter.addressee,
        "paragraphs": list(letter.paragraphs),
        "issued_on": letter.issued_on.isoformat(),
        "issuing_body": letter.issuing_body,
        "seal_text": letter.seal_text,
        "attachments": list(letter.attachments),
    }


def letter_from_row(row: Letter) -> content.Letter:
    data = row.content
    return content.Letter(
        key=data["key"],
        title=data["title"],
        document_number=data["document_number"],
        addressee=data["addressee"],
        paragraphs=tuple(data["paragraphs"]),
        issued_on=date.fromisoformat(data["issued_on"]),
        issuing_body=data["issuing_body"],
        seal_text=data["seal_text"],
        attachments=tuple(data.get("attachments", ())),
    )


def _applicant(request: InfoRequest, on: date) -> dict[str, Any]:
    return {
        "body": issuing_body(request.organisation),
        "issued_on": on,
        "applicant_name": request.applicant_name,
        "applicant_is_organisation": ApplicantType(
            request.applicant_type
        ).is_organisation,
        "received_on": request.received_on,
        "request_summary": request.description,
    }


# Letters that state a due date the applicant must rely on (reply, payment).
_DATED_KINDS = frozenset({"acknowledgement", "extension", "fee_notice"})


def _with_provisional_note(
    request: InfoRequest, kind: str, letter: content.Letter
) -> content.Letter:
    """A date counted over a year whose holiday schedule is not published is 暂定:
    the letter says so and that the body will confirm it (never a firm-looking date)."""
    if kind not in _DATED_KINDS:
        return letter
    ledger = caselog.inforequest_ledger(request, with_days=False)
    if not ledger.provisional:
        return letter
    note = provisional_date_note(ledger.provisional_years)
    return replace(letter, paragraphs=(*letter.paragraphs, note))


@transaction.atomic
def _store(
    request: InfoRequest,
    kind: str,
    build: Callable[[str], content.Letter],
    *,
    on: date,
    actor: Actor,
) -> Letter:
    """Take a 文号, build the content with it, save the row; TemplateError → Chinese 400.

    Atomic: a letter that cannot be built gives its number back (no gap in the 文号).
    """
    number = next_document_number(request.organisation, on.year)
    try:
        letter = build(number)
    except content.TemplateError as exc:
        raise ValidationError(f"无法生成文书：{exc}") from exc
    letter = _with_provisional_note(request, kind, letter)
    row = Letter.objects.create(
        request=request,
        kind=kind,
        title=letter.title,
        number=letter.document_number,
        issued_on=on,
        content=letter_to_json(letter),
    )
    audit_record(
        action="inforequest.letter_issued",
        actor=actor,
        organisation=request.organisation,
        obj=request,
        details={"letter": row.pk, "kind": kind, "number": row.number},
    )
    return row


def last_letter(request: InfoRequest, kind: str) -> Letter | None:
    return request.letters.filter(kind=kind).order_by("-issued_on", "-id").first()


def _last_event_data(request: InfoRequest, action: Action) -> dict[str, Any]:
    event = request.events.filter(action=action.value).order_by("-on", "-id").first()
    return dict(event.data) if event else {}


# --------------------------------------------------------------------------- issuing


def issue_acknowledgement(request: InfoRequest, *, on: date, actor: Actor) -> Letter:
    """受理回执: the Art. 31 date of receipt and the reply due date."""
    return _store(
        request,
        "acknowledgement",
        lambda number: content.acknowledgement_receipt(
            template=wording(request.organisation, "acknowledgement"),
            **_applicant(request, on),
            document_number=number,
            registration_no=request.tracking_number,
            channel=IntakeChannel(request.channel).label,
            due_on=request.due_on or request.received_on,
            handed_in_at=request.handed_in_at.name if request.handed_in_at else "",
        ),
        on=on,
        actor=actor,
    )


def issue_clarification(
    request: InfoRequest, *, on: date, actor: Actor, what: str, deadline: date
) -> Letter:
    return _store(
        request,
        "clarification",
        lambda number: content.clarification_notice(
            template=wording(request.organisation, "clarification"),
            **_applicant(request, on),
            document_number=number,
            items_to_correct=what,
            correction_due_on=deadline,
        ),
        on=on,
        actor=actor,
    )


def issue_extension(
    request: InfoRequest,
    *,
    on: date,
    actor: Actor,
    days: int,
    reason: str,
    original_due: date,
) -> Letter:
    new_due = request.due_on or original_due
    return _store(
        request,
        "extension",
        lambda number: content.extension_notice(
            template=wording(request.organisation, "extension"),
            **_applicant(request, on),
            document_number=number,
            extension_days=days,
            original_due_on=original_due,
            new_due_on=new_due,
            extension_reason=reason,
        ),
        on=on,
        actor=actor,
    )


def issue_reasons_request(
    request: InfoRequest, *, on: date, actor: Actor, reasons_due: date
) -> Letter:
    """说明理由告知书 (条例第三十五条)."""
    return _store(
        request,
        "reasons_request",
        lambda number: content.reasons_request(
            template=wording(request.organisation, "reasons_request"),
            **_applicant(request, on),
            document_number=number,
            reasons_due_on=reasons_due,
        ),
        on=on,
        actor=actor,
    )


def issue_delay_notice(
    request: InfoRequest, *, on: date, actor: Actor, new_due: date, reason: str
) -> Letter:
    """延迟答复告知书 (条例第三十五条)."""
    return _store(
        request,
        "delay_notice",
        lambda number: content.delay_notice(
            template=wording(request.organisation, "delay_notice"),
            **_applicant(request, on),
            document_number=number,
            new_due_on=new_due,
            delay_reason=reason,
        ),
        on=on,
        actor=actor,
    )


def issue_consultation(
    request: InfoRequest,
    *,
    on: date,
    actor: Actor,
    party: str,
    name: str,
    reason: str,
) -> Letter:
    body = issuing_body(request.organisation)
    if party == "third_party":
        return _store(
            request,
            "third_party_consultation",
            lambda number: content.third_party_consultation_letter(
                template=wording(request.organisation, "third_party_consultation"),
                body=body,
                document_number=number,
                issued_on=on,
                third_party_name=name,
                information=request.description,
                consultation_reason=reason or "涉及商业秘密、个人隐私等合法权益",
            ),
            on=on,
            actor=actor,
        )
    return _store(
        request,
        "agency_consultation",
        lambda number: content.agency_consultation_letter(
            template=wording(request.organisation, "agency_consultation"),
            body=body,
            document_number=number,
            issued_on=on,
            agency_name=name,
            information=request.description,
        ),
        on=on,
        actor=actor,
    )


def issue_third_party_disclosure(
    request: InfoRequest, *, on: date, actor: Actor, name: str, reason: str
) -> Letter:
    """依申请公开告知书 to a third party that objected (条例第三十二条): what is disclosed
    and why, issued with the decision, so no later than the reply to the applicant."""
    return _store(
        request,
        "third_party_disclosure",
        lambda number: content.third_party_disclosure_notice(
            template=wording(request.organisation, "third_party_disclosure"),
            body=issuing_body(request.organisation),
            document_number=number,
            issued_on=on,
            third_party_name=name,
            information=request.description,
            disclosure_reason=reason,
            remedies=remedies_for(request.organisation),
        ),
        on=on,
        actor=actor,
    )


def issue_fee_notice(
    request: InfoRequest,
    *,
    on: date,
    actor: Actor,
    assessment: fees.FeeAssessment,
    payment_method: str,
) -> Letter:
    ledger = caselog.inforequest_ledger(request, with_days=False)
    payment_due = ledger.payment_deadline
    if payment_due is None:  # pragma: no cover - the fee event always sets it
        raise ValidationError("无法计算缴费期限。")
    return _store(
        request,
        "fee_notice",
        lambda number: content.fee_notice(
            template=wording(request.organisation, "fee_notice"),
            **_applicant(request, on),
            document_number=number,
            assessment=assessment,
            payment_method=payment_method,
            payment_due_on=payment_due,
        ),
        on=on,
        actor=actor,
    )


def reply_fields(
    outcome: Outcome, variant: content.ReplyVariant = content.ReplyVariant.DEFAULT
) -> list[str]:
    """The fields staff fill in for the reply letter of ``outcome`` (in label order)."""
    key = content.reply_template_key(outcome, variant)
    wanted = content.TEMPLATE_FIELDS[key] - CASE_FIELDS - AUTOMATIC_FIELDS
    return [f for f in content.FIELD_LABELS if f in wanted]


def _automatic_details(request: InfoRequest, outcome: Outcome) -> dict[str, Any]:
    """Reply details the case already knows: earlier notices and their deadlines."""
    found: dict[str, Any] = {}
    clarification = last_letter(request, "clarification")
    if clarification:
        found["clarification_notice_no"] = clarification.number
    asked = _last_event_data(request, Action.REQUEST_CLARIFICATION)
    if asked.get("deadline"):
        found["correction_due_on"] = date.fromisoformat(asked["deadline"])
    fee = last_letter(request, "fee_notice")
    if fee:
        found["fee_notice_no"] = fee.number
    if outcome is Outcome.OTHER_NO_FEE:
        ledger = caselog.inforequest_ledger(request, with_days=False)
        if ledger.payment_deadline:
            found["payment_due_on"] = ledger.payment_deadline
    if request.outcome_note and outcome is Outcome.OTHER_OTHER:
        found["reason"] = request.outcome_note
    return found


def check_reply_details(
    outcome: Outcome,
    details: Mapping[str, Any],
    variant: content.ReplyVariant = content.ReplyVariant.DEFAULT,
    *,
    request: InfoRequest | None = None,
) -> None:
    """Refuse (field by field, in Chinese) a decision whose letter would lack a field."""
    known = {**(_automatic_details(request, outcome) if request else {}), **details}
    errors = {
        f"detail_{name}": f"请填写“{content.FIELD_LABELS[name]}”（答复告知书需要）。"
        for name in reply_fields(outcome, variant)
        if known.get(name) in (None, "")
    }
    if errors:
        raise ValidationError(errors)


def issue_reply(
    request: InfoRequest,
    *,
    on: date,
    actor: Actor,
    details: Mapping[str, Any] | None = None,
    variant: content.ReplyVariant = content.ReplyVariant.DEFAULT,
    redaction_list: str = "",
) -> Letter:
    """The reply (or closing) letter of the case's outcome, with the remedies clause
    (and, for a 部分公开, the list of what was withheld and why)."""
    outcome = Outcome(request.outcome)
    values = {**_automatic_details(request, outcome), **(details or {})}
    corrected = request.events.filter(action=Action.RECEIVE_CLARIFICATION.value)
    corrected_on = corrected.order_by("-on").values_list("on", flat=True).first()
    extension = last_letter(request, "extension")
    return _store(
        request,
        "reply",
        lambda number: content.reply_letter(
            outcome,
            template=wording(
                request.organisation, content.reply_template_key(outcome, variant)
            ),
            **_applicant(request, on),
            document_number=number,
            remedies=remedies_for(request.organisation),
            details={k: v for k, v in values.items() if v not in (None, "")},
            variant=variant,
            corrected_on=corrected_on,
            extension_notice_no=extension.number if extension else "",
            redaction_list=redaction_list,
        ),
        on=on,
        actor=actor,
    )


# --------------------------------------------------------------------------- intake


def _today() -> date:
    return timezone.localdate()


@transaction.atomic
def register(
    *,
    actor: Actor,
    organisation: Organisation,
    registration: intake.Registration,
    on: date | None = None,
    from_portal: bool = False,
) -> tuple[InfoRequest, str, Letter]:
    """Register an application, issue its 受理回执 (dated ``on``, default today) and
    queue the 受理 message to the applicant (``notices``)."""
    request, code = intake.inforequest_register(
        actor=actor,
        organisation=organisation,
        registration=registration,
        from_portal=from_portal,
    )
    receipt = issue_acknowledgement(request, on=on or _today(), actor=actor)
    notices.notify(request, "received")
    return request, code, receipt


@transaction.atomic
def letter_record_delivery(
    *,
    actor: Actor,
    letter: Letter,
    method: str,
    delivered_on: date | None,
    tracking: str = "",
    failed: bool = False,
) -> Letter:
    """Record how and when a letter was served (送达); a failed delivery keeps no date."""
    letter = (
        Letter.objects.select_for_update().select_related("request").get(pk=letter.pk)
    )
    require(actor, Perm.EDIT, letter.request.organisation)
    if not method.strip():
        raise ValidationError({"method": "请选择送达方式。"})
    too_long = text_too_long(
        "letter_delivery", {"method": method, "tracking": tracking}
    )
    if too_long:
        raise ValidationError(too_long)
    if not failed:
        if delivered_on is None:
            raise ValidationError({"delivered_on": "请填写送达日期。"})
        if delivered_on < letter.issued_on:
            raise ValidationError({"delivered_on": "送达日期不能早于出具日期。"})
        if delivered_on > _today():
            raise ValidationError({"delivered_on": "送达日期不能晚于今天。"})
    letter.status = Letter.Status.FAILED if failed else Letter.Status.SENT
    letter.delivery_method = method.strip()
    letter.delivery_tracking = tracking.strip()
    letter.delivered_on = None if failed else delivered_on
    letter.save(
        update_fields=["status", "delivery_method", "delivery_tracking", "delivered_on"]
    )
    audit_record(
        action="inforequest.letter_delivery",
        actor=actor,
        organisation=letter.request.organisation,
        obj=letter.request,
        details={
            "letter": letter.pk,
            "status": letter.status,
            "method": letter.delivery_method,
            "delivered_on": str(letter.delivered_on or ""),
        },
    )
    return letter
