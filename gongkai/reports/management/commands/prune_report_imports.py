"""Delete old scan imports of annual reports and their private files."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongkai.reports.report_import import report_import_jobs_prune


class Command(BaseCommand):
    help = (
        "删除结束（已导入或未能导入）超过保留天数的年报扫描件导入记录及其保存的扫描件，"
        "以及排队超过保留天数仍未识别的记录。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.REPORT_IMPORT_KEEP_DAYS,
            help="保留天数（默认取 GONGKAI_REPORT_IMPORT_KEEP_DAYS）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = report_import_jobs_prune(
            now=timezone.now(), days=max(1, options["days"])
        )
        self.stdout.write(f"已删除 {deleted} 个过期的年报扫描件导入记录及其文件。")
