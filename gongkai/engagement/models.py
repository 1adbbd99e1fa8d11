"""政民互动 (issue 21, requirement 2): 意见征集 on draft decisions with their comments,
and 咨询/留言 to a body. Contacts are personal data (encrypted)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from gongkai.security.fields import EncryptedTextField

MAX_DRAFT_CHARS = 50000


class Consultation(models.Model):
    """One draft decision open to public comment (意见征集) and, after the period,
    its published 采纳情况."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField("草案名称", max_length=200)
    body = models.TextField("草案内容及说明")
    is_major = models.BooleanField("重大行政决策", default=False)
    opens_on = models.DateField("征求意见开始日期")
    closes_on = models.DateField("征求意见截止日期")
    # 采纳情况 due by (working days after the close; GONGKAI_CONSULTATION_FEEDBACK_WORKING_DAYS).
    feedback_due_on = models.DateField("采纳情况应公布日期")
    result_summary = models.TextField("采纳情况说明", blank=True)
    result_published_at = models.DateTimeField(
        "采纳情况公布时间", null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "意见征集"
        verbose_name_plural = "意见征集"
        ordering = ["-opens_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "opens_on"], name="consult_org_open")
        ]

    def __str__(self) -> str:
        return self.title

    def phase(self, today: date) -> str:
        if self.result_published_at is not None:
            return "已公布采纳情况"
        if today < self.opens_on:
            return "未开始"
        if today <= self.closes_on:
            return "征集中"
        return "征集结束，待公布采纳情况"

    def is_open(self, today: date) -> bool:
        return self.opens_on <= today <= self.closes_on

    def feedback_overdue(self, today: date) -> bool:
        return self.result_published_at is None and today > self.feedback_due_on


class ConsultationComment(models.Model):
    """A comment on a draft: shown only after moderation; after the period the body
    records whether it was adopted and why not."""

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        # "已公开", not "采用": being shown is not being adopted (采纳, below).
        APPROVED = "approved", "已公开"
        REJECTED = "rejected", "不予公开"

    class Adoption(models.TextChoices):
        UNDECIDED = "", "未处理"
        ADOPTED = "adopted", "采纳"
        PARTLY = "partly", "部分采纳"
        NOT_ADOPTED = "not_adopted", "未采纳"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField("署名", max_length=50, blank=True)
    contact = EncryptedTextField("联系方式", blank=True)
    text = models.TextField("意见")
    state = models.CharField(
        "审核状态", max_length=10, choices=State.choices, default=State.PENDING
    )
    adoption = models.CharField(
        "采纳情况", max_length=12, choices=Adoption.choices, blank=True, default=""
    )
    adoption_reason = models.TextField("采纳说明或未采纳理由", blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address_digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "征集意见"
        verbose_name_plural = "征集意见"
        ordering = ["consultation", "created_at", "pk"]

    def __str__(self) -> str:
        return f"意见 #{self.pk}"


class Message(models.Model):
    """A question (咨询/留言) to a body: answered within the working days; the body
    chooses whether the answer is public; the asker is told by e-mail."""

    class State(models.TextChoices):
        PENDING = "pending", "待答复"
        ANSWERED = "answered", "已答复"

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="messages"
    )
    subject = models.CharField("标题", max_length=100)
    question = models.TextField("留言内容")
    name = models.CharField("姓名", max_length=50, blank=True)
    email = EncryptedTextField("电子邮箱")
    submitted_on = models.DateField("留言日期")
    due_on = models.DateField("答复期限")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PENDING
    )
    answer = models.TextField("答复", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_public = models.BooleanField("公开答复", default=False)
    # What the asker (and the answerer) wrote before personal information was masked
    # for the column: the office's record, shown to the answerer or the office head
    # only, each view audited (``services.message_reveal_original``). Empty when the
    # text was never masked.
    subject_original = EncryptedTextField("标题原文", blank=True)
    question_original = EncryptedTextField("留言内容原文", blank=True)
    answer_original = EncryptedTextField("答复原文", blank=True)
    address_digest = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "咨询留言"
        verbose_name_plural = "咨询留言"
        ordering = ["-submitted_on", "-pk"]
        indexes = [
            models.Index(
                fields=["organisation", "submitted_on"], name="message_org_day"
            ),
            models.Index(fields=["organisation", "state"], name="message_org_state"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_on is None:
            return None
        return self.answered_on <= self.due_on

    def is_overdue(self, today: date) -> bool:
        return self.state == self.State.PENDING and today > self.due_on

    @property
    def was_masked(self) -> bool:
        """Whether the public text is a masked copy of an original kept on file."""
        return bool(
            self.subject_original or self.question_original or self.answer_original
        )
