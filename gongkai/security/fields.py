"""Encrypted model fields: plaintext in Python, ciphertext in the database.

Each value is sealed with associated data naming its table, column and row
(``gk2`` tokens, :mod:`gongkai.core.crypto`), so a ciphertext copied into another
row or column by someone with write access to the database fails to decrypt
instead of showing one applicant's identity number on another's case.

The row identity is the primary key. It does not exist yet when a new row is
inserted, and none of the models with encrypted columns has another identity
that is fixed before the insert (adding a random column to each would need a
migration in every app and a second source of truth). So an insert writes an
unbound ``gk1`` token and a ``post_save`` step, in the same transaction as
``save()``, immediately rewrites it bound to the new primary key. Rows written
without ``save()`` (``bulk_create``, ``QuerySet.update`` with plaintext, the
synthetic loader) keep ``gk1`` until ``manage.py rotate_field_keys`` binds them;
``gk1`` stays readable for that reason.

Because decryption needs the row, it happens when the attribute is read on a
model instance (the descriptor below), not in ``from_db_value``: ``values()`` and
``values_list()`` on an encrypted column return the stored token.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_save

from gongkai.core.crypto import blind_index, decrypt, encrypt, is_token
from gongkai.security.keys import key_ring

_UNBOUND = "_gongkai_unbound_fields"


def field_aad(table: str, column: str, pk: Any) -> bytes:
    """The associated data of one stored value: its table, column and row."""
    return f"gongkai-field\x00{table}\x00{column}\x00{pk}".encode()


class _EncryptedAttribute:
    """Holds what the row stores; decrypts a token on first read, with the row's pk."""

    def __init__(self, field: EncryptedTextField) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        name = self.field.attname
        data = instance.__dict__
        if name not in data:  # a deferred column: load it, as Django does
            instance.refresh_from_db(fields=[name])
        value = data.get(name)
        if isinstance(value, str) and is_token(value):
            value = self.field.decrypt_stored(instance, value)
            data[name] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """A text column holding a ``gk2:…`` token (AES-256-GCM or SM4-GCM), bound to
    its table, column and row.

    It cannot be filtered on; pair it with a ``digest_of()`` column for equality.
    """

    descriptor_class = _EncryptedAttribute

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            post_save.connect(
                _bind_after_insert,
                sender=cls,
                dispatch_uid=f"gk-bind-{cls._meta.label}",
            )

    def aad(self, pk: Any) -> bytes:
        return field_aad(self.model._meta.db_table, str(self.column), pk)

    def decrypt_stored(self, instance: Any, token: str) -> str:
        return decrypt(key_ring(), token, aad=self.aad(instance.pk))

    def encrypt_for(self, pk: Any, plaintext: str) -> str:
        return encrypt(key_ring(), plaintext, aad=self.aad(pk))

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = getattr(
            model_instance, self.attname
        )  # plaintext (decrypted if need be)
        if value is None or value == "":
            return value
        if model_instance.pk is None:
            # No row identity yet: unbound for the moment, bound right after the insert.
            model_instance.__dict__.setdefault(_UNBOUND, set()).add(self.attname)
            return encrypt(key_ring(), value)
        return self.encrypt_for(model_instance.pk, value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "" or is_token(value):
            return value
        return encrypt(key_ring(), value)  # unbound: no row known here (see above)


def _bind_after_insert(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
    pending = instance.__dict__.pop(_UNBOUND, None)
    if not pending or instance.pk is None:
        return
    tokens = {}
    for field in sender._meta.concrete_fields:
        if isinstance(field, EncryptedTextField) and field.attname in pending:
            tokens[field.attname] = field.encrypt_for(
                instance.pk, getattr(instance, field.attname)
            )
    sender._base_manager.using(using).filter(pk=instance.pk).update(**tokens)


def digest_of(value: str) -> str:
    """Keyed digest of a normalised value, for equality search on encrypted data."""
    return blind_index(key_ring(), value) if value else ""
