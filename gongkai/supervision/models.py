from __future__ import annotations

from django.conf import settings
from django.db import models

# Indicators of the 绩效考评 and their default weights (percent; they must add to 100).
DEFAULT_WEIGHTS = {
    "timeliness": 35,  # applications answered within the statutory period
    "report_quality": 25,  # annual report published on time and without errors
    "proactive": 25,  # Art. 26: proactive items published within 20 working days
    "catalogue": 15,  # catalogue items kept current (Art. 53)
}
INDICATOR_LABELS = {
    "timeliness": "依申请按期答复率",
    "report_quality": "年度报告按时、无误公开",
    "proactive": "主动公开及时率",
    "catalogue": "目录事项及时更新率",
}


class AssessmentRulepack(models.Model):
    """A loaded indicator set (考评指标体系): the file as uploaded and what it says,
    checked by ``core.assessment.parse_indicator_set`` before it is stored.

    Each set belongs to the body that loaded it (``organisation``); the sets shipped
    with the platform (``manage.py load_indicators``) belong to none and no screen
    replaces them. The code is unique per owner, so loading a file with another
    body's code makes a new set of one's own and never touches theirs."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    code = models.CharField("方案编号", max_length=40)
    name = models.CharField("方案名称", max_length=100)
    source = models.TextField("依据", blank=True)
    text = models.TextField("指标文件")
    spec = models.JSONField("指标", default=dict)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        verbose_name = "考评指标体系"
        verbose_name_plural = "考评指标体系"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="rulepack_code_unique_per_owner",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organisation__isnull=True),
                name="rulepack_code_unique_shipped",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EvaluationScheme(models.Model):
    """The weights a supervising body uses for its units' 绩效考评 in a year."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    weights = models.JSONField("权重（%）", default=dict)
    # When set, the scores follow this indicator set instead of the four weights.
    rulepack = models.ForeignKey(
        AssessmentRulepack,
        verbose_name="考评指标体系",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schemes",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "考评方案"
        verbose_name_plural = "考评方案"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="scheme_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年考评方案"


class SupervisionNotice(models.Model):
    """A 督办 notice from a supervising body to units below it; each must acknowledge."""

    sender = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField("事由", max_length=200)
    body = models.TextField("督办内容")
    due_on = models.DateField("办理期限", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "督办通知"
        verbose_name_plural = "督办通知"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class NoticeRecipient(models.Model):
    notice = models.ForeignKey(
        SupervisionNotice, on_delete=models.CASCADE, related_name="recipients"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    response = models.TextField("回复", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "organisation"], name="notice_recipient_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.organisation}"


class ImportBatch(models.Model):
    """A bulk import of subordinate units' published reports (a ZIP or several files)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "年报批量导入"
        verbose_name_plural = "年报批量导入"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"批量导入 #{self.pk}"


class ImportItem(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "等待处理"
        IMPORTED = "imported", "已导入"
        FAILED = "failed", "未导入"

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="items"
    )
    filename = models.CharField(max_length=255)
    path = models.CharField(
        max_length=500
    )  # where the uploaded bytes wait (private media)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.WAITING
    )
    message = models.TextField(blank=True)
    report = models.ForeignKey(
        "reports.AnnualReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    errors = models.PositiveSmallIntegerField(default=0)
    warnings = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename
