"""The state of each periodic job (declared in ``gongkai/ops/jobs.py``).

One row per job is also the lock that makes exactly one host start each run: the
scheduler claims a run with a conditional UPDATE of ``next_run_at`` (see
``scheduler.py``), which only one of several concurrent claimers can win.
"""

from __future__ import annotations

from django.db import models


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
        return self.name
