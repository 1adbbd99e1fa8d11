"""Deadline reminders: the handler (else the unit's officers) hears at 5 and at 2
working days left, by e-mail and, when configured, by SMS through a pluggable adapter.
Run daily: ``manage.py send_deadline_reminders``."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.core.mail import send_mail
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import OPEN_STATUSES
from gongkai.inforequests.models import InfoRequest

# The adapter lives in ``sms``; ``reminders.NoSms`` stays a valid GONGKAI_SMS_BACKEND.
from gongkai.inforequests.sms import NoSms, SmsBackend, sms_backend
from gongkai.orgs.models import Membership

REMIND_AT_WORKING_DAYS_LEFT = (5, 2)

__all__ = [
    "NoSms",
    "SmsBackend",
    "reminders_due",
    "send_deadline_reminders",
    "sms_backend",
]


def _recipients(case: InfoRequest) -> list[Any]:
    if case.handler is not None:
        return [case.handler]
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=case.organisation, role="officer"
        ).select_related("user")
    ]


def reminders_due(today: date | None = None) -> dict[Any, list[str]]:
    today = today or timezone.localdate()
    calendar = work_calendar()
    digests: dict[Any, list[str]] = defaultdict(list)
    for case in InfoRequest.objects.filter(
        status__in=OPEN_STATUSES, due_on__gte=today
    ).select_related("organisation", "handler"):
        assert case.due_on is not None
        left = calendar.working_days_between(today, case.due_on)
        if left not in REMIND_AT_WORKING_DAYS_LEFT:
            continue
        provisional = "（临时计算）" if case.due_provisional else ""
        line = (
            f"{case.organisation.name} 申请 {case.tracking_number} 还剩 {left} 个工作日到期"
            f"（答复期限 {case.due_on:%Y-%m-%d}{provisional}）"
        )
        for user in _recipients(case):
            digests[user].append(line)
    return digests


def send_deadline_reminders(today: date | None = None) -> tuple[int, list[str]]:
    """Send one message per person; a failed send is reported and retried next run."""
    sent, problems = 0, []
    sms = sms_backend()
    for user, lines in reminders_due(today).items():
        text = "\n".join(lines)
        try:
            if user.email:
                send_mail("【政务公开】申请答复期限提醒", text, None, [user.email])
            if user.phone:
                sms.send(user.phone, text[:300])
        except OSError as exc:
            problems.append(
                f"发给 {user.display_name} 的提醒发送失败（{exc.__class__.__name__}），下次运行时重试。"
            )
            continue
        if not user.email and not user.phone:
            problems.append(f"{user.display_name} 没有登记电子邮箱或手机号，无法提醒。")
            continue
        sent += 1
        audit_record(
            action="inforequest.reminder", obj=user, details={"items": len(lines)}
        )
    return sent, problems
