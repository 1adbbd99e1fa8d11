"""Runs the periodic jobs of ``jobs.py``: a tick claims the due ones, a task runs each.

Why not a library: django-tasks has no periodic tasks of its own; the maintained
schedulers each serve one queue — ``django-tasks-scheduler`` and ``rq-scheduler``
only rq, with their own tables or Redis keys — while the platform runs on two
queues (the database one of the embedded profile, rq on the scale profile) and
must keep one declaration for both and for systemd timers. What is left is small:
a loop in the task worker calling :func:`scheduler_tick`, and a row per job in the
database as the lock. A run is claimed by
``UPDATE … SET next_run_at = <next> WHERE name = … AND next_run_at <= now``: on
PostgreSQL and SQLite alike only one of any number of concurrent claimers (one per
worker process, on any number of hosts) sees its UPDATE change a row, so each due
run is started exactly once, and a host that dies costs no more than one tick.
"""

from __future__ import annotations

import datetime
import io
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.db.models import F, Q
from django.utils import timezone

from gongkai.ops.jobs import BY_NAME, JOBS, Job
from gongkai.ops.models import ScheduledJob

log = logging.getLogger(__name__)

# A run that has not finished after this long is taken for dead (its worker was
# killed); the job may then be claimed again.
STALE_RUN = datetime.timedelta(hours=2)
RESULT_CHARS = 4000


@dataclass
class RunResult:
    ok: bool
    duration_ms: int
    output: str


def _row(job: Job, now: datetime.datetime) -> ScheduledJob:
    row, _ = ScheduledJob.objects.get_or_create(
        name=job.name, defaults={"next_run_at": job.first_run_after(now)}
    )
    if row.next_run_at is None:
        ScheduledJob.objects.filter(pk=row.pk, next_run_at=None).update(
            next_run_at=job.first_run_after(now)
        )
        row.refresh_from_db()
    return row


def claim(job: Job, now: datetime.datetime) -> bool:
    """Claim the due run of ``job``; True for exactly one of concurrent claimers."""
    row = _row(job, now)
    return bool(
        ScheduledJob.objects.filter(pk=row.pk, next_run_at__lte=now)
        .filter(Q(running_since=None) | Q(running_since__lt=now - STALE_RUN))
        .update(next_run_at=job.next_run_after(now))
    )


def scheduler_tick(
    enqueue: Callable[[str], object], now: datetime.datetime | None = None
) -> list[str]:
    """Claim every due job and hand it to ``enqueue`` (the task queue); the names."""
    now = now or timezone.now()
    started = []
    for job in JOBS:
        if not job.enabled():
            continue
        if claim(job, now):
            try:
                enqueue(job.name)
            except Exception as exc:
                log.warning("could not enqueue job %s", job.name, exc_info=True)
                _finish(
                    job.name,
                    "scheduler",
                    now,
                    RunResult(False, 0, f"无法加入任务队列：{exc}"),
                )
                continue
            started.append(job.name)
    return started


def _finish(
    name: str, trigger: str, started: datetime.datetime, result: RunResult
) -> None:
    ScheduledJob.objects.filter(name=name).update(
        running_since=None,
        last_started_at=started,
        last_finished_at=timezone.now(),
        last_duration_ms=result.duration_ms,
        last_ok=result.ok,
        last_result=result.output[-RESULT_CHARS:],
        last_trigger=trigger,
        runs=F("runs") + 1,
        failures=F("failures") + (0 if result.ok else 1),
    )


def job_run(name: str, *, trigger: str = "worker") -> RunResult:
    """Run one job now (its management command) and record how it went."""
    job = BY_NAME[name]
    started = timezone.now()
    _row(job, started)
    ScheduledJob.objects.filter(name=name).update(running_since=started)
    out = io.StringIO()
    clock = time.monotonic()
    ok = True
    try:
        call_command(job.name, *job.args(), stdout=out, stderr=out)
    except SystemExit as exc:  # a command's way of saying "done, with problems"
        ok = exc.code in (0, None)
    except Exception as exc:
        ok = False
        out.write(f"{type(exc).__name__}: {exc}")
        log.exception("scheduled job %s failed", name)
    result = RunResult(
        ok, int((time.monotonic() - clock) * 1000), out.getvalue().strip()
    )
    _finish(name, trigger, started, result)
    return result


def run_soon(name: str) -> None:
    """Make ``name`` due at the next tick (the 立即运行 button)."""
    job = BY_NAME[name]
    _row(job, timezone.now())
    ScheduledJob.objects.filter(name=name).update(next_run_at=timezone.now())
