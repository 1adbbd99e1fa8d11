"""Issue 23, requirement 6: media on S3-compatible object storage (django-storages),
against a real S3 server on 127.0.0.1 (moto in server mode): the settings, personal
files encrypted in the bucket, and backup/restore of the bucket's objects.

Every check reads the bucket with its own boto3 client, not through the storage
under test."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

boto3 = pytest.importorskip("boto3", reason="boto3 is not installed")
moto_server = pytest.importorskip(
    "moto.server", reason="moto[s3] with flask is not installed"
)

ROOT = Path(__file__).resolve().parents[3]
ACCESS, SECRET, REGION = "gongkai-test", "gongkai-test-secret", "us-east-1"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(
        ip_address="127.0.0.1", port=0, verbose=False
    )
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS,
        aws_secret_access_key=SECRET,
        region_name=REGION,
    )


@pytest.fixture
def bucket(s3_endpoint: str) -> str:
    name = f"gongkai-{uuid.uuid4().hex[:12]}"
    _client(s3_endpoint).create_bucket(Bucket=name)
    return name


def _objects(endpoint: str, bucket: str) -> dict[str, bytes]:
    client = _client(endpoint)
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        o["Key"]: client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
        for o in listed
    }


@pytest.fixture
def s3_media(settings, s3_endpoint: str, bucket: str) -> str:
    """The default storage on the test bucket, under the prefix "deploy-a"."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_endpoint,
                "access_key": ACCESS,
                "secret_key": SECRET,
                "region_name": REGION,
                "addressing_style": "path",
                "location": "deploy-a",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    return bucket


def test_the_settings_put_media_in_the_bucket_named_in_the_environment(
    tmp_path, s3_endpoint, bucket
):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(
        GONGKAI_VAR_DIR=str(tmp_path),
        GONGKAI_S3_BUCKET=bucket,
        GONGKAI_S3_ENDPOINT=s3_endpoint,
        GONGKAI_S3_ACCESS_KEY=ACCESS,
        GONGKAI_S3_SECRET_KEY=SECRET,
        GONGKAI_S3_REGION=REGION,
        GONGKAI_S3_ADDRESSING_STYLE="path",
        GONGKAI_S3_PREFIX="/deploy-b/",
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
    )
    script = (
        "import django; django.setup();"
        "from django.core.files.storage import default_storage;"
        "from django.core.files.base import ContentFile;"
        "print(default_storage.save('probe/hello.txt', ContentFile(b'hello')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "probe/hello.txt"
    assert _objects(s3_endpoint, bucket) == {"deploy-b/probe/hello.txt": b"hello"}


def test_personal_files_are_only_ciphertext_in_the_bucket(s3_media, s3_endpoint):
    from django.core.files.storage import default_storage

    from gongkai.core.crypto import is_encrypted_blob
    from gongkai.security.files import open_private_file, store_private_file

    secret = "申请人身份证号 110101199003071234".encode()
    name = store_private_file(ContentFile(secret), folder="requests", ext="pdf")
    stored = _objects(s3_endpoint, s3_media)
    assert list(stored) == [f"deploy-a/{name}"]
    blob = stored[f"deploy-a/{name}"]
    assert is_encrypted_blob(blob)
    assert secret not in blob and b"110101199003071234" not in blob

    class _Field:  # what open_private_file reads of a FieldFile
        def __init__(self) -> None:
            self.name = name
            self.storage = default_storage

    assert open_private_file(_Field()).read() == secret  # type: ignore[arg-type]


# The SQLite online backup cannot read a database inside an open test transaction.
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_cover_the_media_in_the_bucket(
    s3_media, s3_endpoint, tmp_path
):
    from django.core.files.storage import default_storage

    from gongkai.security.backup import live_media, read_manifest, restore_media
    from gongkai.security.files import store_private_file

    private = store_private_file(
        ContentFile("身份证明".encode()), folder="requests", ext="pdf"
    )
    default_storage.save("publishing/2026/notice.pdf", ContentFile(b"%PDF-1.4 notice"))
    before = _objects(s3_endpoint, s3_media)
    assert set(before) == {f"deploy-a/{private}", "deploy-a/publishing/2026/notice.pdf"}

    call_command("backup", "--output", str(tmp_path))
    (folder,) = [p for p in tmp_path.iterdir() if p.name.startswith("gongkai-")]
    manifest = read_manifest(folder)
    assert manifest["media"] == {
        key.removeprefix("deploy-a/"): hashlib.sha256(data).hexdigest()
        for key, data in before.items()
    }
    with tarfile.open(folder / "media.tar.gz") as tar:
        archived = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    assert archived == {k.removeprefix("deploy-a/"): v for k, v in before.items()}

    # Disaster: one object changed, one lost, one stray object appeared.
    client = _client(s3_endpoint)
    client.put_object(
        Bucket=s3_media, Key="deploy-a/publishing/2026/notice.pdf", Body=b"tampered"
    )
    client.delete_object(Bucket=s3_media, Key=f"deploy-a/{private}")
    client.put_object(Bucket=s3_media, Key="deploy-a/stray.txt", Body=b"stray")
    assert live_media() != manifest["media"]

    restore_media(folder / "media.tar.gz")
    assert _objects(s3_endpoint, s3_media) == before
    assert live_media() == manifest["media"]


def test_rewriting_a_personal_file_never_deletes_it_first(
    s3_media, s3_endpoint, monkeypatch
):
    """Sealing (or re-encrypting) an object writes the same key with one PUT; if the
    write fails the old object is still there — it is not deleted beforehand."""
    from django.core.files.storage import default_storage, storages

    from gongkai.core.crypto import is_encrypted_blob
    from gongkai.security.files import seal_plain_file

    name = "requests/2026/09/plain.pdf"
    assert default_storage.save(name, ContentFile(b"plain original")) == name
    key = f"deploy-a/{name}"

    def crash(*args, **kwargs):
        raise ConnectionError("the connection to the object store dropped")

    with monkeypatch.context() as patched:
        patched.setattr(type(storages["default"]), "_save", crash)
        with pytest.raises(ConnectionError):
            seal_plain_file(name)
    assert _objects(s3_endpoint, s3_media) == {key: b"plain original"}

    assert seal_plain_file(name) is True
    stored = _objects(s3_endpoint, s3_media)
    assert list(stored) == [key]  # the same key, no renamed copy
    assert is_encrypted_blob(stored[key])
