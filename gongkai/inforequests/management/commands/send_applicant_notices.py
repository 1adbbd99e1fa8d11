from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from gongkai.inforequests.delivery import purge_expired_tokens
from gongkai.inforequests.models import ApplicantNotice
from gongkai.inforequests.outbox import notices_send_due


class Command(BaseCommand):
    help = (
        "发送给申请人的通知（受理、补正、延期、征求意见、收费、答复、终止；邮件和短信）。"
        "失败的按 1、2、4…60 分钟退避重试，多次失败后标记为发送失败。"
        "建议每分钟运行一次，或以 --loop 常驻。每次运行同时删除过期一天以上的下载链接。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--limit", type=int, default=500, help="每轮最多发送的条数（默认 500）"
        )
        parser.add_argument("--loop", action="store_true", help="每隔一段时间重复发送")
        parser.add_argument("--interval", type=int, default=30, help="循环间隔秒数")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            report = notices_send_due(limit=max(1, options["limit"]))
            purge_expired_tokens()
            waiting = ApplicantNotice.objects.filter(
                state=ApplicantNotice.State.PENDING
            ).count()
            self.stdout.write(
                f"已发送 {report.sent} 条，{report.retried} 条稍后重试，"
                f"{report.failed} 条放弃；仍待发送 {waiting} 条。"
            )
            if not options["loop"]:
                return
            time.sleep(max(1, options["interval"]))
