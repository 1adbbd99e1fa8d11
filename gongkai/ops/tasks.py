"""The task the scheduler enqueues: run one periodic job in a task worker."""

from __future__ import annotations

from django_tasks import task

from gongkai.ops.scheduler import job_run, scheduler_tick


@task()
def run_scheduled_job_task(name: str) -> bool:
    return job_run(name, trigger="worker").ok


def enqueue_job(name: str) -> object:
    return run_scheduled_job_task.enqueue(name)


def tick() -> list[str]:
    """One scheduler round: every due job is put on the task queue."""
    return scheduler_tick(enqueue_job)
