from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.supervision.escalation import send_escalations


class Command(BaseCommand):
    help = "向负责人和上级督查员发送超期申请、逾期年报的提醒（建议每天运行一次）。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent, problems = send_escalations()
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(self.style.SUCCESS(f"已发送 {sent} 份提醒。"))
        if problems:
            raise SystemExit(1)
