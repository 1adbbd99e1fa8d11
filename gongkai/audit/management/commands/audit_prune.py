from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.security.auditchain import MIN_RETENTION_DAYS, prune_before, retention_days


class Command(BaseCommand):
    help = (
        "清理超过保留期的审计记录（默认 GONGKAI_AUDIT_RETENTION_DAYS，至少 180 天即六个月）。"
        "清理前写入签名的检查点，清理后 audit_verify 仍可校验剩余的哈希链。请先用 audit_export 归档。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="保留天数（不得少于 180）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else retention_days()
        if days < MIN_RETENTION_DAYS:
            raise CommandError(
                f"审计日志至少保留 {MIN_RETENTION_DAYS} 天（六个月），拒绝清理 {days} 天以内的记录。"
            )
        checkpoint = prune_before(days)
        if checkpoint is None:
            self.stdout.write(f"没有早于 {days} 天的审计记录，无需清理。")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"已清理 {checkpoint.pruned_rows} 条早于 {days} 天的审计记录"
                f"（至第 {checkpoint.through_id} 条），并写入检查点。"
            )
        )
