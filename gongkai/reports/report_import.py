"""Importing a published report file (any format) as an organisation's report.

The file is parsed outside any transaction: reading a scan by OCR takes about 2 s
of CPU a page, and a transaction open that long would hold SQLite's write lock. A
scan uploaded on the 导入 screen is not read in the web request at all: it waits in
the private storage as a ``ReportImportJob`` for the task worker
(``report_import_queue`` → ``tasks.run_report_import`` → ``report_import_job_run``).
"""

from __future__ import annotations

import hashlib
import logging
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.annual.checks import has_errors, validate
from gongkai.core.annual.model import Report
from gongkai.core.annual.parse import parse_bytes
from gongkai.core.report_flow import Action, origin_status
from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import Perm, require
from gongkai.reports.models import AnnualReport, ReportImportJob
from gongkai.reports.report_common import (
    _check_year,
    _finding_json,
    _json_value,
    previous_report,
    report_deadline,
    report_title,
    require_reporting_body,
    to_core_report,
)
from gongkai.reports.workflow import _event

log = logging.getLogger(__name__)

# seconds of CPU a page read by OCR (docs/benchmarks.md), for the wait announced
OCR_SECONDS_A_PAGE = 2.5


def report_import(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int | None,
    filename: str,
    data: bytes,
    perm: Perm = Perm.EDIT,
    parsed: Report | None = None,
) -> AnnualReport:
    """Store a published report file (any format) as this organisation's report for a year.

    A supervising body collects its units' published reports with ``perm=Perm.VIEW``
    (it reads them in; it does not edit the unit's own records). ``parsed``: the
    file already parsed by the caller. The parse runs before the transaction opens.
    """
    require(actor, perm, organisation)
    require_reporting_body(organisation)
    if parsed is None:
        parsed = parse_bytes(data, filename)
    return _report_store(
        actor=actor,
        organisation=organisation,
        year=year,
        filename=filename,
        data=data,
        perm=perm,
        parsed=parsed,
    )


@transaction.atomic
def _report_store(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int | None,
    filename: str,
    data: bytes,
    perm: Perm,
    parsed: Report,
) -> AnnualReport:
    require(actor, perm, organisation)
    if parsed.version in ("legacy", "unknown"):
        # the errors say why; an info line ("read by OCR") is no reason
        errors = [d for d in parsed.diagnostics if d.severity == "error"]
        reasons = (
            "".join(d.message for d in (errors or parsed.diagnostics)[:2])
            or "无法识别为政府信息公开工作年度报告。"
        )
        raise ValidationError(f"“{filename}”无法导入：{reasons}")
    year = year or parsed.year
    if year is None:
        raise ValidationError({"year": "无法从文件中识别年度，请填写年度。"})
    if parsed.year is not None and parsed.year != year:
        raise ValidationError(
            {"year": f"文件是{parsed.year}年的报告，与所填年度{year}不一致。"}
        )
    _check_year(year)
    if AnnualReport.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationError(f"{organisation.name}{year}年的年度报告已存在。")
    cells = {k: _json_value(k, v) for k, v in parsed.cells.items()}
    report = AnnualReport(
        organisation=organisation,
        year=year,
        version=parsed.version,
        source=AnnualReport.Source.IMPORTED,
        status=origin_status(Action.IMPORT),
        title=parsed.title or report_title(organisation, year),
        computed_cells={},
        cells=cells,
        sections=dict(parsed.sections),
        created_by=stored_user(actor),
        imported_filename=filename[:200],
        imported_sha256=hashlib.sha256(data).hexdigest(),
        published_at=timezone.now(),
        deadline=report_deadline(organisation, year),
    )
    prev = previous_report(organisation, year)
    findings = list(parsed.diagnostics) + validate(
        parsed, to_core_report(prev) if prev else None
    )
    report.findings = [_finding_json(f) for f in findings]
    report.save()
    _event(report, actor, Action.IMPORT, "", {"file": filename[:200]})
    audit_record(
        action="report.import",
        actor=actor,
        organisation=organisation,
        obj=report,
        details={
            "file": filename,
            "sha256": report.imported_sha256,
            "errors": has_errors(findings),
        },
    )
    return report


def ocr_minutes(pages: int) -> int:
    """The wait announced for reading ``pages`` pages by OCR, in whole minutes."""
    return max(1, math.ceil(pages * OCR_SECONDS_A_PAGE / 60))


@transaction.atomic
def report_import_queue(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int | None,
    filename: str,
    data: bytes,
    pages: int,
) -> ReportImportJob:
    """Keep a scan for the task worker: the file in the private default storage, a
    job row the waiting page reads. The caller enqueues ``run_report_import``."""
    require(actor, Perm.EDIT, organisation)
    require_reporting_body(organisation)
    if year is not None:
        _check_year(year)
    job = ReportImportJob.objects.create(
        organisation=organisation,
        created_by=stored_user(actor),
        year=year,
        filename=filename[:200],
        pages=max(1, min(pages, 32767)),
    )
    # a name in the default storage (media disk or S3 bucket), so a worker on
    # another host reads it; never served to the public
    job.path = default_storage.save(f"report-imports/{job.pk}.bin", ContentFile(data))
    job.save(update_fields=["path"])
    audit_record(
        action="report.import_queued",
        actor=actor,
        organisation=organisation,
        obj=job,
        details={"file": filename, "pages": pages},
    )
    return job


def report_import_job_run(job_id: int) -> ReportImportJob | None:
    """Read a waiting scan (in the task worker) and import it as the user who
    uploaded it; the job records the report or the reason, in Chinese. The stored
    file is deleted afterwards."""
    # Take the job: a retried job may sit on the queue twice; only one run reads it.
    taken = ReportImportJob.objects.filter(
        pk=job_id, state=ReportImportJob.State.WAITING, started_at__isnull=True
    ).update(started_at=timezone.now())
    job = (
        ReportImportJob.objects.select_related("organisation", "created_by")
        .filter(pk=job_id)
        .first()
    )
    if not taken or job is None:
        return None
    try:
        if job.created_by is None or not job.created_by.is_active:
            raise PermissionDenied
        with default_storage.open(job.path, "rb") as stored:
            data = bytes(stored.read())
        report = report_import(
            actor=job.created_by,
            organisation=job.organisation,
            year=job.year,
            filename=job.filename,
            data=data,
        )
    except ValidationError as exc:
        job.state, job.message = ReportImportJob.State.FAILED, "；".join(exc.messages)
    except PermissionDenied:
        job.state = ReportImportJob.State.FAILED
        job.message = "上传者已没有导入本机构年报的权限，未导入。"
    except Exception:
        log.exception("report import job %s failed", job.pk)
        job.state = ReportImportJob.State.FAILED
        job.message = "识别过程中出错，未导入。请检查文件后重新导入。"
    else:
        job.state, job.report = ReportImportJob.State.DONE, report
        job.message = f"已导入{report.year}年年度报告。"
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "message", "report", "finished_at"])
    _delete_file(job)
    return job


def _delete_file(job: ReportImportJob) -> None:
    """Delete a job's stored scan; one that is already gone is no error."""
    if not job.path:
        return
    try:
        default_storage.delete(job.path)
    except OSError:
        log.warning("could not delete %s", job.path, exc_info=True)


def report_import_job_timed_out(job: ReportImportJob, now: datetime) -> bool:
    """Whether a waiting job has waited longer than its announced reading time plus
    ``REPORT_IMPORT_TIMEOUT_MINUTES`` — a task worker that is not running, or one
    that died on it. The waiting page then stops refreshing and offers 重试. The wait
    counts from the later of the queueing and a worker taking the job, so a job
    taken late is not retried (read twice) while it is being read."""
    if job.state != ReportImportJob.State.WAITING:
        return False
    allowed = settings.REPORT_IMPORT_TIMEOUT_MINUTES + ocr_minutes(job.pages)
    since = max(job.queued_at, job.started_at or job.queued_at)
    return now > since + timedelta(minutes=allowed)


@transaction.atomic
def report_import_job_retry(*, actor: Actor, job: ReportImportJob) -> ReportImportJob:
    """Put a timed-out job on the queue again (the caller enqueues
    ``run_report_import``); the wait starts anew."""
    job = ReportImportJob.objects.select_for_update().get(pk=job.pk)
    require(actor, Perm.EDIT, job.organisation)
    if job.state != ReportImportJob.State.WAITING:
        raise ValidationError("该扫描件的识别已结束，无需重试。")
    if not report_import_job_timed_out(job, timezone.now()):
        raise ValidationError("该扫描件仍在识别中，请稍候。")
    if not job.path or not default_storage.exists(job.path):
        job.state, job.finished_at = ReportImportJob.State.FAILED, timezone.now()
        job.message = "扫描件已不在存储中，无法重试。请重新上传。"
        job.save(update_fields=["state", "message", "finished_at"])
        return job
    job.queued_at, job.started_at = timezone.now(), None
    job.save(update_fields=["queued_at", "started_at"])
    audit_record(
        action="report.import_retried",
        actor=actor,
        organisation=job.organisation,
        obj=job,
        details={"file": job.filename},
    )
    return job


def report_import_jobs_prune(*, now: datetime, days: int) -> int:
    """Delete the scan imports that ended (已导入 or 未能导入) more than ``days`` days
    before ``now``, and those left waiting that long (timed out long ago), with their
    stored files — scans may carry personal information. Returns how many."""
    cutoff = now - timedelta(days=days)
    old = ReportImportJob.objects.filter(
        Q(finished_at__lt=cutoff)
        | Q(state=ReportImportJob.State.WAITING, queued_at__lt=cutoff)
    )
    count = 0
    for job in old.iterator():
        _delete_file(job)
        job.delete()
        count += 1
    return count
