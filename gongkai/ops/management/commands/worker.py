"""The task worker of both profiles, with the scheduler of periodic jobs beside it."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from gongkai.ops.tasks import tick

log = logging.getLogger(__name__)


def _scheduler_loop(interval: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            tick()
        except Exception:
            # A database outage must not kill the worker; the next tick tries again.
            log.warning("scheduler tick failed", exc_info=True)
        finally:
            connection.close()  # this thread's own connection
        stop.wait(interval)


class Command(BaseCommand):
    help = (
        "任务进程：执行任务队列（嵌入式部署为数据库队列 db_worker，规模部署为 Redis 队列 "
        "rqworker），并在同一进程中运行定时任务调度（每个到期任务只由一台主机启动一次，"
        "见 manage.py scheduler --list）。改用 systemd 定时器时加 --no-scheduler。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="不运行定时任务调度（定时任务改由 systemd 定时器运行：manage.py scheduler_units）",
        )
        parser.add_argument(
            "--tick",
            type=float,
            default=15.0,
            help="调度检查间隔秒数（默认 15）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if not options["no_scheduler"]:
            threading.Thread(
                target=_scheduler_loop,
                args=(max(1.0, options["tick"]), stop),
                name="gongkai-scheduler",
                daemon=True,
            ).start()
        try:
            if settings.TASKS_BACKEND == "rq":
                call_command("rqworker", "default", job_class="django_tasks_rq.Job")
            else:
                call_command("db_worker", queue_name="*")
        finally:
            stop.set()
