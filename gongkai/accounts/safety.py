"""Production must not run with the published demo passwords."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from gongkai.accounts.models import User


def demo_accounts_blocking_start() -> list[str]:
    """Usernames of demo accounts that forbid a production start (empty when fine)."""
    if settings.ALLOW_DEMO_ACCOUNTS:
        return []

    try:
        return list(
            User.objects.filter(is_demo=True, is_active=True).values_list(
                "username", flat=True
            )
        )
    except DatabaseError:
        return []  # not migrated yet: `migrate` itself must be able to run


def refuse_demo_accounts_in_production() -> None:
    names = demo_accounts_blocking_start()
    if names:
        raise ImproperlyConfigured(
            "数据库中存在演示账号（"
            + "、".join(names[:5])
            + ("等" if len(names) > 5 else "")
            + "），"
            "生产模式拒绝启动。请停用或删除这些账号（manage.py remove_demo_accounts），"
            "或在确有需要时设置 GONGKAI_ALLOW_DEMO_ACCOUNTS=true。"
        )
