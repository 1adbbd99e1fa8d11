"""Tables of the personal-information check: an organisation's rules, the legal basis
recorded for disclosing one finding, and the scan of published items.

No table here holds a found value in clear: a finding is identified by a keyed
fingerprint (HMAC) and shown by its mask; the value itself stays only in the
publication (or its kept original)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.core.pii import Kind, NameMask
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import Publication

KIND_CHOICES = [(k.value, k.label) for k in Kind]
NAME_MASK_CHOICES = [(m.value, m.label) for m in NameMask]


def default_kinds() -> list[str]:
    return [k.value for k in Kind if k is not Kind.UNREADABLE]


class PrivacyRules(models.Model):
    """What one organisation's check looks for and how it masks (defaults: core)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="privacy_rules"
    )
    kinds = models.JSONField("检查的内容", default=default_kinds)
    name_mask = models.CharField(
        "姓名遮蔽方式",
        max_length=20,
        choices=NAME_MASK_CHOICES,
        default=NameMask.SURNAME_MOU.value,
    )
    id_keep = models.PositiveSmallIntegerField(
        "证件号、银行卡号两端保留位数", default=4
    )
    public_values = models.TextField(
        "本机关公开的联系方式（不作为个人信息）",
        blank=True,
        help_text="每行一个：咨询电话、办公邮箱、办公地址等。",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "个人信息检查规则"
        verbose_name_plural = "个人信息检查规则"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id_keep__lte=6), name="privacy_id_keep_at_most_6"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} 个人信息检查规则"


class PiiDisclosure(models.Model):
    """The reviewer's decision to disclose one finding, with its legal basis (e.g. a
    name in a 公示 required by law), or to publish a file the check could not read."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="pii_disclosures"
    )
    location = models.CharField("位置", max_length=40)  # title | body | attachment:<pk>
    kind = models.CharField("类别", max_length=20, choices=KIND_CHOICES)
    fingerprint = models.CharField(max_length=64)
    masked = models.CharField("内容（遮蔽后）", max_length=200)
    where = models.CharField("具体位置", max_length=200, blank=True)
    basis = models.TextField("公开的法律依据")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "个人信息公开依据"
        verbose_name_plural = "个人信息公开依据"
        ordering = ["publication", "decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "location", "fingerprint"],
                name="pii_disclosure_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.kind} {self.masked}"


class PiiScan(models.Model):
    """One run of the scan of live items (of a body, or of a body and those below)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pii_scans"
    )
    below = models.BooleanField("含下级单位", default=False)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    items = models.PositiveIntegerField("检查的信息条数", default=0)
    attachments = models.PositiveIntegerField("检查的附件数", default=0)
    findings = models.PositiveIntegerField("发现的个人信息", default=0)
    unreadable = models.PositiveIntegerField("无法读取的附件", default=0)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "已公开信息个人信息扫描"
        verbose_name_plural = "已公开信息个人信息扫描"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.started_at:%Y-%m-%d %H:%M}"


class PiiScanFinding(models.Model):
    """A finding in a live item, from the latest scan of that item."""

    # None: the item was re-checked on its own (after masking), not by a scan run.
    scan = models.ForeignKey(
        PiiScan, on_delete=models.SET_NULL, null=True, blank=True, related_name="rows"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+"
    )
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="pii_scan_findings"
    )
    location = models.CharField("位置", max_length=40)
    location_label = models.CharField("位置说明", max_length=200)
    where = models.CharField("具体位置", max_length=200, blank=True)
    kind = models.CharField("类别", max_length=20, choices=KIND_CHOICES)
    masked = models.CharField("内容（遮蔽后）", max_length=200)

    class Meta:
        verbose_name = "已公开信息中的个人信息"
        verbose_name_plural = "已公开信息中的个人信息"
        ordering = ["organisation", "publication", "pk"]
        indexes = [
            models.Index(fields=["organisation", "kind"], name="pii_finding_org_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.kind} {self.masked}"
