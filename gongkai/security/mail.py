"""The e-mail outbox: queue in the caller's transaction, send later with retries.

An unreachable mail server (or a full disk on it) never loses a message and never
fails the action that wanted to send it: :func:`mail_queue` only writes a row;
``manage.py send_outbox`` (cron or a loop) sends due messages, backing off
1, 2, 4 … 60 minutes after each failure and giving up after ``MAIL_MAX_ATTEMPTS``
with a clear Chinese reason kept on the row (and an audit entry).

One bad message never holds up the others: a subject's line breaks become spaces
when it is queued, and a message that cannot be sent at all (a ``ValueError`` such
as ``BadHeaderError``, or any other error of that one message) is marked failed
at once with its reason, and the next one goes.
"""

from __future__ import annotations

import re
import smtplib
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.security.models import OutgoingMail


def mail_queue(*, to: list[str], subject: str, body: str) -> OutgoingMail:
    return OutgoingMail.objects.create(
        to=[a.strip() for a in to if a and a.strip()],
        # A header holds one line: Django refuses "\r" or "\n" (BadHeaderError).
        subject=re.sub(r"[\r\n]+", " ", subject)[:200],
        body=body,
        next_try_at=timezone.now(),
    )


def explain_mail_error(exc: BaseException) -> str:
    """A Chinese reason an operator can act on."""
    if isinstance(exc, BadHeaderError):
        return "邮件主题或收件人含换行等非法字符，无法发送，不再重试。"
    if isinstance(
        exc, ConnectionRefusedError | socket.gaierror | socket.timeout | TimeoutError
    ):
        return f"无法连接邮件服务器（{settings.EMAIL_HOST}:{settings.EMAIL_PORT}）：{exc}。将自动重试。"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "邮件服务器拒绝登录：请检查 EMAIL_HOST_USER / EMAIL_HOST_PASSWORD。"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "邮件服务器拒收该收件人地址。"
    if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code in (452, 552):
        return "邮件服务器存储空间已满（磁盘满），将自动重试。"
    if isinstance(exc, OSError) and exc.errno == 28:
        return "本机磁盘已满，邮件暂未发出，将自动重试。"
    return f"邮件发送失败：{exc.__class__.__name__}: {exc}。将自动重试。"


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(60, 2 ** max(attempts - 1, 0)))


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _give_up(mail: OutgoingMail, report: SendReport) -> None:
    mail.state = OutgoingMail.State.FAILED
    report.failed += 1
    audit_record(
        action="mail.failed",
        result="failure",
        details={"mail": mail.pk, "error": mail.last_error},
    )


def mail_send_due(*, now: datetime | None = None, limit: int = 100) -> SendReport:
    now = now or timezone.now()
    report = SendReport()
    ids = list(
        OutgoingMail.objects.filter(
            state=OutgoingMail.State.PENDING, next_try_at__lte=now
        )
        .order_by("next_try_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            qs = OutgoingMail.objects.filter(pk=pk, state=OutgoingMail.State.PENDING)
            if connection.vendor == "postgresql":
                qs = qs.select_for_update(skip_locked=True)
            mail = qs.first()
            if mail is None:
                continue
            mail.attempts += 1
            try:
                EmailMessage(
                    mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, mail.to
                ).send(fail_silently=False)
            except (OSError, smtplib.SMTPException) as exc:
                # The server or the network: worth trying again later.
                mail.last_error = explain_mail_error(exc)
                if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
                    _give_up(mail, report)
                else:
                    mail.next_try_at = now + _backoff(mail.attempts)
                    report.retried += 1
            except Exception as exc:
                # The message itself (BadHeaderError is a ValueError): it will not
                # get better by waiting, and it must not stay first in the queue.
                mail.last_error = (
                    explain_mail_error(exc)
                    if isinstance(exc, BadHeaderError)
                    else f"邮件无法发送（{exc.__class__.__name__}: {exc}），不再重试。"
                )
                _give_up(mail, report)
            else:
                mail.state = OutgoingMail.State.SENT
                mail.sent_at = timezone.now()
                mail.last_error = ""
                report.sent += 1
            mail.save()
    return report
