from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from gongkai.security.mail import mail_send_due
from gongkai.security.models import OutgoingMail


class Command(BaseCommand):
    help = "发送待发邮件（失败的按 1、2、4…60 分钟退避重试）。--loop 持续运行。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true", help="每隔一段时间重复发送")
        parser.add_argument("--interval", type=int, default=30, help="循环间隔秒数")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            report = mail_send_due()
            waiting = OutgoingMail.objects.filter(
                state=OutgoingMail.State.PENDING
            ).count()
            self.stdout.write(
                f"已发送 {report.sent} 封，{report.retried} 封稍后重试，"
                f"{report.failed} 封放弃；仍待发送 {waiting} 封。"
            )
            if not options["loop"]:
                return
            time.sleep(max(1, options["interval"]))
