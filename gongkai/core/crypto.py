"""Field encryption for applicants' personal data (pure; keys are passed in).

Token format (ASCII, stored in a text column)::

    gk2:<key id>:<algorithm>:<base64url(nonce ‖ ciphertext ‖ tag)>

``aes256gcm`` (default, 32-byte keys) or ``sm4gcm`` (GB/T 32907 SM4, 16-byte keys),
both authenticated. ``gk2`` tokens are bound to where they are stored: the caller
passes associated data (table, column, row), so a token copied to another row or
column fails to decrypt. ``gk1`` is the earlier, unbound format (no associated
data); it is still read, and the rotation command rewrites it as ``gk2``.
Files use the same keys in a binary envelope (:func:`encrypt_bytes`). The key id lets old rows be read after a rotation; the
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

PREFIX = "gk1"  # unbound (no associated data): legacy rows, bulk loads
BOUND_PREFIX = "gk2"  # bound to its place by associated data
_PREFIXES = (PREFIX, BOUND_PREFIX)
FILE_MAGIC = b"GKF1"
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


def _sm4_encrypt(key: bytes, nonce: bytes, data: bytes, aad: bytes | None) -> bytes:
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    if aad:
        encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _sm4_decrypt(key: bytes, nonce: bytes, blob: bytes, aad: bytes | None) -> bytes:
    ciphertext, tag = blob[:-_TAG], blob[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    if aad:
        decryptor.authenticate_additional_data(aad)
    return decryptor.update(ciphertext) + decryptor.finalize()


def _seal(ring: KeyRing, data: bytes, aad: bytes | None) -> bytes:
    nonce = os.urandom(_NONCE)
    key = ring.keys[ring.current]
    if ring.algorithm == "aes256gcm":
        return nonce + AESGCM(key).encrypt(nonce, data, aad)
    return nonce + _sm4_encrypt(key, nonce, data, aad)


def _open(
    key_id: str, algorithm: str, key: bytes, raw: bytes, aad: bytes | None
) -> bytes:
    nonce, blob = raw[:_NONCE], raw[_NONCE:]
    try:
        if algorithm == "aes256gcm":
            return AESGCM(key).decrypt(nonce, blob, aad)
        return _sm4_decrypt(key, nonce, blob, aad)
    except (InvalidTag, ValueError):
        raise CryptoError(
            f"密文校验失败（密钥“{key_id}”不符、数据被篡改或被挪到了别处）。"
        ) from None


def encrypt(ring: KeyRing, plaintext: str, aad: bytes | None = None) -> str:
    """A ``gk2`` token bound to ``aad`` (where it is stored), or an unbound ``gk1``
    token when ``aad`` is None."""
    sealed = _seal(ring, plaintext.encode("utf-8"), aad)
    token = base64.urlsafe_b64encode(sealed).decode("ascii")
    prefix = PREFIX if aad is None else BOUND_PREFIX
    return f"{prefix}:{ring.current}:{ring.algorithm}:{token}"


def is_token(value: str) -> bool:
    return value.startswith((PREFIX + ":", BOUND_PREFIX + ":"))


def is_bound(value: str) -> bool:
    return value.startswith(BOUND_PREFIX + ":")


def token_key_id(value: str) -> str:
    return value.split(":", 3)[1] if is_token(value) else ""


def decrypt(ring: KeyRing, token: str, aad: bytes | None = None) -> str:
    """Decrypt a token; a ``gk2`` token needs the same ``aad`` it was sealed with."""
    try:
        prefix, key_id, algorithm, payload = token.split(":", 3)
    except ValueError:
        raise CryptoError("密文格式无效。") from None
    if prefix not in _PREFIXES or algorithm not in ALGORITHMS:
        raise CryptoError("密文格式无效。")
    if prefix == BOUND_PREFIX and aad is None:
        raise CryptoError("该密文绑定了存放位置，解密时需要提供位置信息。")
    key = ring.keys.get(key_id)
    if key is None:
        raise CryptoError(f"缺少解密所需的密钥“{key_id}”。")
    try:
        raw = base64.urlsafe_b64decode(payload.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise CryptoError("密文格式无效。") from None
    data = _open(key_id, algorithm, key, raw, aad if prefix == BOUND_PREFIX else None)
    return data.decode("utf-8")


# Files: FILE_MAGIC ‖ len(key id) (1 byte) ‖ key id ‖ len(algorithm) (1 byte) ‖
# algorithm ‖ nonce ‖ ciphertext ‖ tag; always bound to ``aad`` (the stored name).
def encrypt_bytes(ring: KeyRing, data: bytes, aad: bytes) -> bytes:
    key_id = ring.current.encode("utf-8")
    algorithm = ring.algorithm.encode("ascii")
    header = FILE_MAGIC + bytes([len(key_id)]) + key_id
    header += bytes([len(algorithm)]) + algorithm
    return header + _seal(ring, data, aad)


def is_encrypted_blob(head: bytes) -> bool:
    return head.startswith(FILE_MAGIC)


def _blob_header(blob: bytes) -> tuple[str, str, int]:
    try:
        if not blob.startswith(FILE_MAGIC):
            raise IndexError
        at = len(FILE_MAGIC)
        key_len = blob[at]
        key_id = blob[at + 1 : at + 1 + key_len].decode("utf-8")
        at += 1 + key_len
        alg_len = blob[at]
        algorithm = blob[at + 1 : at + 1 + alg_len].decode("ascii")
    except (IndexError, UnicodeDecodeError):
        raise CryptoError("加密文件格式无效。") from None
    if algorithm not in ALGORITHMS:
        raise CryptoError("加密文件格式无效。")
    return key_id, algorithm, at + 1 + alg_len


def blob_key_id(blob: bytes) -> str:
    return _blob_header(blob)[0]


def decrypt_bytes(ring: KeyRing, blob: bytes, aad: bytes) -> bytes:
    key_id, algorithm, start = _blob_header(blob)
    key = ring.keys.get(key_id)
    if key is None:
        raise CryptoError(f"缺少解密所需的密钥“{key_id}”。")
    return _open(key_id, algorithm, key, blob[start:], aad)


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
