"""Inspect and run the periodic jobs by hand (the worker runs them by itself)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.ops.jobs import BY_NAME, JOBS
from gongkai.ops.models import ScheduledJob
from gongkai.ops.scheduler import job_run
from gongkai.ops.tasks import tick


class Command(BaseCommand):
    help = (
        "定时任务：--list 列出全部任务、间隔和上次运行结果；--once 检查一次并把到期任务"
        "加入任务队列；--run 任务名 立即在本进程中运行一个任务（systemd 定时器用这个）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--list", action="store_true", help="列出定时任务")
        group.add_argument("--once", action="store_true", help="检查一次到期任务")
        group.add_argument("--run", metavar="任务名", help="立即运行该任务")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            rows = {row.name: row for row in ScheduledJob.objects.all()}
            for job in JOBS:
                row = rows.get(job.name)
                last = "从未运行"
                if row and row.last_finished_at:
                    state = "成功" if row.last_ok else "失败"
                    last = (
                        f"{timezone.localtime(row.last_finished_at):%Y-%m-%d %H:%M:%S} "
                        f"{state}，用时 {row.last_duration_ms} 毫秒"
                    )
                off = "" if job.enabled() else "（本部署不需要）"
                self.stdout.write(
                    f"{job.name}\t{job.interval_label}{off}\t{job.title}\t{last}"
                )
            return
        if options["once"]:
            started = tick()
            self.stdout.write(f"已加入任务队列：{'、'.join(started) or '无到期任务'}")
            return
        name = options["run"]
        if name not in BY_NAME:
            raise CommandError(
                f"没有名为 {name} 的定时任务（manage.py scheduler --list）。"
            )
        result = job_run(name, trigger="command")
        self.stdout.write(result.output)
        if not result.ok:
            raise CommandError(
                f"定时任务 {name} 失败（用时 {result.duration_ms} 毫秒）。"
            )
        self.stdout.write(
            self.style.SUCCESS(f"{name} 完成，用时 {result.duration_ms} 毫秒。")
        )
