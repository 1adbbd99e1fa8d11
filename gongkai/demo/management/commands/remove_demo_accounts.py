from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.accounts.models import User
from gongkai.audit.services import audit_record


class Command(BaseCommand):
    help = "停用全部演示账号（生产环境上线前运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for user in User.objects.filter(is_demo=True, is_active=True):
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
            audit_record(
                action="account.demo_disabled",
                obj=user,
                details={"username": user.username},
            )
            count += 1
        self.stdout.write(self.style.SUCCESS(f"已停用 {count} 个演示账号。"))
