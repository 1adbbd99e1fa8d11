from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.demo.loaders import load_demo
from gongkai.demo.organisations import DEMO_PASSWORD, USERS
from gongkai.orgs.models import Role


class Command(BaseCommand):
    help = "载入演示数据（老城区 → 洛浦街道办事处 → 8 个社区及各角色演示账号）。可重复运行，不会产生重复数据。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--quiet-accounts", action="store_true", help="不打印演示账号表"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪：{orgs['luopu'].name}及其 8 个社区。")
        )
        if options["quiet_accounts"]:
            return
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for spec in USERS:
            self.stdout.write(
                f"  {spec.username:<12} {Role(spec.role).label:<8} {orgs[spec.org].name}"
            )
