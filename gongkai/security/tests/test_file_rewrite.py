"""Rewriting an encrypted personal file on the local disk (key rotation, sealing an
old plaintext file) replaces it atomically: a failure part-way leaves the old file
whole and no temporary file behind. The S3 case is in test_s3_media.py."""

from __future__ import annotations

import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from gongkai.core.crypto import is_encrypted_blob
from gongkai.security import files


def test_a_failed_rewrite_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("requests/2026/09/plain.pdf", ContentFile(b"plain original"))
    folder = tmp_path / "requests/2026/09"

    def crash(src, dst):
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(files.os, "replace", crash)
        with pytest.raises(OSError, match="disk full"):
            files.seal_plain_file(name, storage)
    assert sorted(os.listdir(folder)) == ["plain.pdf"]
    assert (folder / "plain.pdf").read_bytes() == b"plain original"

    assert files.seal_plain_file(name, storage) is True
    assert sorted(os.listdir(folder)) == ["plain.pdf"]
    assert is_encrypted_blob((folder / "plain.pdf").read_bytes())
