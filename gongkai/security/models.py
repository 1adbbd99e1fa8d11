"""Tables of the security app: audit-chain checkpoints and the e-mail outbox."""

from __future__ import annotations

from django.db import models


class AuditCheckpoint(models.Model):
    """Where the audit chain continues after rows older than the retention were pruned.

    ``through_id``/``last_hash`` are the id and hash of the newest pruned row; the
    first remaining row must link to ``last_hash``. ``signature`` is an HMAC (audit
    key) over the checkpoint, so a forged checkpoint cannot hide deleted rows.
    """

    at = models.DateTimeField("时间")
    through_id = models.BigIntegerField("清理至记录编号")
    last_hash = models.CharField(max_length=64)
    pruned_rows = models.PositiveIntegerField("清理行数")
    cutoff = models.DateTimeField("保留起点")
    signature = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计链检查点"
        verbose_name_plural = "审计链检查点"
        ordering = ["-through_id"]

    def __str__(self) -> str:
        return f"≤{self.through_id} @ {self.at:%Y-%m-%d}"


class OutgoingMail(models.Model):
    """An e-mail waiting to be sent: written in the caller's transaction, sent later
    with retries, so an unreachable mail server loses nothing."""

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    to = models.JSONField("收件人", default=list)
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("正文")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_try_at = models.DateTimeField("下次尝试", db_index=True)
    last_error = models.TextField("最近错误", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "待发邮件"
        verbose_name_plural = "待发邮件"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["state", "next_try_at"], name="mail_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.get_state_display()})"
