"""/healthz (django-health-check) and the numbers behind /metrics.

The checks: the database, the cache (Redis on the scale profile), the age of the
oldest task waiting in the queue, and the scheduler's last run. The view answers
on the gunicorn port itself, whatever Host header or scheme a load balancer's probe
uses (``gongkai.ops.middleware``)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import django_rq
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from gongkai.core.inforequest_flow import CONCLUDED_STATUSES
from gongkai.inforequests.models import InfoRequest
from gongkai.ops.jobs import JOBS
from gongkai.ops.models import ScheduledJob

QUEUE_MAX_AGE = datetime.timedelta(minutes=10)
SCHEDULER_MAX_SILENCE = datetime.timedelta(minutes=5)


def queue_depth_and_oldest() -> tuple[int, float]:
    """Tasks waiting to run, and the age in seconds of the oldest (0 when none)."""
    now = timezone.now()
    if settings.TASKS_BACKEND == "rq":
        queue = django_rq.get_queue("default")
        jobs = queue.get_jobs(0, 0)
        oldest = jobs[0].enqueued_at if jobs else None
        age = (now - oldest).total_seconds() if oldest else 0.0
        return queue.count, max(0.0, age)
    waiting = DBTaskResult.objects.ready()
    agg = waiting.aggregate(n=Count("id"), oldest=Min("enqueued_at"))
    age = (now - agg["oldest"]).total_seconds() if agg["oldest"] else 0.0
    return int(agg["n"]), max(0.0, age)


def scheduler_last_tick() -> datetime.datetime | None:
    """When a worker's scheduler last started a job of the every-minute kind."""
    minute_jobs = [job.name for job in JOBS if job.at is None]
    return ScheduledJob.objects.filter(name__in=minute_jobs).aggregate(
        at=Max("last_started_at")
    )["at"]


def open_cases_by_status() -> dict[str, int]:
    rows = (
        InfoRequest.objects.exclude(status__in=[str(s) for s in CONCLUDED_STATUSES])
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The oldest waiting task is younger than ten minutes: the workers keep up."""

    async def run(self) -> None:
        # In the request's own thread (and database connection), not a pool thread.
        await sync_to_async(self.check)()

    def check(self) -> None:
        try:
            _depth, age = queue_depth_and_oldest()
        except Exception as exc:
            raise ServiceUnavailable("任务队列无法读取") from exc
        if age > QUEUE_MAX_AGE.total_seconds():
            raise ServiceUnavailable(
                f"最早的任务已等待 {int(age)} 秒：任务进程未运行或处理不过来"
            )


@dataclasses.dataclass
class Scheduler(HealthCheck):
    """A worker's scheduler started a periodic job within the last five minutes."""

    async def run(self) -> None:
        await sync_to_async(self.check)()

    def check(self) -> None:
        last = scheduler_last_tick()
        if last is None or timezone.now() - last > SCHEDULER_MAX_SILENCE:
            raise ServiceUnavailable(
                "定时任务调度超过 5 分钟未运行：请检查 manage.py worker"
            )


class HealthView(HealthCheckView):
    checks: Any = (Database, Cache, TaskQueue, Scheduler)
