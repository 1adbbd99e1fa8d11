from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.audit.models import AuditEvent
from gongkai.security.auditchain import verify_chain


class Command(BaseCommand):
    help = (
        "校验审计日志的 HMAC 哈希链：发现任何被修改、插入或删除的记录（从最近的清理检查点起）。"
        "完好时退出码为 0，否则为 1。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--expect-head",
            default="",
            help="上次导出或校验时记录的链尾哈希；若现在的链中找不到它，说明最新记录被删除。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems, count, head = verify_chain()
        expected = options["expect_head"]
        if (
            expected
            and expected != head
            and not AuditEvent.objects.filter(hash=expected).exists()
        ):
            problems.append(
                f"找不到上次记录的链尾哈希 {expected[:16]}…：最新的记录被删除或整链被替换。"
            )
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"审计日志校验失败：发现 {len(problems)} 处问题。")
        self.stdout.write(
            self.style.SUCCESS(f"审计日志完好：校验 {count} 条记录，链尾哈希 {head}。")
        )
