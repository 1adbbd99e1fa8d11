from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.audit.services import audit_record
from gongkai.security.backup import BackupError, backup_restore, read_manifest


class Command(BaseCommand):
    help = (
        "从备份恢复数据库和附件（会覆盖当前数据！请先停止网站和任务进程）。"
        "先校验备份文件的校验和，恢复后逐表比较行数和内容摘要。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", help="备份目录（含 manifest.json）")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        if not options["yes"]:
            raise CommandError(
                "恢复会覆盖当前数据库和附件。确认无误后加 --yes 重新运行。"
            )
        try:
            manifest = read_manifest(folder)
            report = backup_restore(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if report.problems:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"恢复后的数据与备份不一致（{len(report.problems)} 处）。"
            )
        audit_record(
            action="security.restore",
            details={
                "path": str(folder),
                "created": manifest["created"],
                "rows": report.rows,
            },
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已从 {folder} 恢复：{report.tables} 张表 {report.rows} 行、"
                f"{report.media_files} 个附件文件，行数和校验和与备份一致。"
            )
        )
