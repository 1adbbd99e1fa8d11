from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.portal.signals import publication_index
from gongkai.publishing.models import Publication


class Command(BaseCommand):
    help = "重建公开信息的全文检索索引（在批量导入或恢复备份之后运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for publication in Publication.objects.select_related("organisation").iterator(
            chunk_size=500
        ):
            publication_index(publication)
            count += 1
        self.stdout.write(self.style.SUCCESS(f"已处理 {count} 条公开信息。"))
