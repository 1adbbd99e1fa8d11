"""Sending the applicant's messages from the outbox (``ApplicantNotice`` rows).

:func:`notices_send_due` sends every message that is due: e-mail through Django's
mail (one SMTP connection for the whole batch), SMS through the configured adapter
(``gongkai.inforequests.sms``). A failure is kept on the row with a Chinese reason
(never the address or the phone number) and the message is tried again after
1, 2, 4 … 60 minutes, until ``GONGKAI_NOTICE_MAX_ATTEMPTS`` (then it is marked
failed and audited). Run by ``manage.py send_applicant_notices`` (cron) and by the
task worker after each step that queued a message.

The security app's ``mail_send_due`` sends plain staff e-mail; this outbox is its
own because a message here is tied to a case, may carry the reply letter as PDF and
goes by SMS as well.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.inforequests.letters import letter_from_row
from gongkai.inforequests.models import ApplicantNotice
from gongkai.inforequests.rendering import download_name, render_pdf
from gongkai.inforequests.sms import SmsBackend, SmsError, sms_backend


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "retried": self.retried, "failed": self.failed}


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(60, 2 ** max(attempts - 1, 0)))


def explain_failure(exc: BaseException) -> str:
    """A Chinese reason an operator can act on; no address, no phone number."""
    if isinstance(exc, SmsError):
        return str(exc)
    if isinstance(exc, ConnectionRefusedError | socket.gaierror | TimeoutError):
        return f"无法连接邮件服务器（{settings.EMAIL_HOST}:{settings.EMAIL_PORT}），将自动重试。"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "邮件服务器拒绝登录：请检查 GONGKAI_EMAIL_HOST_USER / GONGKAI_EMAIL_HOST_PASSWORD。"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "邮件服务器拒收该收件人地址。"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "邮件服务器中断了连接，将自动重试。"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"邮件服务器返回错误 {exc.smtp_code}，将自动重试。"
    return f"发送失败（{exc.__class__.__name__}），将自动重试。"


class _Mailer:
    """One SMTP connection for the batch, opened on first use and reopened after a failure."""

    def __init__(self) -> None:
        self.conn: Any = None

    def send(self, message: EmailMessage) -> None:
        if self.conn is None:
            self.conn = get_connection(fail_silently=False)
            self.conn.open()
        message.connection = self.conn
        try:
            message.send(fail_silently=False)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.conn.close()
            self.conn = None


def _email(row: ApplicantNotice) -> EmailMessage:
    message = EmailMessage(
        row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.request.email]
    )
    if row.letter is not None:
        message.attach(
            download_name(row.letter, "pdf"),
            render_pdf(letter_from_row(row.letter)),
            "application/pdf",
        )
    return message


def _send_one(row: ApplicantNotice, mailer: _Mailer, sms: SmsBackend) -> None:
    if row.channel == ApplicantNotice.Channel.EMAIL:
        if not row.request.email:
            raise SmsError("申请人没有登记电子邮箱。")
        mailer.send(_email(row))
    else:
        if not row.request.phone:
            raise SmsError("申请人没有登记手机号码。")
        sms.send(row.request.phone, row.body)


# While a message is being sent it is leased: other drains do not see it as due. A
# drain that dies mid-send leaves it to be tried again after the lease (never lost).
LEASE = timedelta(minutes=10)


def notices_send_due(*, now: datetime | None = None, limit: int = 500) -> DrainReport:
    """Send the due messages (at most ``limit``); returns how many went, wait, failed.

    One query reads the batch; each message is then claimed by a conditional UPDATE
    (attempts and the lease), so two drains — cron and the task worker, or several
    workers on PostgreSQL — never send the same message twice, without a
    transaction held open while the SMTP server answers."""
    now = now or timezone.now()
    report = DrainReport()
    rows = list(
        ApplicantNotice.objects.filter(
            state=ApplicantNotice.State.PENDING, next_try_at__lte=now
        )
        .select_related("request", "request__organisation", "letter", "letter__request")
        .order_by("next_try_at", "id")[:limit]
    )
    mailer, sms = _Mailer(), sms_backend()
    try:
        for row in rows:
            claimed = ApplicantNotice.objects.filter(
                pk=row.pk,
                state=ApplicantNotice.State.PENDING,
                attempts=row.attempts,
                next_try_at__lte=now,
            ).update(attempts=row.attempts + 1, next_try_at=now + LEASE)
            if claimed:
                row.attempts += 1
                _send_row(row, now, mailer, sms, report)
    finally:
        mailer.close()
    return report


def _send_row(
    row: ApplicantNotice,
    now: datetime,
    mailer: _Mailer,
    sms: SmsBackend,
    report: DrainReport,
) -> None:
    same = ApplicantNotice.objects.filter(pk=row.pk)
    try:
        _send_one(row, mailer, sms)
    except (OSError, smtplib.SMTPException) as exc:
        error = explain_failure(exc)
        if row.attempts < settings.NOTICE_MAX_ATTEMPTS:
            same.update(last_error=error, next_try_at=now + backoff(row.attempts))
            report.retried += 1
            return
        with transaction.atomic():
            same.update(last_error=error, state=ApplicantNotice.State.FAILED)
            audit_record(
                action="inforequest.notice_failed",
                result="failure",
                organisation=row.request.organisation,
                obj=row.request,
                details={"notice": row.pk, "channel": row.channel, "error": error},
            )
        report.failed += 1
    else:
        same.update(
            state=ApplicantNotice.State.SENT, sent_at=timezone.now(), last_error=""
        )
        report.sent += 1
