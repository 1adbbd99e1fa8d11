"""Write a production key file: secret key, field-encryption key and audit key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.config.localkeys import NAMES, new_keys, write_new_file

HEADER = (
    "# Gongkai 密钥（manage.py generate_keys 生成）。\n"
    "# 请与数据库、附件备份分开保存一份（见 docs/deploy.md“密钥”）；丢失字段密钥，\n"
    "# 已加密的个人信息和附件将无法读取。\n"
)


class Command(BaseCommand):
    help = (
        "生成生产环境密钥：GONGKAI_SECRET_KEY、GONGKAI_FIELD_KEYS、GONGKAI_AUDIT_KEY，"
        "写入一个新文件（权限 600，systemd EnvironmentFile 格式，可直接追加到 gongkai.env "
        "或作为第二个 EnvironmentFile）。不会覆盖已有文件。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            required=True,
            help="要创建的密钥文件，例如 /etc/gongkai/keys.env（已存在则拒绝）",
        )
        parser.add_argument(
            "--field-key-id",
            default="k1",
            help="字段加密密钥的编号（默认 k1；轮换时新密钥用新编号）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        key_id = options["field_key_id"]
        if not key_id.isalnum():
            raise CommandError("--field-key-id 只能由字母和数字组成。")
        if not path.parent.is_dir():
            raise CommandError(f"目录 {path.parent} 不存在，请先创建（权限 700）。")
        values = new_keys(field_key_id=key_id)
        text = HEADER + "".join(f"{name}={values[name]}\n" for name in NAMES)
        try:
            created = write_new_file(path, text)
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc.strerror}") from exc
        if not created:
            raise CommandError(
                f"{path} 已存在，未覆盖：换掉现有密钥会使已加密的数据无法读取。"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {path}（权限 600）：{'、'.join(NAMES)}。请立即另行备份。"
            )
        )
