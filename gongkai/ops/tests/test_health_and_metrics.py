"""Issue 23 §5: /healthz checks the database, the cache, the task queue's age and the
scheduler's last run, on the web process's own port (no 400 for an unknown Host, no
301 to HTTPS); /metrics in Prometheus text, for internal addresses only."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from gongkai.inforequests.tests.test_applicant_side import online_case
from gongkai.ops.models import ScheduledJob
from gongkai.ops.scheduler import job_run
from gongkai.publishing.tasks import publish_scheduled_task

pytestmark = pytest.mark.django_db


def _checks(response) -> dict[str, str]:
    return {name.split("(")[0]: value for name, value in response.json().items()}


def test_healthz_answers_a_probe_on_the_internal_port(settings) -> None:
    settings.ALLOWED_HOSTS = ["gk.example.gov.cn"]
    settings.SECURE_SSL_REDIRECT = True
    job_run("publish_scheduled")  # the scheduler has run
    probe = Client(HTTP_HOST="10.0.0.5:8000")  # neither an allowed host nor HTTPS
    answer = probe.get("/healthz")
    assert answer.status_code == 200, answer.content
    checks = _checks(answer)
    assert set(checks) == {"Database", "Cache", "TaskQueue", "Scheduler"}
    assert set(checks.values()) == {"OK"}
    # Every other path still gets the host check and the redirect.
    assert probe.get("/gk/").status_code == 400


def test_healthz_fails_when_the_scheduler_is_silent_or_the_queue_is_stale() -> None:
    client = Client()
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert "定时任务调度" in _checks(answer)["Scheduler"]
    job_run("publish_scheduled")
    assert client.get("/healthz").status_code == 200
    result = publish_scheduled_task.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    stale = client.get("/healthz")
    assert stale.status_code == 503
    assert "最早的任务已等待" in _checks(stale)["TaskQueue"]
    ScheduledJob.objects.update(
        last_started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert "定时任务调度" in _checks(client.get("/healthz"))["Scheduler"]


def test_metrics_in_prometheus_text_for_internal_addresses_only(tree) -> None:
    online_case(tree)
    job_run("audit_verify")
    publish_scheduled_task.enqueue()
    Client().get("/gk/")
    page = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")
    assert page.status_code == 200
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(page.content.decode())
        for s in family.samples
    }
    assert samples[("gongkai_open_cases", (("status", "received"),))] == 1
    assert samples[("gongkai_task_queue_depth", ())] >= 1
    assert samples[("gongkai_job_runs_total", (("job", "audit_verify"),))] == 1
    assert samples[("gongkai_job_failures_total", (("job", "audit_verify"),))] == 0
    assert any(name == "gongkai_http_requests_total" for name, _ in samples)
    # From outside (even claiming to be local in X-Forwarded-For) it does not exist.
    outside = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert outside.get("/metrics").status_code == 404
    # Through nginx on this host every visitor comes from 127.0.0.1, with the
    # proxy's headers: not internal either.
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    assert proxied.get("/metrics").status_code == 404
