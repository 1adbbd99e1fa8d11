"""Load an assessment indicator set (考评指标体系) from a TOML file, or the shipped ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.assessment import DATA_DIR
from gongkai.supervision.services import rulepack_load


class Command(BaseCommand):
    help = (
        "载入考评指标体系（TOML 指标文件，格式见 docs/assessment.md）。"
        "不给文件则载入平台自带的方案（默认方案、透明度指数式方案）。"
        "文件有任何错误（未知的计算方法、权重之和不为 100 等）都不载入。"
        "示例：manage.py load_indicators 省考评方案.toml"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="指标文件（.toml）")

    def handle(self, *args: Any, **options: Any) -> None:
        files = [Path(f) for f in options["files"]] or sorted(DATA_DIR.glob("*.toml"))
        for path in files:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"无法读取 {path}：{exc}") from exc
            try:
                pack = rulepack_load(actor=None, organisation=None, text=text)
            except ValidationError as exc:
                raise CommandError(
                    f"{path.name} 未载入：" + "；".join(exc.messages)
                ) from exc
            self.stdout.write(
                self.style.SUCCESS(f"已载入“{pack.name}”（{pack.code}）。")
            )
