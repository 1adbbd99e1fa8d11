"""Escalation: overdue applications and late reports go to the unit's office head,
and, once overdue by more than a few working days, to the supervisors above it.
Run daily (``manage.py send_escalations``); each person gets one digest."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.audit.services import audit_record
from gongkai.calendars.selectors import work_calendar
from gongkai.core.inforequest_flow import OPEN_STATUSES
from gongkai.core.letters import chinese_date
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.models import Membership, Organisation
from gongkai.reports.models import AnnualReport


def _heads(org: Organisation) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation=org, role="head"
        ).select_related("user")
    ]


def _supervisors(org: Organisation) -> list[User]:
    ancestors = org.ancestor_ids()[:-1]
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id__in=ancestors, role="supervisor"
        ).select_related("user")
    ]


def escalation_digests(today: date | None = None) -> dict[User, list[str]]:
    """Who must hear about what: office heads at once, supervisors after the grace period."""
    today = today or timezone.localdate()
    grace = settings.ESCALATE_AFTER_WORKING_DAYS
    calendar = work_calendar()
    digests: dict[User, list[str]] = defaultdict(list)
    for case in InfoRequest.objects.filter(
        status__in=OPEN_STATUSES, due_on__lt=today
    ).select_related("organisation"):
        if case.due_on is None:
            continue
        late_by = calendar.working_days_between(case.due_on, today)
        line = f"{case.organisation.name} 申请 {case.tracking_number} 已超过答复期限 {late_by} 个工作日（期限{chinese_date(case.due_on)}）"
        for user in _heads(case.organisation):
            digests[user].append(line)
        if late_by > grace:
            for user in _supervisors(case.organisation):
                digests[user].append(line)
    for report in (
        AnnualReport.objects.filter(deadline__lt=today)
        .exclude(
            status__in=[AnnualReport.Status.PUBLISHED, AnnualReport.Status.SUPERSEDED]
        )
        .select_related("organisation")
    ):
        if report.deadline is None:
            continue
        line = f"{report.organisation.name} {report.year}年年度报告已超过公开期限（{chinese_date(report.deadline)}）尚未公开"
        for user in [*_heads(report.organisation), *_supervisors(report.organisation)]:
            digests[user].append(line)
    return digests


def send_escalations(today: date | None = None) -> tuple[int, list[str]]:
    """Send the digests; return (sent, problems). A failed send is retried next run."""
    sent, problems = 0, []
    for user, lines in escalation_digests(today).items():
        if not user.email:
            problems.append(f"{user.display_name} 没有登记电子邮箱，无法提醒。")
            continue
        try:
            send_mail("【政务公开】超期事项提醒", "\n".join(lines), None, [user.email])
        except OSError as exc:
            problems.append(
                f"发给 {user.display_name} 的提醒发送失败（{exc.__class__.__name__}），下次运行时重试。"
            )
            continue
        sent += 1
        audit_record(
            action="supervision.escalate", obj=user, details={"items": len(lines)}
        )
    return sent, problems
