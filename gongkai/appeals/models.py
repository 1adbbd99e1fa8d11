from __future__ import annotations

from django.conf import settings
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

    class Correction(models.TextChoices):
        REVOKED = "revoked", "撤销"
        VARIED = "varied", "变更"
        DECLARED_UNLAWFUL = "declared_unlawful", "确认违法"
        ORDERED_TO_PERFORM = "ordered_to_perform", "责令履行"
        ORDERED_TO_REANSWER = "ordered_to_reanswer", "责令重新答复"

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
    requests = models.ManyToManyField(
        "inforequests.InfoRequest",
        verbose_name="涉及的申请",
        blank=True,
        related_name="appeal_cases",
    )
    matter = models.CharField("涉及的主动公开事项", max_length=200, blank=True)
    applicant = models.CharField("申请人/原告", max_length=100, blank=True)
    authority = models.CharField("复议机关/人民法院", max_length=100, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    case_number = models.CharField("案号", max_length=60, blank=True)
    filed_on = models.DateField("立案/受理日期")
    received_on = models.DateField(
        "收到申请书副本/起诉状副本日期", null=True, blank=True
    )
    reply_due_on = models.DateField("答复/答辩期限", null=True, blank=True)
    replied_on = models.DateField("提交答复/答辩日期", null=True, blank=True)
    decided_on = models.DateField("审结日期", null=True, blank=True)
    delivered_on = models.DateField("决定/判决送达日期", null=True, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, blank=True)
    correction = models.CharField(
        "纠正方式", max_length=20, choices=Correction.choices, blank=True
    )
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

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
            models.CheckConstraint(
                condition=models.Q(result="corrected") | models.Q(correction=""),
                name="appeal_correction_only_when_corrected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.pk}"


class AppealDocument(models.Model):
    """A file of the case (the body's 答复/答辩状, the 决定书/判决书), stored privately
    under a random name and served only through a permission check."""

    # Encrypted at rest (gongkai/security/files.py); re-encrypted by rotate_field_keys.
    encrypted_files = ("file",)

    class Role(models.TextChoices):
        ANSWER = "answer", "答复书/答辩状"
        DECISION = "decision", "复议决定书/判决书"
        OTHER = "other", "其他材料"

    appeal = models.ForeignKey(
        Appeal,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name="复议诉讼案件",
    )
    role = models.CharField("材料类型", max_length=10, choices=Role.choices)
    file = models.FileField("文件", upload_to="appeals/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("文件类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("文件校验值", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="上传人",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "复议诉讼材料"
        verbose_name_plural = "复议诉讼材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
