"""Field encryption for applicants' personal data (pure; keys are passed in).

Token format (ASCII, stored in a text column)::

    gk1:<key id>:<algorithm>:<base64url(nonce ‖ ciphertext ‖ tag)>

``aes256gcm`` (default, 32-byte keys) or ``sm4gcm`` (GB/T 32907 SM4, 16-byte keys),
both authenticated. The key id lets old rows be read after a rotation; the
rotation command re-encrypts them with the current key. Keys never live in the
database: the Django side reads them from the environment or a file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "gk1"
ALGORITHMS = ("aes256gcm", "sm4gcm")
KEY_BYTES = {"aes256gcm": 32, "sm4gcm": 16}
_NONCE = 12
_TAG = 16


class CryptoError(ValueError):
    pass


@dataclass(frozen=True)
class KeyRing:
    """All known keys by id; ``current`` encrypts, every key decrypts."""

    keys: Mapping[str, bytes]
    current: str
    algorithm: str = "aes256gcm"
    index_key: bytes = b""

    def __post_init__(self) -> None:
        if self.algorithm not in ALGORITHMS:
            raise CryptoError(
                f"不支持的加密算法“{self.algorithm}”（可用：{'、'.join(ALGORITHMS)}）。"
            )
        if self.current not in self.keys:
            raise CryptoError(f"当前密钥“{self.current}”不在密钥列表中。")
        for key_id, key in self.keys.items():
            if ":" in key_id or not key_id:
                raise CryptoError(f"密钥编号“{key_id}”无效（不能为空或含冒号）。")
            if len(key) not in (16, 32):
                raise CryptoError(
                    f"密钥“{key_id}”长度应为 16 或 32 字节，实际 {len(key)} 字节。"
                )
        if len(self.keys[self.current]) != KEY_BYTES[self.algorithm]:
            raise CryptoError(
                f"算法 {self.algorithm} 需要 {KEY_BYTES[self.algorithm]} 字节的当前密钥。"
            )


def _sm4_encrypt(key: bytes, nonce: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _sm4_decrypt(key: bytes, nonce: bytes, blob: bytes) -> bytes:
    ciphertext, tag = blob[:-_TAG], blob[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    return decryptor.update(ciphertext) + decryptor.finalize()


def encrypt(ring: KeyRing, plaintext: str) -> str:
    nonce = os.urandom(_NONCE)
    key = ring.keys[ring.current]
    data = plaintext.encode("utf-8")
    if ring.algorithm == "aes256gcm":
        blob = AESGCM(key).encrypt(nonce, data, None)
    else:
        blob = _sm4_encrypt(key, nonce, data)
    token = base64.urlsafe_b64encode(nonce + blob).decode("ascii")
    return f"{PREFIX}:{ring.current}:{ring.algorithm}:{token}"


def is_token(value: str) -> bool:
    return value.startswith(PREFIX + ":")


def token_key_id(value: str) -> str:
    return value.split(":", 3)[1] if is_token(value) else ""


def decrypt(ring: KeyRing, token: str) -> str:
    try:
        prefix, key_id, algorithm, payload = token.split(":", 3)
    except ValueError:
        raise CryptoError("密文格式无效。") from None
    if prefix != PREFIX or algorithm not in ALGORITHMS:
        raise CryptoError("密文格式无效。")
    key = ring.keys.get(key_id)
    if key is None:
        raise CryptoError(f"缺少解密所需的密钥“{key_id}”。")
    try:
        raw = base64.urlsafe_b64decode(payload.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise CryptoError("密文格式无效。") from None
    nonce, blob = raw[:_NONCE], raw[_NONCE:]
    try:
        if algorithm == "aes256gcm":
            data = AESGCM(key).decrypt(nonce, blob, None)
        else:
            data = _sm4_decrypt(key, nonce, blob)
    except (InvalidTag, ValueError):
        raise CryptoError(f"密文校验失败（密钥“{key_id}”不符或数据被篡改）。") from None
    return data.decode("utf-8")


def blind_index(ring: KeyRing, value: str) -> str:
    """A keyed digest for equality search on an encrypted value (e.g. same applicant)."""
    key = (
        ring.index_key
        or hashlib.sha256(b"gongkai-index:" + ring.keys[ring.current]).digest()
    )
    normalised = "".join(value.split()).upper()
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_key_spec(spec: str) -> tuple[dict[str, bytes], str]:
    """``"k2:<base64>,k1:<base64>"`` → keys and the current (first) id."""
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        if ":" not in part:
            raise CryptoError("密钥配置格式应为“编号:Base64密钥”，多个用逗号分隔。")
        key_id, encoded = part.split(":", 1)
        try:
            keys[key_id.strip()] = base64.b64decode(encoded.strip(), validate=True)
        except ValueError:
            raise CryptoError(f"密钥“{key_id}”不是有效的 Base64。") from None
        order.append(key_id.strip())
    if not order:
        raise CryptoError("没有配置任何字段加密密钥。")
    return keys, order[0]
