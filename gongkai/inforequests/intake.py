"""Intake of an application (条例第二十九条 contents, 第三十一条 date of receipt):
validation, the tracking number and query code, and the first event of the case."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from gongkai.accounts.types import Actor
from gongkai.audit.services import audit_record
from gongkai.core.applicant_contact import normalise_email, normalise_phone
from gongkai.core.identifiers import (
    IdDocumentType,
    IdentifierError,
    fold_ascii,
    validate_id_document,
)
from gongkai.core.inforequest_flow import (
    ApplicantType,
    IntakeChannel,
    ReceiptDateError,
    Status,
    receipt_date,
)
from gongkai.core.inforequest_intake import REGULATION_IN_FORCE, phone_error
from gongkai.core.workdays import Event
from gongkai.inforequests.caselog import append_event, store_deadline
from gongkai.inforequests.caselog import local_today as _today
from gongkai.inforequests.models import InfoRequest, RequestSequence
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import require_intake
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


def _folded(reg: Registration) -> Registration:
    """The contact and id fields with full-width digits and letters in ASCII
    (``core.identifiers.fold_ascii``, the fold every public form applies): checked
    and stored as ASCII, so a staff page masks ``*******8000`` and an SMS or a
    letter reaches the number typed as １３８００１３８０００."""
    return replace(
        reg,
        id_number=fold_ascii(reg.id_number),
        phone=fold_ascii(reg.phone),
        email=fold_ascii(reg.email),
        postcode=fold_ascii(reg.postcode),
    )


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
    if bad_phone := phone_error(reg.phone):
        # "😀😀" is no way to reach anyone, so it is no contact method either.
        errors["phone"] = bad_phone
    if reg.email.strip():
        try:
            validate_email(reg.email.strip())
        except ValidationError:
            # Staff intake and the API took "a@b"; the letters would never arrive.
            errors["email"] = "电子邮箱格式不正确，例如 name@example.com。"
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
    elif reg.submitted_on < REGULATION_IN_FORCE:
        errors["submitted_on"] = (
            "提交日期早于《中华人民共和国政府信息公开条例》施行之日"
            "（2008年5月1日），请核对。"
        )
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


def registration_check(registration: Registration, today: date) -> None:
    """The checks :func:`inforequest_register` runs on an application, with no write:
    a form refused for another reason (the portal's CAPTCHA) shows these errors in
    the same answer, not one by one on later tries. Raises ``ValidationError``."""
    _validate_registration(_folded(registration), today)


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
    actor: Actor,
    organisation: Organisation,
    registration: Registration,
    from_portal: bool = False,
) -> tuple[InfoRequest, str]:
    """Register an application; return it and its query code (shown once, stored hashed).

    ``organisation`` is where the application was handed in. If that is not a
    disclosure body (a 社区居民委员会), the application is its nearest body's (条例
    第二十七条): the case is registered there, ``handed_in_at`` records the point, and
    the date of receipt is still the day it was handed in (第三十一条).
    """
    point = organisation
    body = point.disclosure_body()
    if body is None or not body.is_active:
        raise ValidationError(
            {
                "organisation": f"“{point.label}”不是政府信息公开主体，"
                "也没有可以受理申请的上级行政机关。"
            }
        )
    if not from_portal:
        require_intake(actor, point, body)
    organisation = body
    handed_in_at = None if point.pk == body.pk else point
    today = _today()
    reg = _folded(registration)
    received, number = _validate_registration(reg, today)
    year = received.year
    serial = _next_serial(organisation, year)
    code = f"{secrets.randbelow(10**8):08d}"
    request = InfoRequest(
        organisation=organisation,
        handed_in_at=handed_in_at,
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
        email_digest=digest_of(normalise_email(reg.email)),
        phone_digest=digest_of(normalise_phone(reg.phone)),
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
    append_event(
        request,
        actor=actor,
        action="register",
        on=received,
        from_status="",
        to_status=Status.RECEIVED,
        ledger_event=ledger_event,
        data={"from_portal": from_portal}
        | ({"handed_in_at": handed_in_at.name} if handed_in_at else {}),
    )
    store_deadline(request, today)
    request.save(update_fields=["due_on", "due_provisional"])
    audit_record(
        action="inforequest.register",
        actor=actor,
        organisation=organisation,
        obj=request,
        details={
            "tracking_number": request.tracking_number,
            "from_portal": from_portal,
        }
        | ({"handed_in_at": handed_in_at.pk} if handed_in_at else {}),
    )
    return request, code
