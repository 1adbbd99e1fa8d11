from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core.crypto import token_key_id
from gongkai.security.fields import EncryptedTextField
from gongkai.security.keys import key_ring


class Command(BaseCommand):
    help = (
        "用当前字段加密密钥重新加密所有加密字段（密钥轮换）。先把新密钥放在 GONGKAI_FIELD_KEYS 的第一位、"
        "旧密钥保留在后面，运行本命令，确认完成后再从配置中删除旧密钥。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--show-index-key",
            action="store_true",
            help="只显示检索摘要密钥（Base64），用于在删除最早的密钥前设置 GONGKAI_FIELD_INDEX_KEY",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["show_index_key"]:
            import base64

            self.stdout.write(base64.b64encode(key_ring().index_key).decode())
            return
        current = key_ring().current
        total = 0
        for model in apps.get_models():
            fields = [
                f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)
            ]
            if not fields:
                continue
            names = [f.name for f in fields]
            for obj in model._default_manager.all().iterator(chunk_size=500):
                stale = any(
                    v and token_key_id(v) != current
                    for v in self._raw_values(model, obj.pk, fields)
                )
                if not stale:
                    continue
                with transaction.atomic():
                    # Saving re-encrypts the (decrypted) values with the current key.
                    model._default_manager.filter(pk=obj.pk).update(
                        **{n: getattr(obj, n) for n in names}
                    )
                total += 1
        audit_record(
            action="security.rotate_field_keys", details={"rows": total, "key": current}
        )
        self.stdout.write(
            self.style.SUCCESS(f"已用密钥“{current}”重新加密 {total} 行。")
        )

    @staticmethod
    def _raw_values(model: Any, pk: Any, fields: list[EncryptedTextField]) -> list[str]:
        from django.db import connection

        columns = ", ".join(connection.ops.quote_name(f.attname) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        pk_col = connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {table} WHERE {pk_col} = %s", [pk])  # noqa: S608  # table and column names from the models
            row = cursor.fetchone()
        return list(row or [])
