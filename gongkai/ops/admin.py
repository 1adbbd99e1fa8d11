"""The 定时任务 page: every periodic job with its interval, last run, duration and result.

Platform-wide, so only for a 系统管理员 of a top body (a root of the tree)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.audit.services import audit_record
from gongkai.ops.jobs import BY_NAME
from gongkai.ops.models import TRIGGER_LABELS, ScheduledJob, job_label
from gongkai.ops.scheduler import run_soon
from gongkai.orgs.permissions import Perm, organisations_for


def runs_the_platform(user: Any) -> bool:
    return bool(
        getattr(user, "is_superuser", False)
        or organisations_for(user, Perm.MANAGE_ORGS).filter(depth=0).exists()
    )


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    list_display = (
        "job",
        "title",
        "interval",
        "last_started_at",
        "last_duration_ms",
        "outcome",
        "next_run_at",
        "runs",
        "failures",
    )
    readonly_fields = (
        "job",
        "title",
        "interval",
        "next_run_at",
        "running_since",
        "last_started_at",
        "last_finished_at",
        "last_duration_ms",
        "outcome",
        "trigger",
        "last_result",
        "runs",
        "failures",
    )
    fields = readonly_fields
    actions = ["run_now"]

    @admin.display(description="任务", ordering="name")
    def job(self, obj: ScheduledJob) -> str:
        return job_label(obj.name)

    @admin.display(description="上次触发方式")
    def trigger(self, obj: ScheduledJob) -> str:
        if not obj.last_trigger:
            return "—"
        return TRIGGER_LABELS.get(obj.last_trigger, "其他方式")

    @admin.display(description="内容")
    def title(self, obj: ScheduledJob) -> str:
        job = BY_NAME.get(obj.name)
        return job.title if job else "（已不再使用）"

    @admin.display(description="间隔")
    def interval(self, obj: ScheduledJob) -> str:
        job = BY_NAME.get(obj.name)
        return job.interval_label if job else "—"

    @admin.display(description="上次结果")
    def outcome(self, obj: ScheduledJob) -> str:
        if obj.running_since:
            return "运行中"
        if obj.last_ok is None:
            return "从未运行"
        return "成功" if obj.last_ok else "失败"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return runs_the_platform(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return runs_the_platform(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return runs_the_platform(request.user) and obj is None  # the action only

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="下一轮调度时立即运行所选任务")
    def run_now(self, request: HttpRequest, queryset: QuerySet[ScheduledJob]) -> None:
        names = [
            name for name in queryset.values_list("name", flat=True) if name in BY_NAME
        ]
        for name in names:
            run_soon(name)
            audit_record(
                action="ops.job_run_now", actor=request.user, details={"job": name}
            )
        labels = "、".join(job_label(name) for name in names) or "无"
        self.message_user(request, f"已安排立即运行：{labels}。")
