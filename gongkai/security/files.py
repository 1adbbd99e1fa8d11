"""Personal files at rest: encrypted with the field key ring, readable by the owner only.

Files handed in with an application (身份证明 and the like), the files disclosed
to an applicant with the reply (``ReleasedFile``), the documents of an appeal case
and the redaction originals are written by :func:`store_private_file`: AES-256-GCM (or SM4-GCM)
with the current field key, bound to the stored name as associated data, in a file
of mode 600 (folders 700: ``FILE_UPLOAD_PERMISSIONS``) in the default storage. They are decrypted only by
:func:`open_private_file`, which the download services call after their access
check and audit record. ``manage.py rotate_field_keys`` re-encrypts them with the
current key (:func:`reencrypt_private_file`). Files stored before encryption
existed are still served as they are, and encrypted by the next rotation (or by a
data migration calling :func:`seal_plain_file`, as ``inforequests`` 0012 does for
the disclosed files).

Why not an encrypting ``Storage`` class: a storage on the ``FileField`` would be
written into the migrations (which must not import live code), and it would
decrypt on every ``open()``, while only the checked download should ever see the
plaintext. The functions below still go through the storage API, so media on an
S3-compatible store (``docs/deploy.md``) keeps working.
"""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from gongkai.core.crypto import (
    blob_key_id,
    decrypt_bytes,
    encrypt_bytes,
    is_encrypted_blob,
)
from gongkai.security.keys import key_ring


def file_aad(name: str) -> bytes:
    return b"gongkai-file\x00" + name.encode("utf-8")


def _replace(storage: Storage, name: str, blob: bytes) -> None:
    """Overwrite a stored file under the same name, never deleting it first: a crash
    part-way leaves the old file whole, never no file.

    On the local disk a temporary file of mode 600 is renamed over it (``os.replace``
    is atomic); on object storage (S3) one PUT of the same key replaces the object
    atomically. ``Storage._save`` is that write without ``get_available_name``, which
    would pick another name (the media storage has ``file_overwrite=False`` so that
    new files never overwrite) — and the encrypted content is bound to this name."""
    try:
        path = Path(storage.path(name))
    except NotImplementedError:
        saved = storage._save(name, ContentFile(blob))  # type: ignore[attr-defined]
        if saved != name:
            raise OSError(f"storage renamed {name!r}") from None
        return
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def store_private_file(upload: Any, *, folder: str, ext: str) -> str:
    """Encrypt ``upload`` into ``<folder>/<yyyy>/<mm>/<random>.<ext>`` of the default
    storage (mode 600 on disk: ``FILE_UPLOAD_PERMISSIONS``); return the name to put
    into the ``FileField``."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    month = timezone.localdate().strftime("%Y/%m")
    while True:
        name = f"{folder}/{month}/{secrets.token_hex(12)}.{ext}"
        blob = encrypt_bytes(key_ring(), data, file_aad(name))
        saved = default_storage.save(name, ContentFile(blob))
        if saved == name:  # the associated data names the file: it must not be renamed
            return name
        default_storage.delete(saved)  # pragma: no cover - 96 random bits collided


def open_private_file(field_file: FieldFile) -> IO[bytes]:
    """The plaintext of a stored personal file. Call only after the access check."""
    name = field_file.name or ""
    with field_file.storage.open(name, "rb") as stored:
        blob = stored.read()
    if not is_encrypted_blob(blob):
        return io.BytesIO(blob)  # stored before encryption; the next rotation seals it
    return io.BytesIO(decrypt_bytes(key_ring(), blob, file_aad(name)))


def reencrypt_private_file(name: str, storage: Storage | None = None) -> bool:
    """Seal one stored file with the current key (plaintext ones too); True if rewritten."""
    storage = storage or default_storage
    if not storage.exists(name):
        return False
    with storage.open(name, "rb") as stored:
        blob = stored.read()
    ring = key_ring()
    if is_encrypted_blob(blob):
        if blob_key_id(blob) == ring.current:
            return False
        data = decrypt_bytes(ring, blob, file_aad(name))
    else:
        data = blob
    _replace(storage, name, encrypt_bytes(ring, data, file_aad(name)))
    return True


def seal_plain_file(name: str, storage: Storage | None = None) -> bool:
    """Encrypt one stored file written before encryption (same name, the current key);
    leave an encrypted or missing one alone. True if rewritten. For data migrations."""
    storage = storage or default_storage
    if not name or not storage.exists(name):
        return False
    with storage.open(name, "rb") as stored:
        blob = stored.read()
    if is_encrypted_blob(blob):
        return False
    _replace(storage, name, encrypt_bytes(key_ring(), blob, file_aad(name)))
    return True
