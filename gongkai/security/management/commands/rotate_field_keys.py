from __future__ import annotations

import base64
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from gongkai.audit.services import audit_record
from gongkai.core.crypto import (
    CryptoError,
    decrypt,
    is_bound,
    is_token,
    token_key_id,
)
from gongkai.security.fields import EncryptedTextField
from gongkai.security.files import reencrypt_private_file
from gongkai.security.keys import key_ring


class Command(BaseCommand):
    help = (
        "用当前字段加密密钥重新加密所有加密字段和加密保存的个人文件（申请附件、公开文件、复议诉讼材料），"
        "并把旧格式密文改写为绑定表、列、行的新格式（密钥轮换）。先把新密钥放在 GONGKAI_FIELD_KEYS "
        "的第一位、旧密钥保留在后面，运行本命令，确认完成后再从配置中删除旧密钥。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--show-index-key",
            action="store_true",
            help="只显示检索摘要密钥（Base64），用于在删除最早的密钥前设置 GONGKAI_FIELD_INDEX_KEY",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["show_index_key"]:
            self.stdout.write(base64.b64encode(key_ring().index_key).decode())
            return
        current = key_ring().current
        rows = files = 0
        failures: list[str] = []
        for model in apps.get_models():
            fields = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, EncryptedTextField) and f.model is model
            ]
            if fields:
                rows += self._rotate_rows(model, fields, current, failures)
            for name in getattr(model, "encrypted_files", ()):
                stored = model._default_manager.exclude(**{name: ""}).values_list(
                    name, flat=True
                )
                for file_name in stored.iterator(chunk_size=500):
                    try:
                        files += reencrypt_private_file(file_name)
                    except CryptoError as exc:
                        failures.append(f"{model._meta.label} 文件 {file_name}：{exc}")
        audit_record(
            action="security.rotate_field_keys",
            result="failure" if failures else "success",
            details={
                "rows": rows,
                "files": files,
                "key": current,
                "errors": len(failures),
            },
        )
        for line in failures[:50]:
            self.stderr.write(line)
        if failures:
            raise CommandError(
                f"有 {len(failures)} 项无法解密（密钥缺失或密文被篡改、被挪动），其余已重新加密。"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"已用密钥“{current}”重新加密 {rows} 行、{files} 个文件。"
            )
        )

    @staticmethod
    def _rotate_rows(
        model: Any, fields: list[EncryptedTextField], current: str, failures: list[str]
    ) -> int:
        """Read the stored tokens with raw SQL (no model decryption), rewrite those
        under an old key or in the unbound ``gk1`` format as ``gk2`` bound to their row."""
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        pk_col = quote(model._meta.pk.column)
        columns = ", ".join(quote(str(f.column)) for f in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk_col}, {columns} FROM {table}")  # noqa: S608  # names from the models
            stored = cursor.fetchall()
        ring = key_ring()
        total = 0
        for pk, *values in stored:
            update = {}
            for field, value in zip(fields, values, strict=True):
                if not value or (is_bound(value) and token_key_id(value) == current):
                    continue
                if not is_token(value):  # stored before encryption was introduced
                    update[field.attname] = field.encrypt_for(pk, value)
                    continue
                try:
                    plaintext = decrypt(ring, value, aad=field.aad(pk))
                except CryptoError as exc:
                    failures.append(f"{model._meta.label} #{pk} {field.name}：{exc}")
                    continue
                update[field.attname] = field.encrypt_for(pk, plaintext)
            if update:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**update)
                total += 1
        return total
