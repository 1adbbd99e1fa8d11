from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand

from gongkai.audit.services import audit_record
from gongkai.inforequests.tallies import rebuild


class Command(BaseCommand):
    help = (
        "按记录重新统计各单位各年度的申请数（监督看板所用的汇总表）。"
        "平时保存申请时已自动更新；导入数据或怀疑不一致时运行，可每晚运行一次作为兜底。"
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--since-year",
            type=int,
            default=None,
            help="只重算该年度及以后的汇总（默认全部）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = options["since_year"]
        rows = rebuild(since_year=since)
        audit_record(
            action="request_tallies.rebuild",
            username="manage.py",
            details={"since_year": since, "rows": rows},
        )
        scope = f"{since}年及以后" if since else "全部年度"
        self.stdout.write(self.style.SUCCESS(f"已重新统计{scope}，共 {rows} 行。"))
