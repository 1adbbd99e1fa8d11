from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, router, transaction

from gongkai.core import letters
from gongkai.core.identifiers import IdDocumentType
from gongkai.core.inforequest_flow import (
    OPEN_STATUSES,
    ApplicantType,
    IntakeChannel,
    Outcome,
    Status,
)
from gongkai.rawsql import as_date, fetch_row
from gongkai.security.fields import EncryptedTextField


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]  # type: ignore[attr-defined]


# An application's place in the per-year tallies, and the fields whose saving can move
# it (or change what it counts as).
TALLY_PLACE = ("organisation_id", "received_on", "concluded_on", "status", "outcome")
TALLIED_FIELDS = frozenset(
    {
        "organisation",
        "organisation_id",
        "received_on",
        "concluded_on",
        "status",
        "outcome",
    }
)


# Marks a save that touched no tallied field (the receiver has nothing to do).
NOT_TALLIED = object()


def tally_place_of(
    pk: Any, using: str, *, lock: bool = False
) -> tuple[Any, ...] | None:
    """The TALLY_PLACE columns of one application's row (None if it has none), locked
    until the transaction ends if asked. One indexed read on every tallied save, so
    written as SQL (``gongkai.rawsql``). The TALLY_PLACE names are the columns' names
    (no db_column on these fields)."""
    row = fetch_row(using, InfoRequest, TALLY_PLACE, ["id"], [pk], lock=lock)
    if row is None:
        return None
    organisation_id, received_on, concluded_on, status, outcome = row
    return (
        organisation_id,
        as_date(received_on),
        as_date(concluded_on),
        status,
        outcome,
    )


class InfoRequest(models.Model):
    """An application for government information (政府信息公开申请, 条例第二十七条起).

    Status and due date are stored; "overdue" is computed on read from the due date.
    Identity number, phone, e-mail and address are encrypted at rest.
    """

    class Form(models.TextChoices):
        PAPER = "paper", "纸质"
        ELECTRONIC = "electronic", "电子数据"
        OTHER = "other", "其他"

    class Delivery(models.TextChoices):
        POST = "post", "邮寄"
        EMAIL = "email", "电子邮件"
        FAX = "fax", "传真"
        PICKUP = "pickup", "自行领取"
        ONLINE = "online", "网上获取"

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="受理机关",
        on_delete=models.PROTECT,
        related_name="requests",
    )
    # Where it was handed in when that is not the body itself: a 社区居民委员会 or
    # 村民委员会 passes on what it receives to its 街道/乡镇 (条例第二十七条).
    handed_in_at = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="收件地点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handed_in_requests",
    )
    year = models.PositiveSmallIntegerField("编号年份")
    serial = models.PositiveIntegerField("年度序号")
    tracking_number = models.CharField("申请编号", max_length=40, unique=True)
    query_code_digest = models.CharField(
        "查询码摘要", max_length=64, blank=True, editable=False
    )

    channel = models.CharField(
        "申请方式", max_length=20, choices=_choices(IntakeChannel)
    )
    submitted_on = models.DateField("提交日期")
    received_on = models.DateField("收到申请之日")
    applicant_type = models.CharField(
        "申请人类型", max_length=20, choices=_choices(ApplicantType)
    )
    applicant_name = models.CharField("申请人姓名/名称", max_length=100)
    id_type = models.CharField(
        "身份证明类型", max_length=30, choices=_choices(IdDocumentType)
    )
    id_number = EncryptedTextField("证件号码")
    id_digest = models.CharField(
        "证件号码摘要", max_length=64, db_index=True, editable=False, blank=True
    )
    # Keyed digests of the normalised e-mail and mobile number (core.applicant_contact):
    # the applicant signs in to 我的申请 with either and sees every case that gave it.
    email_digest = models.CharField(
        "电子邮箱摘要", max_length=64, db_index=True, editable=False, blank=True
    )
    phone_digest = models.CharField(
        "手机号码摘要", max_length=64, db_index=True, editable=False, blank=True
    )
    legal_representative = models.CharField(
        "法定代表人/负责人", max_length=50, blank=True
    )
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = EncryptedTextField("联系电话", blank=True)
    email = EncryptedTextField("电子邮箱", blank=True)
    address = EncryptedTextField("通信地址", blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    description = models.TextField(
        "所需政府信息的名称、文号或者便于查询的其他特征性描述"
    )
    form = models.CharField(
        "指定提供形式", max_length=20, choices=Form.choices, default=Form.PAPER
    )
    delivery = models.CharField(
        "获取信息方式", max_length=20, choices=Delivery.choices, default=Delivery.POST
    )

    status = models.CharField(
        "办理状态", max_length=30, choices=_choices(Status), default=Status.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(
        "办理结果", max_length=40, choices=_choices(Outcome), blank=True
    )
    outcome_note = models.TextField("理由/说明", blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限为临时计算", default=False)
    extended_days = models.PositiveSmallIntegerField("已延长工作日", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "serial"], name="request_serial_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(concluded_on=None) | ~models.Q(outcome=""),
                name="concluded_request_has_outcome",
            ),
        ]
        indexes = [
            # The officer's urgency list and the deadline recompute read open cases by due date.
            models.Index(
                fields=["organisation", "status", "due_on"],
                name="request_org_status_due",
            ),
            # Table 三 is a GROUP BY over concluded cases of a year.
            models.Index(
                fields=["organisation", "concluded_on"], name="request_org_concluded"
            ),
            # The supervision dashboard counts open, overdue and due-soon cases over a
            # whole subtree: a partial index keeps that to the few open rows.
            models.Index(
                fields=["due_on"],
                condition=models.Q(status__in=list(OPEN_STATUSES)),
                name="request_open_due",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not TALLIED_FIELDS & set(update_fields):
            self._tally_before = NOT_TALLIED
            super().save(*args, **kwargs)
            return
        # The post_save receiver of ``tallies`` (connected in the app's ready()) adds
        # the difference between where the application counted before this save and
        # where it counts after. "Before" is read here from the row, locked, in the
        # same transaction as the write: never from a possibly stale instance. (No
        # savepoint: an error marks an enclosing transaction for rollback, as Django's
        # own save does.)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            self._tally_before = self.tally_place_in_db(using)
            super().save(*args, **kwargs)

    def tally_place_in_db(self, using: str) -> tuple[Any, ...] | None:
        """Where this application counts as its row says, the row locked until the
        transaction ends (None when it has no row yet)."""
        if self.pk is None:
            return None
        return tally_place_of(self.pk, using, lock=True)

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_open(self) -> bool:
        return not self.status_enum.is_concluded


class CaseEvent(models.Model):
    """One thing that happened to an application (append-only history and ledger input)."""

    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("记录时间", auto_now_add=True)
    on = models.DateField("发生日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("操作", max_length=40)
    from_status = models.CharField("原状态", max_length=30, blank=True)
    to_status = models.CharField("新状态", max_length=30, blank=True)
    # ``ledger``: the core.workdays event (documented JSON) this action adds, if any.
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.request} {self.action} {self.on}"


class DeadlineChange(models.Model):
    """A due date moved by a recompute (calendar change), with why — shown to handlers."""

    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="deadline_changes"
    )
    at = models.DateTimeField(auto_now_add=True)
    old_due = models.DateField(null=True)
    new_due = models.DateField(null=True)
    reason = models.CharField(max_length=200)
    acknowledged = models.BooleanField(default=False)

    class Meta:
        verbose_name = "期限变更"
        verbose_name_plural = "期限变更"

    def __str__(self) -> str:
        return f"{self.request}: {self.old_due} → {self.new_due}"


class LetterSequence(models.Model):
    """The 文号 counter of an organisation's disclosure letters in a year."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="letter_seq_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class RequestSequence(models.Model):
    """The tracking-number counter of an organisation in a year (row-locked on use)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="request_seq_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


class Letter(models.Model):
    """An outgoing letter or notice of an application, with its delivery (送达) record."""

    class Status(models.TextChoices):
        READY = "ready", "待送达"
        SENT = "sent", "已送达"
        FAILED = "failed", "送达失败"

    request = models.ForeignKey(
        InfoRequest,
        on_delete=models.CASCADE,
        related_name="letters",
        verbose_name="所属申请",
    )
    kind = models.CharField("文书类型", max_length=40)
    title = models.CharField("标题", max_length=100)
    number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("出具日期")
    content = models.JSONField("内容", default=dict)
    status = models.CharField(
        "送达状态", max_length=10, choices=Status.choices, default=Status.READY
    )
    delivery_method = models.CharField("送达方式", max_length=30, blank=True)
    delivery_tracking = models.CharField("邮件单号", max_length=60, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class LetterSettings(models.Model):
    """Per-organisation settings of its disclosure letters (文号 prefix, remedies).

    Without a row, the prefix is derived from the short name (洛浦街道 → 洛街公开)
    and the 行政复议机关 is the parent organisation (see ``inforequests.letters``).
    """

    organisation = models.OneToOneField(
        "orgs.Organisation",
        verbose_name="机构",
        on_delete=models.CASCADE,
        related_name="letter_settings",
    )
    number_prefix = models.CharField(
        "发文机关代字", max_length=20, blank=True, help_text="例如：洛街公开"
    )
    review_body = models.CharField(
        "行政复议机关",
        max_length=100,
        blank=True,
        help_text="例如：洛阳市老城区人民政府",
    )
    contact = models.CharField(
        "文书联系方式",
        max_length=100,
        blank=True,
        help_text="例如：联系人：王某，电话：0379-63900000",
    )

    class Meta:
        verbose_name = "文书设置"
        verbose_name_plural = "文书设置"

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.number_prefix}"


class LetterWording(models.Model):
    """An organisation's own wording of one letter (``core.letters`` template key).

    Checked by ``core.letters.LetterTemplate`` when saved: only the fields of that
    letter may be used. The remedies paragraph is never part of the wording.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="机构",
        on_delete=models.CASCADE,
        related_name="letter_wordings",
    )
    key = models.CharField("文书", max_length=60)
    title = models.CharField("标题", max_length=100, blank=True)
    paragraphs = models.TextField(
        "正文段落", blank=True, help_text="每行一段；字段写成 {字段名}"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "文书措辞"
        verbose_name_plural = "文书措辞"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="letter_wording_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}·{self.letter_label}"

    @property
    def letter_label(self) -> str:
        """The letter's name as people pick it (never the template key)."""
        known = self.key in letters.DEFAULT_TEMPLATES
        return letters.template_label(self.key) if known else "（已停用的文书）"


class RequestAttachment(models.Model):
    """A file the applicant handed in with the application (条例第二十九条: 身份证明 etc.).

    Stored privately under a random name; served only through a permission check.
    """

    # Encrypted at rest (gongkai/security/files.py); re-encrypted by rotate_field_keys.
    encrypted_files = ("file",)

    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="requests/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("文件类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "申请附件"
        verbose_name_plural = "申请附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class RequestTally(models.Model):
    """One organisation's applications in one year, counted for the supervision dashboard.

    Kept current by ``gongkai.inforequests.tallies`` whenever an application is saved or
    deleted (the save's difference added to its one or two rows), rebuilt after a
    calendar change, nightly and by ``manage.py rebuild_request_tallies``. Summing these
    rows over a subtree costs the same however many applications lie beneath it.
    """

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    # Applications received in the year (收到申请之日), and their current status.
    received = models.PositiveIntegerField(default=0)
    statuses = models.JSONField(default=dict)
    # Applications concluded in the year: outcome and working days taken.
    concluded = models.PositiveIntegerField(default=0)
    outcomes = models.JSONField(default=dict)
    handling_days = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "申请年度统计"
        verbose_name_plural = "申请年度统计"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="request_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}"


class Transfer(models.Model):
    """转办: the sending body hands a case to another disclosure body on the platform,
    which accepts (a new case there, received on the day of acceptance, 条例第三十一条)
    or declines. On acceptance the sender's case is decided as 本机关不负责公开
    (第三十六条第（五）项), the 告知 naming the receiving body."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待接收"
        ACCEPTED = "accepted", "已接收"
        DECLINED = "declined", "已拒绝"

    from_request = models.ForeignKey(
        InfoRequest,
        verbose_name="转出申请",
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="接收机关",
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_request = models.OneToOneField(
        InfoRequest,
        verbose_name="接收后的申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfer_in",
    )
    reason = models.TextField("转办理由")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_on = models.DateField("提出日期")
    proposed_at = models.DateTimeField("记录时间", auto_now_add=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提出人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField("接收或拒绝日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.TextField("拒绝理由", blank=True)

    class Meta:
        verbose_name = "转办"
        verbose_name_plural = "转办"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_request"],
                condition=models.Q(status="proposed"),
                name="one_pending_transfer_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_request} → {self.to_organisation}"


class Assistance(models.Model):
    """协办: another body on the platform contributes part of the answer; the request,
    its reply and the reply's date are recorded on the case (no status change)."""

    request = models.ForeignKey(
        InfoRequest,
        verbose_name="申请",
        on_delete=models.CASCADE,
        related_name="assistances",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="协办机关",
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_on = models.DateField("请求日期")
    question = models.TextField("协办事项")
    due_on = models.DateField("请求回复期限", null=True, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="请求人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField("协办回复", blank=True)
    answered_on = models.DateField("回复日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "协办"
        verbose_name_plural = "协办"
        ordering = ["asked_on", "id"]

    def __str__(self) -> str:
        return f"{self.request} 协办 {self.organisation}"


class ReleasedFile(models.Model):
    """A file disclosed to the applicant with the reply (公开的政府信息), served online
    only through a download token (电子送达, 条例第四十条)."""

    # Encrypted at rest (gongkai/security/files.py); re-encrypted by rotate_field_keys.
    encrypted_files = ("file",)

    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="released_files"
    )
    file = models.FileField(upload_to="released/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("文件类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公开文件"
        verbose_name_plural = "公开文件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class DownloadToken(models.Model):
    """One single-use, expiring download of a letter or released file, handed to
    whoever proved the right to the case (the number and query code today; a
    signed-in applicant later: ``holder``). Only the SHA-256 of the random token is
    stored, so the table cannot be used to forge links."""

    class Holder(models.TextChoices):
        QUERY_CODE = "query_code", "申请编号和查询码"
        ACCOUNT = "account", "申请人账户"

    digest = models.CharField(max_length=64, unique=True)
    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="download_tokens"
    )
    letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    released_file = models.ForeignKey(
        ReleasedFile, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    holder = models.CharField(
        max_length=20, choices=Holder.choices, default=Holder.QUERY_CODE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "下载凭证"
        verbose_name_plural = "下载凭证"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(letter__isnull=False)
                | models.Q(released_file__isnull=False),
                name="download_token_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.letter_id or self.released_file_id}"


class ApplicantNotice(models.Model):
    """A message to the applicant about a step of the case (the notification outbox).

    Written in the step's transaction; sent later by ``send_applicant_notices`` (or
    the task worker) with retries, so a mail server or SMS gateway that is down never
    blocks the officer and loses nothing. The address is read from the case (where it
    is encrypted) when sending; the text names no personal data."""

    class Channel(models.TextChoices):
        EMAIL = "email", "电子邮件"
        SMS = "sms", "短信"

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="notices"
    )
    event = models.CharField("事由", max_length=40)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    subject = models.CharField("主题", max_length=200, blank=True)
    body = models.TextField("正文")
    # A letter sent along as PDF with the e-mail (电子送达 of the reply).
    letter = models.ForeignKey(
        Letter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_try_at = models.DateTimeField("下次尝试")
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "申请人通知"
        verbose_name_plural = "申请人通知"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["state", "next_try_at"], name="notice_due"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.event} {self.channel}"


class RedactionDocument(models.Model):
    """A document to be disclosed in part (部分公开, 条例第三十七条): the original as the
    officer uploaded it (kept access-controlled, never public) and, once produced, the
    redacted copy from which the withheld content is gone (``core.redact_pdf`` /
    ``core.redact_docx``)."""

    # Encrypted at rest (gongkai/security/files.py); re-encrypted by rotate_field_keys.
    encrypted_files = ("original", "output")

    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="redactions"
    )
    original = models.FileField("原件", upload_to="redaction/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("文件类型", max_length=10)  # pdf / docx
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    output = models.FileField(
        "区分处理后的文件", upload_to="redaction/%Y/%m/", blank=True
    )
    output_sha256 = models.CharField(max_length=64, blank=True)
    produced_at = models.DateTimeField("生成时间", null=True, blank=True)
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "区分处理文件"
        verbose_name_plural = "区分处理文件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def output_name(self) -> str:
        stem = self.original_name.rsplit(".", 1)[0]
        return f"{stem}（区分处理）.{self.kind}"


class RedactionMark(models.Model):
    """One thing the officer withholds from a document, with its legal ground.

    ``phrase`` is the withheld text itself, encrypted at rest and never shown outside
    the marking screen; ``description`` says what and where without the content
    ("第2页 区域1", "正文第3段（11个字）") and is what the letter and the case file show.
    """

    class Kind(models.TextChoices):
        TEXT = "text", "文字"
        REGION = "region", "区域"

    document = models.ForeignKey(
        RedactionDocument, on_delete=models.CASCADE, related_name="marks"
    )
    kind = models.CharField("方式", max_length=10, choices=Kind.choices)
    phrase = EncryptedTextField("删除的文字", blank=True)
    occurrence = models.PositiveIntegerField("第几处", null=True, blank=True)
    page = models.PositiveIntegerField("页码", null=True, blank=True)
    x0 = models.FloatField(null=True, blank=True)
    y0 = models.FloatField(null=True, blank=True)
    x1 = models.FloatField(null=True, blank=True)
    y1 = models.FloatField(null=True, blank=True)
    ground = models.CharField("依据", max_length=30)
    other_basis = models.CharField("其他法律法规", max_length=200, blank=True)
    description = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "区分处理标注"
        verbose_name_plural = "区分处理标注"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.description or self.get_kind_display()
