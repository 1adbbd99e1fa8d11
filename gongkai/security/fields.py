"""Encrypted model fields: plaintext in Python, ciphertext in the database."""

from __future__ import annotations

from typing import Any

from django.db import models

from gongkai.core.crypto import blind_index, decrypt, encrypt, is_token
from gongkai.security.keys import key_ring


class EncryptedTextField(models.TextField):
    """A text column holding a ``gk1:…`` token (AES-256-GCM or SM4-GCM).

    It cannot be filtered on; pair it with a ``digest_of()`` column for equality.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "" or not is_token(value):
            return value
        return decrypt(key_ring(), value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and is_token(value):
            return decrypt(key_ring(), value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or is_token(value):
            return value
        return encrypt(key_ring(), value)


def digest_of(value: str) -> str:
    """Keyed digest of a normalised value, for equality search on encrypted data."""
    return blind_index(key_ring(), value) if value else ""
