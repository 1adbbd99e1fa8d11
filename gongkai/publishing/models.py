"""Tables of proactive disclosure: the catalogue, publications (with revisions,
events and attachments), the registers behind table 二, and the channel outbox."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone

from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.core.publication_flow import Status as FlowStatus
from gongkai.orgs.models import Organisation
from gongkai.publishing.reference import Art20, Channel, Genre


class CatalogueArea(models.Model):
    """领域 of an organisation's 政务公开事项标准目录."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="catalogue_areas"
    )
    code = models.CharField("领域编号", max_length=10)
    name = models.CharField("领域", max_length=60)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "公开领域"
        verbose_name_plural = "公开领域"
        ordering = ["organisation", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="catalogue_area_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CatalogueItem(models.Model):
    """事项 with the eight standard elements (docs/legal-notes.md §6.1)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="catalogue_items",
        verbose_name="机构",
    )
    area = models.ForeignKey(
        CatalogueArea,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name="公开领域",
    )
    order = models.PositiveSmallIntegerField("序号", default=0)
    item_l1 = models.CharField("一级事项", max_length=60)
    item_l2 = models.CharField("二级事项", max_length=100)
    content = models.TextField("公开内容（要素）")
    basis = models.TextField("公开依据")
    time_limit_text = models.CharField("公开时限", max_length=100)
    # Working days from formation/change; None: 及时/实时 (Art. 26's 20 applies).
    time_limit_days = models.PositiveSmallIntegerField(
        "公开时限（工作日）", null=True, blank=True
    )
    subjects = models.CharField("公开主体", max_length=200)
    channels = models.JSONField("公开渠道和载体", default=list)
    audience_public = models.BooleanField("公开对象：全社会", default=True)
    audience_specific = models.CharField(
        "公开对象：特定群众", max_length=100, blank=True
    )
    mode_proactive = models.BooleanField("公开方式：主动", default=True)
    mode_on_request = models.BooleanField("公开方式：依申请", default=False)
    level_county = models.BooleanField("公开层级：县级", default=False)
    level_township = models.BooleanField("公开层级：乡级", default=True)
    # Art. 53(2): how often the item must be refreshed (calendar days).
    update_period_days = models.PositiveSmallIntegerField(
        "更新周期（天）", null=True, blank=True
    )
    art20 = models.CharField(
        "条例第二十条类别", max_length=6, choices=Art20.choices, default=Art20.A20_15
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "公开事项"
        verbose_name_plural = "公开事项"
        ordering = ["organisation", "area__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "item_l1", "item_l2"],
                name="catalogue_item_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_l1} · {self.item_l2}"

    @property
    def channel_text(self) -> str:
        return "、".join(self.channels)


STATUS_CHOICES = [(s.value, s.label) for s in FlowStatus]


class Publication(models.Model):
    """One piece of proactively disclosed information (a 信息公开表头 + body)."""

    class Attribute(models.TextChoices):
        PROACTIVE = "proactive", "主动公开"
        ON_REQUEST = "on_request", "依申请公开"
        WITHHELD = "withheld", "不予公开"

    class Validity(models.TextChoices):
        NONE = "", "不适用"
        VALID = "valid", "有效"
        EXPIRED = "expired", "失效"
        REPEALED = "repealed", "废止"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name="机构",
    )
    index_no = models.CharField("索引号", max_length=60)
    year = models.PositiveSmallIntegerField("索引年份")
    serial = models.PositiveIntegerField("流水号", null=True, blank=True)
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("内容概述", max_length=200, blank=True)
    body = models.TextField("正文", blank=True)  # sanitised HTML (nh3)
    issuing_body = models.CharField("发布机构", max_length=100)
    formed_on = models.DateField("成文日期")
    document_number = models.CharField("文号", max_length=60, blank=True)
    topic = models.CharField("主题分类", max_length=60, blank=True)
    genre = models.CharField(
        "体裁", max_length=20, choices=Genre.choices, default=Genre.NOTICE
    )
    catalogue_item = models.ForeignKey(
        CatalogueItem,
        verbose_name="目录事项",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
    )
    art20 = models.CharField(
        "条例第二十条类别", max_length=6, choices=Art20.choices, blank=True
    )
    attribute = models.CharField(
        "公开属性",
        max_length=12,
        choices=Attribute.choices,
        default=Attribute.PROACTIVE,
    )
    withhold_reason = models.TextField("不予公开理由", blank=True)
    validity = models.CharField(
        "有效性", max_length=10, choices=Validity.choices, blank=True, default=""
    )
    valid_from = models.DateField("施行日期", null=True, blank=True)
    expired_on = models.DateField("失效日期", null=True, blank=True)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    # 政策解读: an interpretation points at the document it explains.
    interprets = models.ForeignKey(
        "self",
        verbose_name="解读的文件",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interpretations",
    )
    # The form of a 解读 (issue 21): text in the body, a 图解 as an image attachment,
    # or a link to the audio/video published elsewhere.
    interpretation_form = models.CharField(
        "解读形式",
        max_length=10,
        choices=[
            ("text", "文字解读"),
            ("graphic", "图解"),
            ("media", "音视频解读"),
        ],
        blank=True,
        default="",
    )
    media_url = models.URLField("音视频链接", max_length=500, blank=True)
    channels = models.JSONField("发布渠道", default=list)
    status = models.CharField(
        "状态", max_length=20, choices=STATUS_CHOICES, default=FlowStatus.DRAFT
    )
    due_on = models.DateField("应公开日期", null=True, blank=True)  # Art. 26
    # Art. 26 counts from the day the information was formed *or changed*: the date the
    # information itself last changed, recorded when a live item is updated.
    changed_on = models.DateField("信息变更日期", null=True, blank=True)
    go_live_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True)
    last_changed_at = models.DateTimeField("最近更新", null=True, blank=True)
    secrecy_checked = models.BooleanField("已通过保密审查", default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    review_note = models.TextField("审核意见", blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "主动公开信息"
        verbose_name_plural = "主动公开信息"
        ordering = ["-formed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "index_no"], name="publication_index_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "year", "serial"],
                name="publication_serial_unique",
            ),
        ]
        indexes = [
            # The public channels read the live items of one organisation.
            models.Index(
                fields=["organisation", "status", "published_at"],
                name="publication_live_idx",
            ),
            # publish_scheduled reads due scheduled items.
            models.Index(fields=["status", "go_live_at"], name="publication_sched_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.index_no} {self.title}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def is_normative(self) -> bool:
        return self.genre in (Genre.NORMATIVE, Genre.REGULATION)

    @property
    def disclosed_at(self) -> datetime | None:
        """When the current content reached the public: the update after a change of
        the information (Art. 26 "变更"), else the first publication."""
        if self.changed_on is not None and self.last_changed_at is not None:
            return self.last_changed_at
        return self.published_at

    @property
    def is_late(self) -> bool:
        """Art. 26: disclosed after the due date, or still undisclosed past it."""
        if self.attribute != self.Attribute.PROACTIVE or self.due_on is None:
            return False
        disclosed = self.disclosed_at
        if disclosed is not None:
            return timezone.localdate(disclosed) > self.due_on
        return self.status != FlowStatus.WITHDRAWN and (
            timezone.localdate() > self.due_on
        )

    @property
    def status_label(self) -> str:
        return FlowStatus(self.status).label


class PublicationRevision(models.Model):
    """A snapshot of the content before each change (revisions are kept)."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField("版本号")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", blank=True)
    data = models.JSONField("其他字段", default=dict)
    changes = models.JSONField("变更字段", default=dict)
    note = models.CharField("更新说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["publication", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"], name="publication_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} v{self.number}"


class PublicationEvent(models.Model):
    """One workflow step (actor, action, from, to, at, data)."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["publication", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.action}"


class Attachment(models.Model):
    """A file of a publication, stored privately under MEDIA_ROOT/publishing."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="publishing/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("文件类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # 一键遮蔽 (issue 25): the original of a masked copy is kept for the record but is
    # never public, never indexed and not checked again; the copy points at it.
    withheld = models.BooleanField("原件不公开", default=False)
    masked_from = models.ForeignKey(
        "self",
        verbose_name="遮蔽前的原件",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="masked_copies",
    )

    class Meta:
        ordering = ["publication", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_public_part(self) -> bool:
        """Published with its item (a withheld original never is)."""
        return not self.withheld


class NormativeDocument(models.Model):
    """Register of 规章 and 行政规范性文件 (table 二, 第二十条第（一）项)."""

    class Kind(models.TextChoices):
        REGULATION = "regulation", "规章"
        NORMATIVE = "normative", "行政规范性文件"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="normative_documents",
        verbose_name="机构",
    )
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    title = models.CharField("文件名称", max_length=200)
    document_number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("制发日期")
    expired_on = models.DateField("失效日期", null=True, blank=True)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    publication = models.ForeignKey(
        Publication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="register_entries",
        verbose_name="对应的公开信息",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "规范性文件登记"
        verbose_name_plural = "规范性文件登记"
        ordering = ["organisation", "-issued_on"]

    def __str__(self) -> str:
        return self.title

    def in_force_on(self, day: date) -> bool:
        ended = [d for d in (self.expired_on, self.repealed_on) if d is not None]
        return self.issued_on <= day and all(d > day for d in ended)


class EnforcementDecision(models.Model):
    """Register of 行政许可/处罚/强制 decisions (table 二, 第（五）（六）项)."""

    class Kind(models.TextChoices):
        LICENSE = "license", "行政许可"
        PENALTY = "penalty", "行政处罚"
        COERCION = "coercion", "行政强制"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="enforcement_decisions",
        verbose_name="机构",
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    decided_on = models.DateField("决定日期")
    document_number = models.CharField("决定文号", max_length=60)
    party = models.CharField("当事人", max_length=100, blank=True)
    summary = models.CharField("事由", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政执法决定"
        verbose_name_plural = "行政执法决定"
        ordering = ["organisation", "-decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "document_number"],
                name="enforcement_decision_number_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_number}"


class FeeRecord(models.Model):
    """行政事业性收费 collected (万元, 4 decimals = 1 元; table 二, 第（八）项)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="fee_records",
        verbose_name="机构",
    )
    item = models.CharField("收费项目", max_length=100)
    basis = models.CharField("收费依据", max_length=200, blank=True)
    collected_on = models.DateField("收费日期")
    amount_wan = models.DecimalField("金额（万元）", max_digits=14, decimal_places=4)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政事业性收费"
        verbose_name_plural = "行政事业性收费"
        ordering = ["organisation", "-collected_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_wan__gte=0), name="fee_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.amount_wan}"


class ChannelDelivery(models.Model):
    """Outbox row: one publication on one channel (ready → sent | failed)."""

    class State(models.TextChoices):
        READY = "ready", "待发送"
        SENT = "sent", "已送达"
        FAILED = "failed", "发送失败"
        # After a withdrawal: the copy on the channel must come down (WeChat via its
        # API, the notice board by a person), then nothing is left there.
        RETRACT = "retract", "待撤下"
        WITHDRAWN = "withdrawn", "已撤下"

    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name="公开信息",
    )
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    status = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.READY
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    external_id = models.CharField("渠道编号", max_length=100, blank=True)
    # The previous version's copy (WeChat publish_id), taken down once the new one is up.
    superseded_id = models.CharField("待撤下的旧版本", max_length=100, blank=True)
    revision = models.PositiveIntegerField("对应版本", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "渠道发送"
        verbose_name_plural = "渠道发送"
        ordering = ["publication", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "channel"], name="delivery_unique_channel"
            )
        ]
        indexes = [
            # send_channel_outbox drains rows not yet sent.
            models.Index(
                fields=["status", "next_attempt_at"],
                name="delivery_pending_idx",
                condition=~models.Q(status="sent"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication}（{self.get_channel_display()}：{self.get_status_display()}）"


def next_update_due(last: date | None, period_days: int | None) -> date | None:
    """Art. 53(2): when an item with refresh period ``period_days`` is next due."""
    if last is None or period_days is None:
        return None
    return last + timedelta(days=period_days)


def late_publication_q(today: date, prefix: str = "") -> models.Q:
    """The database form of ``Publication.is_late`` (for 主动公开 items with a due date):
    disclosed after the due date, or not yet published, not withdrawn and past it.
    ``prefix`` reaches the publications through a relation (``"publications__"`` from
    a catalogue item)."""
    p = prefix
    first_late = models.Q(
        **{
            f"{p}changed_on__isnull": True,
            f"{p}published_at__date__gt": F(f"{p}due_on"),
        }
    )
    update_late = models.Q(
        **{
            f"{p}changed_on__isnull": False,
            f"{p}last_changed_at__date__gt": F(f"{p}due_on"),
        }
    )
    pending_late = (
        models.Q(**{f"{p}published_at__isnull": True})
        & models.Q(**{f"{p}due_on__lt": today})
        & ~models.Q(**{f"{p}status": FlowStatus.WITHDRAWN})
    )
    return first_late | update_late | pending_late


def published_in_year_q(year: int) -> models.Q:
    """Published on a local date of ``year``, as a range on the timestamp itself so an
    index on ``published_at`` serves it (``published_at__year`` casts every row)."""
    local = timezone.get_current_timezone()
    start = datetime(year, 1, 1, tzinfo=local)
    end = datetime(year + 1, 1, 1, tzinfo=local)
    return models.Q(published_at__gte=start, published_at__lt=end)
