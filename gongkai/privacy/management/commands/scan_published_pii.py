from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.orgs.models import Organisation
from gongkai.privacy.services import pii_scan_run


class Command(BaseCommand):
    help = (
        "扫描已发布的主动公开信息（标题、概述、正文和附件）中未遮蔽的个人信息，"
        "结果显示在“个人信息扫描”页面和监督考核总览。"
        "例：manage.py scan_published_pii --org 91410302MB1234567X --below"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org",
            required=True,
            help="机构的统一社会信用代码或编号（id）",
        )
        parser.add_argument("--below", action="store_true", help="同时扫描其下所有单位")

    def handle(self, *args: Any, **options: Any) -> None:
        key = str(options["org"]).strip()
        org = Organisation.objects.filter(credit_code=key.upper()).first()
        if org is None and key.isascii() and key.isdigit():
            org = Organisation.objects.filter(pk=int(key)).first()
        if org is None:
            raise CommandError(f"找不到机构“{key}”（请给出统一社会信用代码或编号）。")
        scan = pii_scan_run(actor=None, organisation=org, below=options["below"])
        seconds = (scan.finished_at - scan.started_at).total_seconds()  # type: ignore[operator]
        self.stdout.write(
            self.style.SUCCESS(
                f"{org.name}{'及下级单位' if scan.below else ''}：检查已发布信息 "
                f"{scan.items} 条、附件 {scan.attachments} 个，发现个人信息 "
                f"{scan.findings} 处（无法读取的附件 {scan.unreadable} 个），"
                f"用时 {seconds:.1f} 秒。"
            )
        )
