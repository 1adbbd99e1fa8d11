"""Every periodic job of the platform, declared once, with its interval.

The task worker runs them (``manage.py worker`` starts the scheduler beside the queue
worker; ``scheduler.py``); ``manage.py scheduler_units`` turns the same list into
systemd timers for operators who prefer those. Each job is a management command, so
an operator can also run any of them by hand.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone


def _always() -> bool:
    return True


def _no_args() -> list[str]:
    return []


@dataclass(frozen=True)
class Job:
    name: str  # the management command, and the row in ScheduledJob
    title: str  # what it does, for the 定时任务 page
    every: datetime.timedelta
    at: datetime.time | None = None  # daily jobs: the local time of day
    args: Callable[[], list[str]] = field(default=_no_args)
    enabled: Callable[[], bool] = field(default=_always)

    @property
    def interval_label(self) -> str:
        if self.at is not None:
            return f"每天 {self.at:%H:%M}"
        minutes = int(self.every.total_seconds() // 60)
        if minutes % 60 == 0:
            return f"每 {minutes // 60} 小时"
        return f"每 {minutes} 分钟"

    def first_run_after(self, now: datetime.datetime) -> datetime.datetime:
        """When a job seen for the first time (or after ``now``) is next due."""
        if self.at is None:
            return now
        return self.next_run_after(now)

    def next_run_after(self, now: datetime.datetime) -> datetime.datetime:
        if self.at is None:
            return now + self.every
        local = timezone.localtime(now)
        candidate = local.replace(
            hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0
        )
        if candidate <= local:
            candidate += datetime.timedelta(days=1)
        return candidate


MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def _last_year() -> list[str]:
    return ["--since-year", str(timezone.localdate().year - 1)]


def _sessions_in_database() -> bool:
    # Redis expires its session keys itself; clearsessions is for the database table.
    return bool(settings.SESSION_ENGINE == "django.contrib.sessions.backends.db")


def _notice_args() -> list[str]:
    return ["--limit", "500"]


JOBS: tuple[Job, ...] = (
    Job("publish_scheduled", "发布已到时间的定时主动公开信息", MINUTE),
    Job("send_channel_outbox", "向各发布渠道发送待发信息", MINUTE),
    Job("send_outbox", "发送待发邮件（工作人员提醒等）", MINUTE),
    Job(
        "send_applicant_notices",
        "发送给申请人的通知（已收到、补正、答复等）",
        MINUTE,
        args=_notice_args,
    ),
    Job(
        "send_deadline_reminders",
        "提醒承办人申请即将到期",
        DAY,
        at=datetime.time(8, 0),
    ),
    Job(
        "send_escalations",
        "向负责人和督查员发送超期提醒",
        DAY,
        at=datetime.time(8, 30),
    ),
    Job(
        "rebuild_request_tallies",
        "重新统计各单位申请数（监督看板兜底）",
        DAY,
        at=datetime.time(2, 30),
        args=_last_year,
    ),
    Job("audit_verify", "校验审计日志哈希链", DAY, at=datetime.time(3, 0)),
    Job(
        "run_inspection",
        "政府网站自查：按国办秘函〔2019〕19号检查指标检查各单位专栏",
        DAY,
        at=datetime.time(5, 0),
    ),
    Job(
        "probe_home_pages",
        "政府网站自查：访问各单位专栏首页（“站点无法访问”只按这些定时访问判定）",
        HOUR,
    ),
    Job("backup", "备份数据库和附件", DAY, at=datetime.time(1, 30)),
    Job(
        "prune_submission_keys",
        "删除 7 天前的提交幂等键（重复提交的首次结果）",
        DAY,
        at=datetime.time(4, 30),
    ),
    Job(
        "prune_report_imports",
        "删除结束已超过保留期（默认 30 天，部署时可调整）的年报扫描件导入及其文件",
        DAY,
        at=datetime.time(4, 45),
    ),
    Job(
        "clearsessions",
        "删除数据库中过期的登录会话",
        DAY,
        at=datetime.time(4, 0),
        enabled=_sessions_in_database,
    ),
)

BY_NAME = {job.name: job for job in JOBS}
