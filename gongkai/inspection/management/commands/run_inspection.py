"""政府网站自查: check every body's column (the scheduler runs this daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.inspection.models import InspectionRun
from gongkai.inspection.services import inspection_run
from gongkai.orgs.models import Organisation


class Command(BaseCommand):
    help = "按《政府网站与政务新媒体检查指标》自查各单位的政府信息公开专栏"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", type=int, help="只检查这个机构（编号）及其下级")
        parser.add_argument("--no-links", action="store_true", help="不检查链接")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("org"):
            roots = list(Organisation.objects.filter(pk=options["org"], is_active=True))
            if not roots:
                raise CommandError(f"没有编号为 {options['org']} 的机构。")
        else:
            roots = list(
                Organisation.objects.filter(parent__isnull=True, is_active=True)
            )
        for root in roots:
            run = inspection_run(
                actor=None,
                organisation=root,
                below=True,
                trigger=InspectionRun.Trigger.SCHEDULED,
                check_links=not options["no_links"],
                progress=lambda m: self.stdout.write(m),
            )
            self.stdout.write(
                f"{root.name}：单位 {run.bodies} 个，信息 {run.items} 条，链接 {run.links} 个"
                f"（不可用 {run.broken_links} 个），新问题 {run.opened} 个，"
                f"确认整改 {run.confirmed_fixed} 个，复查未通过 {run.reopened} 个"
            )
