from __future__ import annotations

from django.conf import settings
from django.db import models


class CalendarYearRecord(models.Model):
    """A year's holiday schedule entered or imported by an administrator.

    It takes precedence over the bundled chinesecalendar data and over the
    provisional calendar (docs/workdays.md). Dates are ISO strings in JSON lists.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    holidays = models.JSONField("放假日期", default=list)
    extra_workdays = models.JSONField("调休上班日期", default=list)
    holiday_names = models.JSONField("节日名称", default=dict, blank=True)
    source_note = models.CharField("来源说明", max_length=200, blank=True)
    notice_text = models.TextField("通知原文", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "节假日安排（管理员录入）"
        verbose_name_plural = "节假日安排（管理员录入）"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"
