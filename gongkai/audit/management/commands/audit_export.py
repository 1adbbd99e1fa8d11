from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.audit.services import audit_record
from gongkai.security.auditchain import jsonl_lines, syslog_lines


def _date(value: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value}”格式不正确，应为 YYYY-MM-DD。") from None
    return timezone.make_aware(datetime.combine(day, time.min))


class Command(BaseCommand):
    help = (
        "导出审计日志：JSON Lines（每行一条，含哈希链字段，可离线校验）"
        "或 RFC 5424 syslog 行（送往日志审计系统）。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--format", choices=["jsonl", "syslog"], default="jsonl")
        parser.add_argument("--since", help="起始日期（含），YYYY-MM-DD")
        parser.add_argument("--until", help="截止日期（不含），YYYY-MM-DD")
        parser.add_argument("--output", "-o", help="输出文件（默认标准输出）")
        parser.add_argument("--hostname", help="syslog 行中的主机名（默认本机名）")

    def handle(self, *args: Any, **options: Any) -> None:
        since = _date(options["since"]) if options["since"] else None
        until = _date(options["until"]) if options["until"] else None
        if options["format"] == "jsonl":
            lines = jsonl_lines(since, until)
        else:
            lines = syslog_lines(since, until, options["hostname"])
        count = 0
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                for line in lines:
                    out.write(line + "\n")
                    count += 1
        else:
            for line in lines:
                self.stdout.write(line)
                count += 1
        audit_record(
            action="audit.export",
            details={
                "format": options["format"],
                "rows": count,
                "since": options["since"],
                "until": options["until"],
            },
        )
        if options["output"]:
            self.stdout.write(self.style.SUCCESS(f"已导出 {count} 条审计记录。"))
