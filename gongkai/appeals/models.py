from __future__ import annotations

from django.db import models


class Appeal(models.Model):
    """A 行政复议 or 行政诉讼 about the body's disclosure work (table 四 of the report)."""

    class Kind(models.TextChoices):
        REVIEW = "review", "行政复议"
        SUIT_DIRECT = "suit_direct", "行政诉讼（未经复议直接起诉）"
        SUIT_AFTER_REVIEW = "suit_after_review", "行政诉讼（复议后起诉）"

    class Result(models.TextChoices):
        UPHELD = "upheld", "结果维持"
        CORRECTED = "corrected", "结果纠正"
        OTHER = "other", "其他结果"

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="被申请/被诉机关",
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    request = models.ForeignKey(
        "inforequests.InfoRequest",
        verbose_name="相关申请",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    case_number = models.CharField("案号", max_length=60, blank=True)
    filed_on = models.DateField("立案/受理日期")
    decided_on = models.DateField("审结日期", null=True, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, blank=True)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "复议诉讼案件"
        verbose_name_plural = "复议诉讼案件"
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(decided_on__isnull=True, result="")
                    | (models.Q(decided_on__isnull=False) & ~models.Q(result=""))
                ),
                name="appeal_decided_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.pk}"
