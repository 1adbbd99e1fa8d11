"""Tables of the self-inspection (issue 26): a province's wording dictionary, the
runs, the home-page probes, one summary row per body (what the dashboards read) and
the findings with their owner and state."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.orgs.models import Organisation
from gongkai.publishing.models import Publication


class WordingDictionary(models.Model):
    """Entries a province (or any body) adds to the national wording dictionary;
    they hold for the body and every body below it."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name="机构",
        on_delete=models.CASCADE,
        related_name="wording_dictionary",
    )
    entries = models.TextField(
        "词典条目",
        blank=True,
        help_text="每行一条：错误写法 => 正确写法 | 严重（不写“严重”为一般错别字）。"
        "可加入领导同志姓名、机关全称的常见误写。",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "表述错误词典"
        verbose_name_plural = "表述错误词典"

    def __str__(self) -> str:
        return f"{self.organisation} 表述错误词典"


class InspectionRun(models.Model):
    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", "定时自查"
        MANUAL = "manual", "手动自查"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="inspection_runs"
    )
    trigger = models.CharField(
        "方式", max_length=10, choices=Trigger.choices, default=Trigger.MANUAL
    )
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    bodies = models.PositiveIntegerField("检查的单位", default=0)
    items = models.PositiveIntegerField("检查的信息条数", default=0)
    links = models.PositiveIntegerField("检查的链接", default=0)
    broken_links = models.PositiveIntegerField("不可用链接", default=0)
    opened = models.PositiveIntegerField("新发现问题", default=0)
    confirmed_fixed = models.PositiveIntegerField("确认已整改", default=0)
    reopened = models.PositiveIntegerField("复查未通过", default=0)
    notes = models.JSONField("说明", default=list)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "自查记录"
        verbose_name_plural = "自查记录"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.started_at:%Y-%m-%d %H:%M}"


class HomeProbe(models.Model):
    """One visit to a body's 政府信息公开 home page by the scheduled probe job
    (``probe_home_pages``, at a fixed interval); 站点无法访问 is judged on the share of
    failed visits in its window, and only these visits count."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField("时间")
    ok = models.BooleanField("可以访问")
    message = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "首页访问记录"
        verbose_name_plural = "首页访问记录"
        ordering = ["organisation", "-at"]
        indexes = [models.Index(fields=["organisation", "at"], name="home_probe_idx")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.at:%Y-%m-%d %H:%M} {self.ok}"


class BodyStatus(models.Model):
    """The latest result of one body: what the dashboards and the report read
    (never the raw findings of a whole subtree)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="inspection_status"
    )
    run = models.ForeignKey(
        InspectionRun, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checked_at = models.DateTimeField("检查时间")
    passed = models.BooleanField("合格（无单项否决）")
    veto_failed = models.JSONField("未通过的单项否决指标", default=list)
    scored_failed = models.JSONField("未通过的扣分指标", default=list)
    indicators = models.JSONField("各指标结果", default=dict)
    columns = models.JSONField("栏目更新", default=list)
    items = models.PositiveIntegerField("已发布信息", default=0)
    links = models.PositiveIntegerField("检查的链接", default=0)
    broken_links = models.PositiveIntegerField("不可用链接", default=0)
    # When ``links``/``broken_links`` were counted: a run that does not check links
    # carries the last check's figures forward (错链断链 is judged on them).
    links_checked_at = models.DateTimeField("链接检查时间", null=True, blank=True)
    open_findings = models.PositiveIntegerField("待整改问题", default=0)
    next_overdue_on = models.DateField("最近的栏目逾期日", null=True, blank=True)

    class Meta:
        verbose_name = "单位自查结果"
        verbose_name_plural = "单位自查结果"

    def __str__(self) -> str:
        return f"{self.organisation} {'合格' if self.passed else '不合格'}"


class DailyStatus(models.Model):
    """A body's result as it stood at the end of a day (the day's last run): the
    quarterly report reads the last one up to the quarter's end, not today's."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("日期")
    checked_at = models.DateTimeField("检查时间")
    passed = models.BooleanField("合格（无单项否决）")
    veto_failed = models.JSONField("未通过的单项否决指标", default=list)
    scored_failed = models.JSONField("未通过的扣分指标", default=list)
    open_findings = models.PositiveIntegerField("待整改问题", default=0)
    open_by_indicator = models.JSONField("各指标待整改问题", default=dict)

    class Meta:
        verbose_name = "单位每日自查结果"
        verbose_name_plural = "单位每日自查结果"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day"], name="inspection_daily_unique"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.organisation_id} {self.day} {'合格' if self.passed else '不合格'}"
        )


class Finding(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "待整改"
        FIXED = "fixed", "已整改"
        ACCEPTED = "accepted", "已说明（不整改）"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="inspection_findings"
    )
    indicator = models.CharField("指标", max_length=40)
    subject = models.CharField("对象", max_length=120)  # stable key of what failed
    subject_label = models.CharField("问题对象", max_length=300)
    detail = models.TextField("问题说明")
    fix_url = models.CharField("整改入口", max_length=300, blank=True)
    publication = models.ForeignKey(
        Publication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    veto = models.BooleanField("单项否决", default=False)
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.OPEN
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="整改责任人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField("说明理由", blank=True)
    claimed_fixed_at = models.DateTimeField("报告已整改", null=True, blank=True)
    fixed_at = models.DateTimeField("确认已整改", null=True, blank=True)
    first_seen_at = models.DateTimeField("首次发现")
    last_seen_at = models.DateTimeField("最近发现")
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = "自查发现的问题"
        verbose_name_plural = "自查发现的问题"
        ordering = ["organisation", "-veto", "indicator", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator", "subject"],
                name="inspection_finding_unique",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "state"], name="finding_state_idx")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.indicator} {self.subject}"

    @property
    def awaiting_recheck(self) -> bool:
        """Reported fixed by its owner, not yet confirmed by a run."""
        return self.state == self.State.OPEN and self.claimed_fixed_at is not None
