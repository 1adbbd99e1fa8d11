from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.core import report_flow


class AnnualReport(models.Model):
    """One revision of an organisation's 政府信息公开工作年度报告 for a year.

    ``computed_cells`` come from the records; ``cells`` are what the report says
    (computed, plus manual figures with reasons). A correction after publication
    is a new revision; the old one is kept and marked superseded.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交审核"
        APPROVED = "approved", "已审核"
        PUBLISHED = "published", "已公开"
        SUPERSEDED = "superseded", "已被更正版取代"

    class Source(models.TextChoices):
        COMPUTED = "computed", "平台数据生成"
        IMPORTED = "imported", "导入已发布年报"

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="机构",
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField("年度")
    revision = models.PositiveSmallIntegerField("版本", default=1)
    version = models.CharField("格式", max_length=10, default="2021")
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(
        "来源", max_length=10, choices=Source.choices, default=Source.COMPUTED
    )
    title = models.CharField("标题", max_length=200)
    computed_cells = models.JSONField("计算数据", default=dict)
    cells = models.JSONField("报告数据", default=dict)
    sections = models.JSONField("正文", default=dict)
    findings = models.JSONField("审核发现", default=list)
    reviewer_notes = models.JSONField("审核说明", default=dict, blank=True)
    deadline = models.DateField("法定公开期限", null=True, blank=True)
    change_summary = models.TextField("更正说明", blank=True)
    imported_filename = models.CharField("导入文件名", max_length=200, blank=True)
    imported_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "revision"],
                name="report_revision_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.revision}版）"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT and self.source == self.Source.COMPUTED


class ManualFigure(models.Model):
    """A figure entered by hand (data from before the platform), always with a reason."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="manual_figures"
    )
    key = models.CharField("数据项", max_length=80)
    value = models.DecimalField("数值", max_digits=14, decimal_places=4)
    reason = models.TextField("理由")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "手工填报数据"
        verbose_name_plural = "手工填报数据"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "key"], name="manual_figure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


class ReportEvent(models.Model):
    """One step of a revision's workflow (actor, action, from, to, at, data).

    Append-only: written by ``reports.services`` inside the step's transaction, next
    to its audit row. ``action`` is a ``core.report_flow.Action``.
    """

    report = models.ForeignKey(
        AnnualReport,
        verbose_name="年度报告",
        on_delete=models.CASCADE,
        related_name="events",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Labelled from the core's one table, so the admin shows 提交审核, not "submit".
    action = models.CharField(
        "操作", max_length=30, choices=[(a.value, a.label) for a in report_flow.Action]
    )
    from_status = models.CharField(
        "原状态", max_length=12, blank=True, choices=AnnualReport.Status.choices
    )
    to_status = models.CharField(
        "新状态", max_length=12, blank=True, choices=AnnualReport.Status.choices
    )
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "年报办理记录"
        verbose_name_plural = "年报办理记录"
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report}：{self.get_action_display()}"


class ReportImportJob(models.Model):
    """A scanned report uploaded on the 导入 screen, waiting for the task worker.

    OCR takes about 2 s of CPU a page, beyond a web request; the file is kept in the
    private default storage (``path``) until the worker has read it, then deleted.
    """

    class State(models.TextChoices):
        WAITING = "waiting", "识别中"
        DONE = "done", "已导入"
        FAILED = "failed", "未能导入"

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="机构",
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    filename = models.CharField("文件名", max_length=200)
    path = models.CharField("存储位置", max_length=300, blank=True)
    pages = models.PositiveSmallIntegerField("页数", default=1)
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.WAITING
    )
    message = models.TextField("结果", blank=True)
    report = models.ForeignKey(
        AnnualReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When it was last put on the task queue (the upload, or 重试): the wait that
    # ends in 识别超时 counts from here (``report_import.report_import_job_timed_out``).
    queued_at = models.DateTimeField("排队时间", default=timezone.now)
    # Set by the run that takes the job, so two runs of one job never both import it.
    started_at = models.DateTimeField("开始识别", null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "扫描件导入"
        verbose_name_plural = "扫描件导入"

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_state_display()}）"
