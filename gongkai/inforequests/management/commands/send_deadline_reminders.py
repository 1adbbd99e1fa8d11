from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.inforequests.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "提醒承办人：申请还剩 5 个和 2 个工作日到期（邮件，配置后也发短信）。建议每天运行一次。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent, problems = send_deadline_reminders()
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(self.style.SUCCESS(f"已发送 {sent} 份提醒。"))
        if problems:
            raise SystemExit(1)
