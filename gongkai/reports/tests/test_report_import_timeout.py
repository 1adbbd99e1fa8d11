"""A scanned report whose task worker never runs does not wait for ever: the waiting
page says 识别超时 after the announced time plus REPORT_IMPORT_TIMEOUT_MINUTES and
offers 重试; old imports and their private files are deleted by a nightly job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongkai.ops.jobs import BY_NAME
from gongkai.reports.models import ReportImportJob
from gongkai.reports.services import report_import_job_run, report_import_queue

pytestmark = pytest.mark.django_db

START = "2025-03-03 09:00 +0800"


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REPORT_IMPORT_TIMEOUT_MINUTES = 20


def _queued(tree: Any, pages: int = 3) -> ReportImportJob:
    return report_import_queue(
        actor=tree.officer,
        organisation=tree.street,
        year=2024,
        filename="扫描件.tif",
        data=b"II*\x00not really a scan",
        pages=pages,
    )


def _page(client: Any, job: ReportImportJob) -> str:
    response = client.get(reverse("reports:import_job", args=[job.pk]))
    assert response.status_code == 200
    return str(response.content.decode())


def test_a_job_no_worker_runs_times_out_with_a_retry(client: Any, tree: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    client.force_login(tree.officer)
    with time_machine.travel(START, tick=False) as clock:
        job = _queued(tree)  # 3 pages: announced as about 1 minute
        clock.shift(timedelta(minutes=20))  # within 1 + 20 minutes
        page = _page(client, job)
        assert "正在识别扫描件" in page and "识别超时" not in page
        clock.shift(timedelta(minutes=2))
        page = _page(client, job)
        assert "识别超时，请重试或联系管理员" in page
        assert 'http-equiv="refresh"' not in page  # no endless refreshing
        assert "重试" in page
        retry = reverse("reports:import_job_retry", args=[job.pk])
        assert client.get(retry).status_code == 405
        response = client.post(retry, follow=True)
        assert "正在识别扫描件" in response.content.decode()
    job.refresh_from_db()
    assert job.state == ReportImportJob.State.WAITING
    assert [t.args_kwargs["args"] for t in DBTaskResult.objects.all()] == [[job.pk]]


def test_a_job_still_in_time_is_not_retried(client: Any, tree: Any) -> None:
    client.force_login(tree.officer)
    job = _queued(tree)
    retry = reverse("reports:import_job_retry", args=[job.pk])
    page = client.post(retry, follow=True).content.decode()
    assert "仍在识别中" in page
    client.force_login(tree.liaison_a)  # another body: not found
    assert client.post(retry).status_code == 404


def test_a_job_is_read_once_even_if_queued_twice(tree: Any) -> None:
    job = _queued(tree)
    ReportImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now())
    assert report_import_job_run(job.pk) is None  # another run has it
    job.refresh_from_db()
    assert job.state == ReportImportJob.State.WAITING


def test_a_job_a_worker_took_late_is_not_retried_while_it_reads(
    client: Any, tree: Any
) -> None:
    """The reading time counts from when a worker took the job: a retry then would
    have a second run read the same file."""
    client.force_login(tree.officer)
    with time_machine.travel(START, tick=False) as clock:
        job = _queued(tree)
        clock.shift(timedelta(minutes=21))  # the queue was slow
        ReportImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now())
        clock.shift(timedelta(minutes=2))  # past the wait counted from the upload
        retry = reverse("reports:import_job_retry", args=[job.pk])
        page = client.post(retry, follow=True).content.decode()
        assert "仍在识别中" in page and "识别超时" not in page
    job.refresh_from_db()
    assert job.started_at is not None


def test_old_jobs_and_their_files_are_deleted_by_the_nightly_job(
    tree: Any, settings: Any
) -> None:
    settings.REPORT_IMPORT_KEEP_DAYS = 10
    with time_machine.travel(START, tick=False) as clock:
        failed = _queued(tree)
        report_import_job_run(failed.pk)  # not a readable scan: 未能导入
        failed.refresh_from_db()
        assert failed.state == ReportImportJob.State.FAILED
        stuck = _queued(tree)
        clock.shift(timedelta(days=9))
        recent = _queued(tree)
        recent_failed = _queued(tree)
        report_import_job_run(recent_failed.pk)
        call_command("prune_report_imports")
        assert ReportImportJob.objects.count() == 4  # none is 10 days old yet
        clock.shift(timedelta(days=1, minutes=1))
        call_command("prune_report_imports")
    left = set(ReportImportJob.objects.values_list("pk", flat=True))
    assert left == {recent.pk, recent_failed.pk}
    assert not default_storage.exists(stuck.path)  # the stuck one's scan is gone too
    assert default_storage.exists(recent.path)
    assert "prune_report_imports" in BY_NAME  # scheduled with the other cleanups
