from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.security.fields import EncryptedTextField


class Feedback(models.Model):
    """A reader's view of a publication or of the column (意见反馈). Comments are shown
    publicly only after moderation; the contact is personal data (encrypted)."""

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已公开"
        REJECTED = "rejected", "不公开"

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    publication = models.ForeignKey(
        "publishing.Publication",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    useful = models.BooleanField("有用", null=True)
    comment = models.TextField("意见", blank=True)
    contact = EncryptedTextField("联系方式", blank=True)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    reply = models.TextField("回复", blank=True)
    # Keyed digest of the sender's address (never the address): the per-address
    # limit on 有用/没用 votes (feedback.services.address_digest, issue 18, F5).
    address_digest = models.CharField(max_length=64, blank=True, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "意见反馈"
        verbose_name_plural = "意见反馈"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "state"], name="feedback_org_state")
        ]

    def __str__(self) -> str:
        return f"反馈 #{self.pk}"


class Survey(models.Model):
    """A periodic satisfaction survey (满意度测评) of an organisation's disclosure work."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("标题", max_length=100)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("结束日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "满意度测评"
        verbose_name_plural = "满意度测评"
        ordering = ["-opens_on"]

    def __str__(self) -> str:
        return self.title


# The questions are fixed so results compare across units and years.
SURVEY_QUESTIONS = (
    ("findable", "能否方便地找到需要的政府信息"),
    ("timely", "公开的信息是否及时、更新是否及时"),
    ("clear", "公开内容是否清楚、易懂"),
    ("application", "依申请公开的办理是否规范、答复是否及时"),
    ("overall", "总体满意程度"),
)


class SurveyResponse(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses"
    )
    scores = models.JSONField("评分（1–5）", default=dict)
    comment = models.TextField("建议", blank=True)
    address_digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "测评答卷"
        verbose_name_plural = "测评答卷"

    def __str__(self) -> str:
        return f"答卷 #{self.pk}"


class HandlingRating(models.Model):
    """好差评: the applicant's rating (1–5) of how a case was handled, once per case,
    given after the reply (issue 16). Counted per body on the supervision dashboard."""

    request = models.OneToOneField(
        "inforequests.InfoRequest",
        on_delete=models.CASCADE,
        related_name="handling_rating",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField("评分（1–5）")
    comment = models.TextField("评价", blank=True)
    address_digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "办理评价（好差评）"
        verbose_name_plural = "办理评价（好差评）"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=5),
                name="handling_rating_score_1_5",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="rating_org")
        ]

    def __str__(self) -> str:
        return f"评价 #{self.pk}"
