"""The field-encryption key ring, from settings (environment or a key file)."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gongkai.core.crypto import CryptoError, KeyRing, parse_key_spec


def _index_key(spec: str, keys: dict[str, bytes]) -> bytes:
    """The key of the search digests (``digest_of``), which must outlive rotations.

    ``GONGKAI_FIELD_INDEX_KEY`` (Base64) if set; otherwise derived from the *oldest*
    key, the last in ``GONGKAI_FIELD_KEYS`` (new keys go first), so rotating the
    encryption key never changes a stored digest or a query code. Before the oldest
    key is removed, pin its derived value: ``manage.py rotate_field_keys --show-index-key``.
    """
    explicit = getattr(settings, "FIELD_INDEX_KEY", "")
    if explicit:
        try:
            return base64.b64decode(explicit, validate=True)
        except ValueError:
            raise CryptoError("GONGKAI_FIELD_INDEX_KEY 不是有效的 Base64。") from None
    oldest = [p.split(":", 1)[0].strip() for p in spec.split(",") if p.strip()][-1]
    return hashlib.sha256(b"gongkai-index:" + keys[oldest]).digest()


@cache
def key_ring() -> KeyRing:
    # Never derived from anything public: outside production the settings read
    # random keys from var/keys.env (gongkai/config/localkeys.py).
    spec = settings.FIELD_KEYS
    if not spec:
        raise ImproperlyConfigured(
            "需要设置字段加密密钥 GONGKAI_FIELD_KEYS（或 GONGKAI_FIELD_KEYS_FILE），"
            "格式“编号:Base64密钥”，第一个为当前密钥。"
        )
    try:
        keys, current = parse_key_spec(spec)
        return KeyRing(
            keys=keys,
            current=current,
            algorithm=settings.FIELD_CIPHER,
            index_key=_index_key(spec, keys),
        )
    except CryptoError as exc:
        raise ImproperlyConfigured(f"字段加密密钥配置错误：{exc}") from exc


def reset_key_ring() -> None:
    key_ring.cache_clear()
