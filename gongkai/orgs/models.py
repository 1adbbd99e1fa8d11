from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from gongkai.core.catalogue_templates import default_template_key, template_choices
from gongkai.core.identifiers import IdentifierError, validate_credit_code

# One path segment per level; 8 hex digits (4·10^9 ids) keep paths sortable
# and prefix-searchable: the subtree of X is ``path LIKE X.path || '%'``.
PATH_SEGMENT_WIDTH = 8


def path_prefix_q(path: str, field: str = "path") -> models.Q:
    """Rows whose ``field`` (a materialised path) starts with ``path``: the subtree.

    Written as a range, not ``startswith``, so the path index serves it on SQLite
    too (LIKE is case-insensitive there and cannot use the index). Paths hold hex
    digits and dots only, all of which sort below "~".
    """
    return models.Q(**{f"{field}__gte": path, f"{field}__lt": path + "~"})


def credit_code_validator(value: str) -> None:
    try:
        validate_credit_code(value)
    except IdentifierError as exc:
        raise ValidationError(str(exc)) from exc


# Kinds that are not 行政机关 and so not disclosure bodies (条例第二条、第十条): a
# 社区居民委员会 or 村民委员会 is a self-governing organisation, where the body's
# information is posted and where applications to the body can be handed in.
NOT_BODY_KINDS = frozenset({"community", "village"})


def kind_is_disclosure_body(kind: str) -> bool:
    """The default of ``Organisation.is_disclosure_body`` for an organisation of ``kind``."""
    return kind not in NOT_BODY_KINDS


class Organisation(models.Model):
    """A government body or unit in the tree (省/市/区 → 部门、街道/乡镇 → 社区/村).

    Subtrees are read with the materialised ``path`` (indexed prefix search),
    which stays fast at 10^4 organisations and more.

    ``is_disclosure_body``: whether it discloses information and answers applications
    in its own name (a 行政机关, 条例第十条). Unless given, it follows the kind: a 社区
    or 村 is not; an application handed in there is its nearest body's (``disclosure_body``).
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", "省级人民政府"
        CITY = "city", "市级人民政府"
        DISTRICT = "district", "县（区）级人民政府"
        DEPARTMENT = "department", "政府部门"
        SUBDISTRICT = "subdistrict", "街道办事处"
        TOWNSHIP = "township", "乡镇人民政府"
        COMMUNITY = "community", "社区（居委会）"
        VILLAGE = "village", "村（村委会）"
        OTHER = "other", "其他机构"

    name = models.CharField("机构全称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("机构类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        "树路径", max_length=255, db_index=True, editable=False, default=""
    )
    depth = models.PositiveSmallIntegerField("层级", editable=False, default=0)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[credit_code_validator],
    )
    division_code = models.CharField("行政区划代码", max_length=12, blank=True)
    # The disclosure office (政府信息公开工作机构): the 指南 publishes these.
    office_name = models.CharField("信息公开工作机构", max_length=100, blank=True)
    office_address = models.CharField("办公地址", max_length=200, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    office_phone = models.CharField("联系电话", max_length=50, blank=True)
    office_email = models.EmailField("电子邮箱", blank=True)
    office_postcode = models.CharField("邮政编码", max_length=6, blank=True)
    is_active = models.BooleanField("启用", default=True)
    is_disclosure_body = models.BooleanField(
        "政府信息公开主体",
        default=True,
        help_text="以本机关名义受理申请、出具文书（行政机关）。社区居委会、村委会不是："
        "在其收到的申请由上级街道办事处、乡镇人民政府受理。",
    )
    # The standard catalogue the body follows (a file in
    # gongkai/core/catalogue_templates/data/); empty: the default for its kind.
    catalogue_template = models.CharField(
        "标准目录模板",
        max_length=40,
        blank=True,
        choices=template_choices,
        help_text="本机构的政务公开事项标准目录所依据的模板；留空则按机构类型选择。"
        "载入后每个事项仍可逐项修改。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="org_credit_code_unique",
            ),
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Built by keyword (services, bulk loads) without saying: follow the kind.
        if not args and "kind" in kwargs and "is_disclosure_body" not in kwargs:
            kwargs["is_disclosure_body"] = kind_is_disclosure_body(kwargs["kind"])
        super().__init__(*args, **kwargs)

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def tree_label(self) -> str:
        """The name indented by depth (full-width spaces), for tree-shaped menus."""
        return "　" * self.depth + self.name

    @property
    def catalogue_template_key(self) -> str:
        """The template this body follows: its own choice, else its kind's default."""
        return self.catalogue_template or default_template_key(self.kind)

    def ancestor_ids(self) -> list[int]:
        """Ids on the path from the root down to (and including) this organisation."""
        return [int(seg, 16) for seg in self.path.split(".") if seg]

    def disclosure_body(self) -> Organisation | None:
        """Whose an application handed in here is: this organisation if it is a
        disclosure body, else its nearest ancestor that is (None if there is none)."""
        if self.is_disclosure_body:
            return self
        return (
            Organisation.objects.filter(
                pk__in=self.ancestor_ids(), is_disclosure_body=True
            )
            .order_by("-depth")
            .first()
        )


class Role(models.TextChoices):
    OFFICER = "officer", "政务公开专员"
    LIAISON = "liaison", "社区联络员"
    HEAD = "head", "负责人"
    LEADER = "leader", "分管领导"
    SUPERVISOR = "supervisor", "督查员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


class Membership(models.Model):
    """A user holds a role in an organisation; every permission derives from these."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="机构",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    created_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "岗位授权"
        verbose_name_plural = "岗位授权"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation.label} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A bearer token another system (an OA 公文系统) uses for one organisation.

    Only the SHA-256 of the secret is stored; the token is shown once, when made.
    The token acts through its own service account (no password, cannot sign in)
    holding a 社区联络员-reach membership (view and edit of this organisation only),
    so every scoped query and every audit row names the token, never a person.
    """

    class Scope(models.TextChoices):
        CATALOGUE_READ = "catalogue:read", "读取公开目录"
        DRAFT_CREATE = "publications:draft", "新建信息草稿（含公开属性）"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="机构",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("用途", max_length=60)
    prefix = models.CharField("令牌前缀", max_length=16, unique=True)
    digest = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    scopes = models.JSONField("权限范围", default=list)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="令牌账号",
        on_delete=models.PROTECT,
        related_name="api_token",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["organisation", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def scope_labels(self) -> str:
        labels = dict(self.Scope.choices)
        return "、".join(labels.get(s, "未知范围") for s in self.scopes)
