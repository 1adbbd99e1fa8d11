"""我的申请 (issue 16, requirement 5): the applicant's own space, without an account.

Sign-in is a one-time code sent to an e-mail address or mobile number the
applicant gave on an application (``InfoRequest.email_digest`` / ``phone_digest``
hold keyed digests of them). Nothing is written while a page is only viewed: a
code row is written when a code is asked for, a session when it is answered.

* :func:`code_send` — checks the address, the limits (per address typed, per
  network address), writes an :class:`~gongkai.portal.models.ApplicantCode` (the
  code and the address only as keyed digests) and sends the code at once, by
  Django's mail or the SMS adapter. A server that is down: the code row is
  dropped and the applicant asked to try again (a sign-in code that arrives an
  hour late is no use, so it does not wait in the outbox). The answer is the same
  whether or not any application gave that address, so the page tells no one
  who applied.
* :func:`code_verify` — once, before it expires, at most ``MAX_TRIES`` wrong answers.
* :func:`applicant_cases` — every application on the platform that gave the address,
  and, when the sign-in proved an identity number (统一身份认证 with a verified
  real-name claim, ``portal.oidc``), every application made with that number
  (``InfoRequest.id_digest``).
* :func:`applicant_answer_clarification`, :func:`applicant_withdraw` — the
  applicant's own steps, through ``steps.perform`` (the same services, rules,
  letters, messages and audit as the staff's steps).

Why not django-otp / django-sesame: both bind codes to a ``User`` row; an
applicant here is an address, not an account (no row is created for them).
"""

from __future__ import annotations

import hmac
import secrets
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from gongkai.audit.services import audit_record
from gongkai.core.applicant_contact import (
    EMAIL,
    PHONE,
    ContactError,
    mask_contact,
    parse_contact,
)
from gongkai.core.inforequest_flow import Action, Status
from gongkai.core.inforequest_intake import IntakeChannel, receipt_date
from gongkai.feedback.services import address_digest
from gongkai.inforequests.attachments import inforequest_attach
from gongkai.inforequests.models import InfoRequest
from gongkai.inforequests.sms import SmsError, sms_backend
from gongkai.inforequests.steps import perform
from gongkai.portal.models import ApplicantCode
from gongkai.security.fields import digest_of

SESSION_KEY = "gongkai_applicant"
SESSION_HOURS = 2
_SALT = "gongkai.portal.applicant_code"
MAX_CORRECTION_FILES = 5
MAX_CORRECTION_TEXT = 2000

NOT_SENT = "验证码暂时无法发送（{what}），请稍后再试。您的申请不受影响。"
WRONG_CODE = "验证码不正确，请核对后重新输入。"
USED_CODE = "该验证码已经使用过，请重新获取验证码。"
EXPIRED_CODE = "验证码已过期（有效期 {minutes} 分钟），请重新获取验证码。"
BURNT_CODE = "验证码输错次数过多，已失效，请重新获取验证码。"
STALE_FORM = "验证已失效，请重新获取验证码。"


@dataclass(frozen=True)
class CodeSent:
    token: str  # signed; names the code row, never the address or the code
    masked: str  # 138****8000, z***@example.cn


# An identity proved only by a verified identity number (统一身份认证), no address.
ID_NUMBER = "id"


@dataclass(frozen=True)
class Identity:
    """Who is signed in to 我的申请: an address, as its kind and keyed digest, and
    the keyed digest of an identity number when the sign-in verified one (OIDC)."""

    kind: str
    digest: str
    masked: str
    id_digest: str = ""


def _code_digest(nonce: str, code: str) -> str:
    return salted_hmac(_SALT, f"{nonce}:{code}").hexdigest()


def _cases_q(identity: Identity) -> Q:
    """Applications that gave the signed-in address or, when verified, identity number."""
    by_id = Q(id_digest=identity.id_digest) if identity.id_digest else None
    if identity.kind == ID_NUMBER:
        return by_id if by_id is not None else Q(pk__in=[])
    by_address = (
        Q(email_digest=identity.digest)
        if identity.kind == EMAIL
        else Q(phone_digest=identity.digest)
    )
    return by_address | by_id if by_id is not None else by_address


def code_send(*, contact: str, address: str | None) -> CodeSent:
    """Send a 6-digit sign-in code to ``contact``; raises a Chinese ``ValidationError``."""
    try:
        kind, value = parse_contact(contact)
    except ContactError as exc:
        raise ValidationError({"contact": str(exc)}) from exc
    target = digest_of(value)
    now = timezone.now()
    with transaction.atomic():
        # Count under one lock per address typed so parallel asks queue.
        recent = ApplicantCode.objects.select_for_update().filter(
            target_digest=target, created_at__gte=now - timedelta(hours=1)
        )
        if len(recent) >= settings.APPLICANT_CODES_PER_HOUR:
            raise ValidationError("该手机号或邮箱获取验证码过于频繁，请一小时后再试。")
        if any(row.created_at > now - timedelta(seconds=60) for row in recent):
            raise ValidationError("验证码已发送，请等待 1 分钟后再重新获取。")
        nonce = secrets.token_urlsafe(16)
        code = f"{secrets.randbelow(10**6):06d}"
        row = ApplicantCode.objects.create(
            nonce=nonce,
            kind=kind,
            target_digest=target,
            code_digest=_code_digest(nonce, code),
            address_digest=address_digest(address),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.APPLICANT_CODE_MINUTES),
        )
    # Old rows go; only their count within the hour matters.
    ApplicantCode.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    if InfoRequest.objects.filter(_cases_q(Identity(kind, target, ""))).exists():
        try:
            _deliver(kind, value, code)
        except (OSError, smtplib.SMTPException, SmsError) as exc:
            row.delete()
            what = "短信网关无法连接" if kind == PHONE else "邮件服务器无法连接"
            audit_record(
                action="portal.applicant_code_failed",
                result="failure",
                details={"kind": kind, "error": exc.__class__.__name__},
            )
            raise ValidationError(NOT_SENT.format(what=what)) from exc
    token = signing.dumps({"n": nonce}, salt=_SALT)
    return CodeSent(token=token, masked=mask_contact(kind, value))


def _deliver(kind: str, value: str, code: str) -> None:
    minutes = settings.APPLICANT_CODE_MINUTES
    text = (
        f"您的“我的申请”登录验证码是 {code}，{minutes} 分钟内有效，只能使用一次。"
        "如非本人操作，请忽略。"
    )
    if kind == EMAIL:
        EmailMessage(
            subject="政府信息公开“我的申请”登录验证码",
            body=f"您好：\n\n{text}\n\n{settings.PUBLIC_URL}/gk/me/\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[value],
        ).send(fail_silently=False)
    else:
        sms_backend().send(value, text)


def code_verify(*, token: str, code: str) -> Identity:
    """The address behind a right, unused, unexpired code; else a Chinese error."""
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=24 * 3600)
        nonce = str(data["n"])
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise ValidationError(STALE_FORM) from exc
    given = "".join(ch for ch in str(code) if not ch.isspace())
    now = timezone.now()
    with transaction.atomic():
        row = ApplicantCode.objects.select_for_update().filter(nonce=nonce).first()
        if row is None:
            raise ValidationError(STALE_FORM)
        if row.used_at is not None:
            raise ValidationError(USED_CODE)
        if row.expires_at <= now:
            raise ValidationError(
                EXPIRED_CODE.format(minutes=settings.APPLICANT_CODE_MINUTES)
            )
        if row.tries >= ApplicantCode.MAX_TRIES:
            raise ValidationError(BURNT_CODE)
        right = hmac.compare_digest(row.code_digest, _code_digest(nonce, given))
        if right:
            row.used_at = now
        else:
            row.tries += 1
        row.save(update_fields=["used_at", "tries"])
    if not right:
        # The wrong try is counted (committed above) before the refusal.
        raise ValidationError(
            BURNT_CODE if row.tries >= ApplicantCode.MAX_TRIES else WRONG_CODE
        )
    audit_record(action="portal.applicant_sign_in", details={"kind": row.kind})
    return Identity(kind=row.kind, digest=row.target_digest, masked="")


def session_identity(session: Any) -> Identity | None:
    """The signed-in applicant of this session, if any and not yet timed out."""
    data = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(data, dict):
        return None
    try:
        since = datetime.fromisoformat(str(data["at"]))
        identity = Identity(
            str(data["kind"]),
            str(data["digest"]),
            str(data["masked"]),
            str(data.get("id_digest") or ""),
        )
    except (KeyError, ValueError):
        return None
    if timezone.now() - since > timedelta(hours=SESSION_HOURS):
        return None
    if identity.kind not in (EMAIL, PHONE, ID_NUMBER) or not identity.digest:
        return None
    return identity


def session_sign_in(session: Any, identity: Identity, masked: str) -> None:
    session.cycle_key()
    session[SESSION_KEY] = {
        "kind": identity.kind,
        "digest": identity.digest,
        "id_digest": identity.id_digest,
        "masked": masked,
        "at": timezone.now().isoformat(),
    }


def applicant_cases(identity: Identity) -> QuerySet[InfoRequest]:
    """Every application on the platform that gave the signed-in address (or was made
    with the verified identity number), newest first."""
    return (
        InfoRequest.objects.filter(_cases_q(identity))
        .select_related("organisation")
        .order_by("-received_on", "-id")
    )


def applicant_case(identity: Identity, tracking_number: str) -> InfoRequest | None:
    return applicant_cases(identity).filter(tracking_number=tracking_number).first()


def may_withdraw(case: InfoRequest) -> bool:
    return case.is_open and case.status != Status.DECIDED


@transaction.atomic
def applicant_answer_clarification(
    *, case: InfoRequest, text: str, files: Sequence[Any]
) -> InfoRequest:
    """The applicant's 补正 from 我的申请: text and files, one transaction (a refused
    file leaves no correction recorded). The date of receipt is the 第三十一条 date of
    an Internet channel: the platform confirms at once, so the day it arrives."""
    text = text.strip()
    if not text and not files:
        raise ValidationError({"text": "请填写补正内容或上传补正材料。"})
    if len(text) > MAX_CORRECTION_TEXT:
        raise ValidationError(
            {"text": f"补正说明请控制在 {MAX_CORRECTION_TEXT} 字以内。"}
        )
    if len(files) > MAX_CORRECTION_FILES:
        raise ValidationError(
            {"materials": f"一次最多上传 {MAX_CORRECTION_FILES} 个补正材料。"}
        )
    if case.status != Status.AWAITING_CLARIFICATION:
        raise ValidationError("该申请目前不需要补正。")
    today = timezone.localdate()
    on = receipt_date(IntakeChannel.ONLINE, submitted_on=today, confirmed_on=today)
    for upload in files:
        try:
            inforequest_attach(
                actor=None, request=case, upload=upload, from_portal=True
            )
        except ValidationError as exc:
            raise ValidationError({"materials": exc.messages}) from exc
    return perform(
        Action.RECEIVE_CLARIFICATION,
        actor=None,
        request=case,
        data={"on": on, "correction": text},
        by_applicant=True,
    )


@transaction.atomic
def applicant_withdraw(*, case: InfoRequest) -> InfoRequest:
    """撤回申请 by the applicant online; the 终止 message follows as for staff."""
    if not may_withdraw(case):
        raise ValidationError("该申请已办结或已作出决定，不能撤回。")
    return perform(
        Action.WITHDRAW,
        actor=None,
        request=case,
        data={"note": "申请人在“我的申请”中撤回申请"},
        by_applicant=True,
    )
