"""站点无法访问: visit every body's column home page once (the scheduler runs this
every hour; only these visits count for the indicator)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongkai.inspection.services import home_probe_all


class Command(BaseCommand):
    help = "访问各单位政府信息公开专栏首页一次（“站点无法访问”按这些定时访问判定）"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            visited, failed = home_probe_all()
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"访问首页 {visited} 个，无法访问 {failed} 个。")
