from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.audit.services import audit_record
from gongkai.security.backup import BackupError, backup_create, backup_verify


class Command(BaseCommand):
    help = (
        "备份数据库（SQLite 在线备份 / PostgreSQL pg_dump 自定义格式）和附件目录，"
        "生成含各表行数、内容摘要和 SHA-256 校验和的 manifest.json。--verify 只校验已有备份。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", "-o", help="备份存放目录（默认 GONGKAI_BACKUP_DIR）"
        )
        parser.add_argument(
            "--verify", metavar="备份目录", help="只校验该备份的文件校验和"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify"]:
                manifest = backup_verify(Path(options["verify"]))
                self.stdout.write(
                    self.style.SUCCESS(
                        f"备份完好：{len(manifest['tables'])} 张表、{len(manifest['media'])} 个附件文件，校验和一致。"
                    )
                )
                return
            result = backup_create(
                Path(options["output"]) if options["output"] else None
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in result.manifest["tables"].values())
        audit_record(
            action="security.backup",
            details={
                "path": str(result.path),
                "rows": rows,
                "engine": result.manifest["engine"],
            },
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {result.path}：{len(result.manifest['tables'])} 张表 {rows} 行，"
                f"{len(result.manifest['media'])} 个附件文件。"
            )
        )
        self.stdout.write(str(result.path))
