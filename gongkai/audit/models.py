from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from gongkai.audit.labels import action_label, username_label


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One audited action. Append-only: rows are never updated or deleted.

    Rows form an HMAC chain (``hash`` covers the row and the previous row's hash),
    so ``manage.py audit_verify`` detects any altered, inserted or deleted row.
    """

    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        DENIED = "denied", "拒绝"

    at = models.DateTimeField("时间", db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="机构",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    result = models.CharField(
        "结果", max_length=10, choices=Result.choices, default=Result.SUCCESS
    )
    details = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField("上一条的校验值", max_length=64, editable=False)
    hash = models.CharField("校验值", max_length=64, editable=False, unique=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["organisation", "at"], name="audit_org_at")]

    def __str__(self) -> str:
        """The entry's title (the admin's page and breadcrumb): local time written out
        in Chinese, who (with their name, if known) and the operation's name."""
        who = username_label(self.username)
        try:  # the account may be gone (no database constraint on purpose)
            full_name = getattr(self.user, "full_name", "") if self.user_id else ""
        except ObjectDoesNotExist:
            full_name = ""
        if full_name and full_name != who:
            who = f"{who}（{full_name}）"
        when = date_format(timezone.localtime(self.at), "Y年n月j日 H:i")
        return f"{when} {who} {action_label(self.action)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计日志只能追加，不能删除。")
