"""/healthz (django-health-check) and the numbers behind /metrics.

The checks: the database, the read replica when ``DATABASE_REPLICA_URL`` is set
(reachable, and how far its replay is behind), the cache (Redis on the scale
profile), the age of the oldest task waiting in the queue, and the scheduler's last
run. A replica that is down or far behind is a warning, shown in the answer but not
failing it: the public pages then read on the primary (``gongkai.ops.replica``), so
the web process is still fit to serve and a load balancer must not take it out. The view answers
on the gunicorn port itself, whatever Host header or scheme a load balancer's probe
uses (``gongkai.ops.middleware``)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import django_rq
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connections
from django.db.models import Count, Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView

from gongkai.core.inforequest_flow import CONCLUDED_STATUSES
from gongkai.inforequests.models import InfoRequest
from gongkai.ops.jobs import JOBS
from gongkai.ops.models import ScheduledJob
from gongkai.ops.replica import replica_alias, replica_failed

QUEUE_MAX_AGE = datetime.timedelta(minutes=10)
SCHEDULER_MAX_SILENCE = datetime.timedelta(minutes=5)
# Public pages may be this far behind the primary before /healthz says so.
REPLICA_MAX_LAG = datetime.timedelta(minutes=1)

# Seconds since the replica replayed the last transaction it received; 0 when it has
# replayed all it received (an idle primary sends nothing, so the replay timestamp
# alone would grow); NULL when the server is not a replica.
REPLICA_LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


def replica_lag() -> float | None:
    """The configured replica's lag in seconds (None: no replica configured, or not
    PostgreSQL). Raises ``django.db.Error`` when it cannot be reached."""
    alias = replica_alias()
    if not alias:
        return None
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT 1")
            return None
        cursor.execute(REPLICA_LAG_SQL)
        row = cursor.fetchone()
    return None if row is None or row[0] is None else float(row[0])


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


@dataclasses.dataclass
class ReadReplica(HealthCheck):
    """The read replica (when configured) answers and is less than a minute behind.

    A warning, not a failure: while it is down the router reads on the primary."""

    async def run(self) -> None:
        await sync_to_async(self.check)()

    def check(self) -> None:
        if not replica_alias():
            return
        try:
            lag = replica_lag()
        except DatabaseError as exc:
            replica_failed()  # the public pages read on the primary for a while
            raise ServiceWarning(
                "只读副本无法连接，公开页面已改由主库读取：请检查 DATABASE_REPLICA_URL 所指的数据库"
            ) from exc
        if lag is not None and lag > REPLICA_MAX_LAG.total_seconds():
            raise ServiceWarning(
                f"只读副本落后主库 {int(lag)} 秒：公开页面可能显示旧内容"
            )


def _status(results: Any) -> int:
    # Only a failure takes the process out; a warning (the replica) is shown.
    failed = any(r.error and not isinstance(r.error, ServiceWarning) for r in results)
    return 500 if failed else 200


class HealthView(HealthCheckView):
    checks: Any = (Database, Cache, TaskQueue, Scheduler)

    def get_checks(self) -> Any:
        yield from super().get_checks()
        if replica_alias():
            yield ReadReplica()

    def render_to_response_json(self, status: int) -> Any:
        return super().render_to_response_json(_status(self.results))

    def render_to_response_text(self, status: int) -> Any:
        return super().render_to_response_text(_status(self.results))

    def render_to_response(self, context: Any, **kwargs: Any) -> Any:
        kwargs["status"] = _status(self.results)
        return super().render_to_response(context, **kwargs)
