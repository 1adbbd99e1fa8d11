"""Publish every scheduled item whose time has come (run from cron every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.publishing.services import publication_publish_due


class Command(BaseCommand):
    help = "发布已到定时发布时间的主动公开信息。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = publication_publish_due()
        self.stdout.write(f"已发布 {count} 条定时信息。")
