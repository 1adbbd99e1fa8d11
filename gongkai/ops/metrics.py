"""Prometheus metrics (prometheus-client): requests, task queue depth and age, job
runs and failures, open cases per status. Read at scrape time from the database,
so every web process reports the same platform-wide gauges; the request counter is
per process (gunicorn: set PROMETHEUS_MULTIPROC_DIR to add them up, see deploy.md)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from gongkai.ops.health import (
    open_cases_by_status,
    queue_depth_and_oldest,
    scheduler_last_tick,
)
from gongkai.ops.models import ScheduledJob

REQUESTS = Counter(
    "gongkai_http_requests", "HTTP requests answered", ["method", "status"]
)


class PlatformCollector(Collector):
    def collect(self) -> Iterator[Any]:
        depth, age = queue_depth_and_oldest()
        yield GaugeMetricFamily(
            "gongkai_task_queue_depth", "Tasks waiting to run", value=depth
        )
        yield GaugeMetricFamily(
            "gongkai_task_queue_oldest_seconds",
            "Age of the oldest waiting task",
            value=age,
        )
        runs = CounterMetricFamily(
            "gongkai_job_runs", "Runs of a periodic job", labels=["job"]
        )
        failures = CounterMetricFamily(
            "gongkai_job_failures", "Failed runs of a periodic job", labels=["job"]
        )
        for row in ScheduledJob.objects.all():
            runs.add_metric([row.name], row.runs)
            failures.add_metric([row.name], row.failures)
        yield runs
        yield failures
        last = scheduler_last_tick()
        yield GaugeMetricFamily(
            "gongkai_scheduler_last_run_timestamp_seconds",
            "When the scheduler last started a job",
            value=last.timestamp() if last else 0,
        )
        cases = GaugeMetricFamily(
            "gongkai_open_cases", "Open applications per status", labels=["status"]
        )
        for status, count in sorted(open_cases_by_status().items()):
            cases.add_metric([status], count)
        yield cases


def exposition() -> tuple[bytes, str]:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
    registry.register(PlatformCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
