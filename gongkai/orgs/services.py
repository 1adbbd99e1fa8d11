"""Writes to the organisation tree and memberships. Each is one transaction and
appends an audit row; bad input raises ValidationError with a Chinese message."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone

from gongkai.accounts.types import Actor, stored_user
from gongkai.audit.services import audit_record
from gongkai.core.catalogue_templates import template_choices
from gongkai.core.identifiers import IdentifierError, validate_credit_code
from gongkai.orgs.models import (
    PATH_SEGMENT_WIDTH,
    ApiToken,
    Membership,
    Organisation,
    Role,
)
from gongkai.orgs.permissions import Perm, can, forget_cached_permissions, require
from gongkai.orgs.signals import subtree_moved

ORG_FIELDS = (
    "name",
    "short_name",
    "kind",
    "credit_code",
    "division_code",
    "office_name",
    "office_address",
    "office_hours",
    "office_phone",
    "office_email",
    "office_postcode",
    "is_disclosure_body",
    "catalogue_template",
)


def _segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}x}."


def clean_credit_code(value: str) -> str:
    if not value or not value.strip():
        return ""
    try:
        return validate_credit_code(value)
    except IdentifierError as exc:
        raise ValidationError({"credit_code": str(exc)}) from exc


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise ValidationError(f"未知的机构字段：{', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    if "credit_code" in cleaned:
        cleaned["credit_code"] = clean_credit_code(cleaned["credit_code"])
    if "name" in cleaned and not str(cleaned["name"]).strip():
        raise ValidationError({"name": "机构全称不能为空。"})
    if "kind" in cleaned and cleaned["kind"] not in Organisation.Kind.values:
        raise ValidationError({"kind": f"机构类型“{cleaned['kind']}”无效。"})
    if "is_disclosure_body" in cleaned and not isinstance(
        cleaned["is_disclosure_body"], bool
    ):
        raise ValidationError({"is_disclosure_body": "请选择是否为政府信息公开主体。"})
    if cleaned.get("catalogue_template") and cleaned["catalogue_template"] not in (
        dict(template_choices())
    ):
        raise ValidationError(
            {
                "catalogue_template": f"没有名为“{cleaned['catalogue_template']}”的目录模板。"
            }
        )
    postcode = cleaned.get("office_postcode", "")
    if postcode and not (len(postcode) == 6 and postcode.isdigit()):
        raise ValidationError({"office_postcode": "邮政编码应为 6 位数字。"})
    return cleaned


def _check_unique_credit_code(code: str, exclude_pk: int | None = None) -> None:
    if not code:
        return
    clash = Organisation.objects.filter(credit_code=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"credit_code": f"统一社会信用代码 {code} 已被“{clash.first()}”使用。"}
        )


@transaction.atomic
def organisation_create(
    *, actor: Actor, parent: Organisation | None, **fields: Any
) -> Organisation:
    """Create an organisation under ``parent`` (None: a new root; system use only)."""
    if parent is not None and actor is not None:
        require(actor, Perm.MANAGE_ORGS, parent)
    cleaned = _clean_fields(fields)
    _check_unique_credit_code(cleaned.get("credit_code", ""))
    org = Organisation(parent=parent, **cleaned)
    org.full_clean(exclude=["path"])
    org.save()
    org.path = (parent.path if parent else "") + _segment(org.pk)
    org.depth = (parent.depth + 1) if parent else 0
    org.save(update_fields=["path", "depth"])
    audit_record(
        action="org.create", actor=actor, organisation=org, obj=org, details=cleaned
    )
    return org


@transaction.atomic
def organisation_update(
    *, actor: Actor, organisation: Organisation, **fields: Any
) -> Organisation:
    require(actor, Perm.MANAGE_ORGS, organisation)
    cleaned = _clean_fields(fields)
    _check_unique_credit_code(
        cleaned.get("credit_code", ""), exclude_pk=organisation.pk
    )
    before = {name: getattr(organisation, name) for name in cleaned}
    if cleaned.get("is_disclosure_body") is False and organisation.is_disclosure_body:
        check_can_stop_being_a_body(organisation)
    for name, value in cleaned.items():
        setattr(organisation, name, value)
    organisation.full_clean(exclude=["path", "parent"])
    organisation.save(update_fields=[*cleaned, "updated_at"])
    changes = {k: [before[k], v] for k, v in cleaned.items() if before[k] != v}
    audit_record(
        action="org.update",
        actor=actor,
        organisation=organisation,
        obj=organisation,
        details={"changes": changes},
    )
    return organisation


def check_can_stop_being_a_body(organisation: Organisation) -> None:
    """A point that is not a disclosure body hands applications to the body above it,
    and has no applications (nor letters, nor 文号) of its own."""
    above = Organisation.objects.filter(
        pk__in=organisation.ancestor_ids()[:-1], is_disclosure_body=True
    )
    if not above.exists():
        raise ValidationError(
            {
                "is_disclosure_body": f"“{organisation.label}”没有作为政府信息公开主体的上级机构，"
                "在其收到的申请将无处受理，不能设为非公开主体。"
            }
        )
    held = organisation.requests.count()
    if held:
        raise ValidationError(
            {
                "is_disclosure_body": f"“{organisation.label}”名下已有{held}件政府信息公开申请，"
                "不能设为非公开主体。"
            }
        )


@transaction.atomic
def organisation_move(
    *, actor: Actor, organisation: Organisation, new_parent: Organisation
) -> Organisation:
    """Move a subtree under ``new_parent``, rewriting every descendant's path."""
    require(actor, Perm.MANAGE_ORGS, organisation)
    require(actor, Perm.MANAGE_ORGS, new_parent)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if new_parent.path.startswith(organisation.path):
        raise ValidationError(
            {
                "parent": f"不能把“{organisation.label}”移到它自己或它的下级机构“{new_parent.label}”之下（会形成循环）。"
            }
        )
    old_path, old_depth = organisation.path, organisation.depth
    new_path = new_parent.path + _segment(organisation.pk)
    depth_shift = new_parent.depth + 1 - old_depth
    Organisation.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)),
        depth=F("depth") + depth_shift,
    )
    Organisation.objects.filter(pk=organisation.pk).update(parent=new_parent)
    organisation.refresh_from_db()
    subtree_moved.send(sender=Organisation, path=new_path, old_path=old_path)
    audit_record(
        action="org.move",
        actor=actor,
        organisation=organisation,
        obj=organisation,
        details={"from": old_path, "to": new_path},
    )
    return organisation


# 三员分立 (等保 2.0, 访问控制): the 系统管理员, 安全管理员 and 审计管理员 are three
# accounts held by three people, none of which holds any other role. Authorising
# them is the 安全管理员's work; the 系统管理员 manages organisations and accounts
# and grants (and revokes) the business roles only. This is the one place the rule
# lives: the admin's 岗位授权 form, its delete action and every service path ask it.
ADMIN_ROLES: frozenset[str] = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


def grant_perm(role: str) -> Perm:
    """The permission needed on the organisation to grant or revoke ``role``."""
    return Perm.MANAGE_SECURITY if role in ADMIN_ROLES else Perm.MANAGE_ORGS


def _admin_role_names() -> str:
    return "、".join(Role(r).label for r in Role.values if r in ADMIN_ROLES)


def check_membership_grant(
    *, actor: Actor, user: Any, organisation: Organisation, role: str
) -> None:
    """Refuse (ValidationError on ``role``, in Chinese naming the rule) a grant that
    breaks 三员分立; PermissionDenied for a business role outside the actor's reach."""
    if role not in Role.values:
        raise ValidationError({"role": f"角色“{role}”无效。"})
    label = Role(role).label
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise ValidationError({"user": "不能给自己授予角色，请由其他管理员办理。"})
    if actor is not None and role in ADMIN_ROLES:
        if not can(actor, Perm.MANAGE_SECURITY, organisation):
            raise ValidationError(
                {
                    "role": f"三员分立：{label}角色只能由安全管理员授予；"
                    "系统管理员只能授予业务角色。"
                }
            )
    elif actor is not None:
        require(actor, grant_perm(role), organisation)
    held = Membership.objects.filter(user=user)
    if role in ADMIN_ROLES:
        others = sorted(
            {
                Role(r).label
                for r in held.exclude(role=role).values_list("role", flat=True)
            }
        )
        if others:
            raise ValidationError(
                {
                    "role": f"三员分立：{_admin_role_names()}须各由专人担任，"
                    f"不兼任其他角色。{user} 已担任{'、'.join(others)}，"
                    f"不能再授予{label}。"
                }
            )
    else:
        admin = sorted(
            {
                Role(r).label
                for r in held.filter(role__in=ADMIN_ROLES).values_list(
                    "role", flat=True
                )
            }
        )
        if admin:
            raise ValidationError(
                {
                    "role": f"三员分立：{user} 已担任{'、'.join(admin)}，"
                    f"管理员账号不兼任业务角色，不能再授予{label}。"
                }
            )
    if held.filter(organisation=organisation, role=role).exists():
        raise ValidationError(
            f"{user} 已在“{organisation.label}”担任{label}，不能重复授权。"
        )


@transaction.atomic
def membership_grant(
    *, actor: Actor, user: Any, organisation: Organisation, role: str
) -> Membership:
    check_membership_grant(actor=actor, user=user, organisation=organisation, role=role)
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role
    )
    forget_cached_permissions(user)
    audit_record(
        action="membership.grant",
        actor=actor,
        organisation=organisation,
        obj=membership,
        details={"user": user.get_username(), "role": role},
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor: Actor, membership: Membership) -> None:
    require(actor, grant_perm(membership.role), membership.organisation)
    details = {"user": membership.user.get_username(), "role": membership.role}
    organisation = membership.organisation
    membership.delete()
    forget_cached_permissions(membership.user)
    audit_record(
        action="membership.revoke",
        actor=actor,
        organisation=organisation,
        details=details,
    )


@transaction.atomic
def organisation_close(*, actor: Actor, organisation: Organisation) -> Organisation:
    """Close (停用) a body: it stays in the records and the audit log, but nobody acts
    on it any more. Its active sub-bodies must be closed or moved first."""
    require(actor, Perm.MANAGE_ORGS, organisation)
    if organisation.depth == 0:
        raise ValidationError(
            {"is_active": f"“{organisation.label}”是最上级机构，不能停用。"}
        )
    children = Organisation.objects.filter(parent=organisation, is_active=True)
    if children.exists():
        names = "、".join(c.label for c in children[:3])
        raise ValidationError(
            {
                "is_active": f"“{organisation.label}”还有启用中的下级机构（{names}等），"
                "请先停用或移走它们。"
            }
        )
    Organisation.objects.filter(pk=organisation.pk).update(is_active=False)
    organisation.refresh_from_db()
    audit_record(
        action="org.close", actor=actor, organisation=organisation, obj=organisation
    )
    return organisation


@transaction.atomic
def organisation_reopen(*, actor: Actor, organisation: Organisation) -> Organisation:
    """Reopen a closed body. Closed bodies are outside everyone's reach, so this
    is checked on the parent."""
    parent = organisation.parent
    if parent is None or not parent.is_active:
        raise ValidationError({"is_active": "上级机构已停用，请先重新启用上级机构。"})
    require(actor, Perm.MANAGE_ORGS, parent)
    Organisation.objects.filter(pk=organisation.pk).update(is_active=True)
    organisation.refresh_from_db()
    audit_record(
        action="org.reopen", actor=actor, organisation=organisation, obj=organisation
    )
    return organisation


# --------------------------------------------------------------------------- API tokens

TOKEN_PREFIX = "gk_"  # noqa: S105 (a public marker, not a secret)
# Never echo a presented token: every refusal says the same thing.
TOKEN_REFUSED = "接口令牌无效、已过期或已被吊销。"  # noqa: S105
TOKEN_SCOPE_REFUSED = "该接口令牌无权调用此接口。"  # noqa: S105


class TokenRefused(Exception):
    """A bearer token that may not be used (message in Chinese, never the token):
    401 ``invalid_token`` (RFC 6750)."""


class TokenScopeRefused(TokenRefused):
    """A valid token that lacks the endpoint's scope: 403 ``insufficient_scope``."""

    def __init__(self, message: str, scope: str) -> None:
        super().__init__(message)
        self.scope = scope


def _token_digest(raw: str) -> str:
    # The secret is 256 random bits, so a plain SHA-256 is enough to store it.
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token for ``organisation``; returns it and the secret (shown once)."""
    require(actor, Perm.MANAGE_ORGS, organisation)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写令牌的用途（如“OA公文系统”）。"})
    if len(name) > 60:
        raise ValidationError({"name": f"用途最多60个字，现有{len(name)}个字。"})
    valid = set(ApiToken.Scope.values)
    if not scopes or any(s not in valid for s in scopes):
        raise ValidationError({"scopes": "请至少选择一项有效的权限范围。"})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "到期时间应晚于现在。"})
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    User = get_user_model()
    service_user = User(
        username=f"apitoken-{prefix}",
        full_name=f"接口令牌：{name}"[:50],
        is_staff=False,
    )
    service_user.set_unusable_password()
    service_user.save()
    # View and edit of this organisation only (SELF reach), through the one helper.
    Membership.objects.create(
        user=service_user, organisation=organisation, role=Role.LIAISON
    )
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        digest=_token_digest(raw),
        scopes=sorted(set(scopes)),
        service_user=service_user,
        created_by=stored_user(actor),
        expires_at=expires_at,
    )
    audit_record(
        action="api_token.create",
        actor=actor,
        organisation=organisation,
        obj=token,
        details={
            "name": name,
            "prefix": prefix,
            "scopes": token.scopes,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    require(actor, Perm.MANAGE_ORGS, token.organisation)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action="api_token.revoke",
        actor=actor,
        organisation=token.organisation,
        obj=token,
        details={"name": token.name, "prefix": token.prefix},
    )
    return token


def api_token_authenticate(raw: str, scope: str) -> ApiToken:
    """The live token ``raw`` is, allowed ``scope``; TokenRefused otherwise."""
    raw = (raw or "").strip()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        raise TokenRefused(TOKEN_REFUSED)
    token = (
        ApiToken.objects.select_related("organisation", "service_user")
        .filter(digest=_token_digest(raw))
        .first()
    )
    now = timezone.now()
    if (
        token is None
        or token.revoked_at is not None
        or (token.expires_at is not None and token.expires_at <= now)
        or not token.organisation.is_active
        # a deactivated service account acts for no one, its tokens included
        or not token.service_user.is_active
    ):
        raise TokenRefused(TOKEN_REFUSED)
    if scope not in token.scopes:
        raise TokenScopeRefused(TOKEN_SCOPE_REFUSED, scope)
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
