"""A scan uploaded on the 导入 screen is read by OCR in the task worker (about 2 s
of CPU a page: beyond a web request's time limit)."""

from __future__ import annotations

from django_tasks import task

from gongkai.reports.report_import import report_import_job_run


@task()
def run_report_import(job_id: int) -> None:
    report_import_job_run(job_id)
