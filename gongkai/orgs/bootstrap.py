"""The first body of an empty platform and its administrators (三权分立: a 系统管理员,
optionally a 安全管理员 and an 审计管理员), from ``manage.py bootstrap_org`` or the
first-run screen. Refused once any organisation exists: from then on bodies and
roles are managed by the 系统管理员 in the back office."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.services import membership_grant, organisation_create

ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)
# A temporary password is given as already expired: the first sign-in must change it.
EXPIRED = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass
class Administrator:
    role: str
    username: str
    full_name: str = ""
    password: str = ""  # empty: a random temporary one, to be changed at first sign-in
    temporary: bool = False


def platform_is_empty() -> bool:
    return not Organisation.objects.exists()


def temporary_password() -> str:
    # Letters, digits and a symbol: passes every class rule of the 等保 profile.
    return f"Gk-{secrets.token_urlsafe(12)}7a"


@transaction.atomic
def bootstrap_platform(
    *,
    name: str,
    kind: str,
    administrators: list[Administrator],
    credit_code: str = "",
    short_name: str = "",
    catalogue_template: str = "",
    via: str = "manage.py",
) -> Organisation:
    """Create the top body and its administrators; ValidationError (Chinese) if not."""
    User = get_user_model()
    if Organisation.objects.select_for_update().exists():
        raise ValidationError(
            "平台上已有机构：首次设置只能在空数据库上进行。请由系统管理员在后台管理机构。"
        )
    roles = [a.role for a in administrators]
    if Role.SYSADMIN not in roles:
        raise ValidationError("至少需要一名系统管理员。")
    if len(set(roles)) != len(roles):
        raise ValidationError("每种管理员角色只需设置一名。")
    usernames = [a.username for a in administrators]
    if len(set(usernames)) != len(usernames):
        raise ValidationError(
            "三权分立：系统管理员、安全管理员、审计管理员须由不同的账号担任。"
        )
    for admin in administrators:
        if not admin.username.strip():
            raise ValidationError("用户名不能为空。")
        if User.objects.filter(username=admin.username).exists():
            raise ValidationError(f"用户名“{admin.username}”已存在。")
    top = organisation_create(
        actor=None,
        parent=None,
        name=name,
        kind=kind,
        credit_code=credit_code,
        short_name=short_name,
        catalogue_template=catalogue_template,
    )
    for admin in administrators:
        user = User(username=admin.username, full_name=admin.full_name, is_staff=True)
        if not admin.password:
            admin.password = temporary_password()
            admin.temporary = True
        try:
            validate_password(admin.password, user)
        except ValidationError as exc:
            raise ValidationError({"password": list(exc.messages)}) from exc
        user.set_password(admin.password)
        user.save()
        if admin.temporary:
            type(user).objects.filter(pk=user.pk).update(password_changed_at=EXPIRED)
        else:
            type(user).objects.filter(pk=user.pk).update(
                password_changed_at=timezone.now()
            )
        audit_record(
            action="account.create",
            obj=user,
            username=via,
            details={"role": admin.role},
        )
        membership_grant(actor=None, user=user, organisation=top, role=admin.role)
    audit_record(
        action="org.bootstrap",
        organisation=top,
        obj=top,
        username=via,
        details={"administrators": {a.role: a.username for a in administrators}},
    )
    return top
