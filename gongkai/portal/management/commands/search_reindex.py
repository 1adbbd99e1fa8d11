from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.portal.signals import publication_index, report_index
from gongkai.publishing.models import Publication
from gongkai.reports.models import AnnualReport


class Command(BaseCommand):
    help = (
        "重建公开信息和年度报告的全文检索索引"
        "（在批量导入、恢复备份或升级检索规则之后运行）。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for publication in Publication.objects.select_related("organisation").iterator(
            chunk_size=500
        ):
            publication_index(publication)
            count += 1
        reports = 0
        for report in AnnualReport.objects.select_related("organisation").iterator(
            chunk_size=100
        ):
            report_index(report)
            reports += 1
        self.stdout.write(
            self.style.SUCCESS(f"已处理 {count} 条公开信息、{reports} 份年度报告。")
        )
