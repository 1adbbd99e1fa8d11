"""Forget idempotency keys (and the encrypted first results) after a while."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongkai.ops.models import SubmissionKey


class Command(BaseCommand):
    help = (
        "删除超过保留天数的提交幂等键及其加密保存的首次结果（含查询码）。"
        "重复提交只在这段时间内返回首次结果。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="保留天数（默认 7）")

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - datetime.timedelta(days=max(1, options["days"]))
        deleted, _ = SubmissionKey.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"已删除 {deleted} 个过期的提交幂等键。")
