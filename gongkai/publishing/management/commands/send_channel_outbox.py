"""Deliver queued publications to their channels (portal, feeds, WeChat, …)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.publishing.channels import outbox_send


class Command(BaseCommand):
    help = "发送渠道发件箱中待发送的信息（门户、订阅源、微信公众号、大厅屏等）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=200, help="本次最多处理的条数")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = outbox_send(limit=options["limit"])
        self.stdout.write(
            f"已送达 {counts['sent']} 条，失败 {counts['failed']} 条，"
            f"等待 {counts['waiting']} 条。"
        )
