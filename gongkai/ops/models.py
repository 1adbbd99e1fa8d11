"""The state of each periodic job (declared in ``gongkai/ops/jobs.py``).

One row per job is also the lock that makes exactly one host start each run: the
scheduler claims a run with a conditional UPDATE of ``next_run_at`` (see
``scheduler.py``), which only one of several concurrent claimers can win.
"""

from __future__ import annotations

from django.db import models

from gongkai.security.fields import EncryptedTextField

# Each job's name on screen (the 定时任务 page, its messages, the audit log), by the
# job's code name — the management command declared in ``jobs.py: JOBS``, which
# stays off the screen. Kept here, one layer below the registry, so the row's own name
# (``__str__``, the page's title) can use it: ``jobs.py`` may import this module, not
# the other way round (the layers in ``.importlinter``).
JOB_LABELS: dict[str, str] = {
    "publish_scheduled": "定时发布",
    "send_channel_outbox": "渠道发送",
    "send_outbox": "邮件发送",
    "send_applicant_notices": "申请人通知发送",
    "send_deadline_reminders": "到期提醒",
    "send_escalations": "超期提醒",
    "rebuild_request_tallies": "申请数重新统计",
    "audit_verify": "审计日志校验",
    "run_inspection": "网站自查",
    "probe_home_pages": "专栏首页访问检查",
    "backup": "数据备份",
    "prune_submission_keys": "清理提交幂等键",
    "prune_report_imports": "清理年报扫描件导入",
    "clearsessions": "清理过期会话",
}

# How a run was started (ScheduledJob.last_trigger), by name.
TRIGGER_LABELS: dict[str, str] = {
    "worker": "定时调度",
    "command": "命令行手动运行",
}


def job_label(name: str) -> str:
    """A job's Chinese name; a job no longer declared says so."""
    return JOB_LABELS.get(name) or "（已不再使用的任务）"


class ScheduledJob(models.Model):
    name = models.CharField("任务", max_length=64, unique=True)
    next_run_at = models.DateTimeField("下次运行", null=True, blank=True)
    running_since = models.DateTimeField("正在运行（开始于）", null=True, blank=True)
    last_started_at = models.DateTimeField("上次开始", null=True, blank=True)
    last_finished_at = models.DateTimeField("上次结束", null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(
        "上次用时（毫秒）", null=True, blank=True
    )
    last_ok = models.BooleanField("上次成功", null=True, blank=True)
    last_result = models.TextField("上次结果", blank=True)
    last_trigger = models.CharField("上次触发方式", max_length=20, blank=True)
    runs = models.PositiveIntegerField("运行次数", default=0)
    failures = models.PositiveIntegerField("失败次数", default=0)

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = "定时任务"
        ordering = ["name"]

    def __str__(self) -> str:
        return job_label(self.name)


class SubmissionKey(models.Model):
    """An idempotency key of a submission (the online application form, the API's
    register): the first result, so that the same submission sent again — after an
    error page, a timeout, a double click — gets that result instead of a second
    application. The unique (scope, key) row is inserted in the submission's own
    transaction, so of two concurrent submissions with one key only one commits."""

    scope = models.CharField("来源", max_length=40)
    key = models.CharField("幂等键", max_length=100)
    # The result holds the query code: encrypted like other personal data.
    result = EncryptedTextField("首次结果", blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "提交幂等键"
        verbose_name_plural = "提交幂等键"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key"], name="submission_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
