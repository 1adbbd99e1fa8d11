"""Backup and restore, end to end in a separate process on a scratch database:
back up, change everything, restore, and compare counts and checksums."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path: Path, database_url: str | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONGKAI_") and k != "DATABASE_URL"
    }
    env["GONGKAI_VAR_DIR"] = str(tmp_path / "var")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _manage(
    env: dict[str, str], *args: str, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


SHELL_CHANGE = """
from gongkai.orgs.models import Organisation
from pathlib import Path
from django.conf import settings
Organisation.objects.filter(pk=Organisation.objects.order_by('pk').first().pk).update(name='被改动的名称')
from gongkai.accounts.models import User
User.objects.create(username='created-after-backup')
media = Path(settings.MEDIA_ROOT)
(media / 'publishing' / 'attachment.pdf').write_bytes(b'%PDF-1.4 tampered')
(media / 'extra.txt').write_text('new file')
"""

SHELL_MEDIA = """
from pathlib import Path
from django.conf import settings
d = Path(settings.MEDIA_ROOT) / 'publishing'
d.mkdir(parents=True, exist_ok=True)
(d / 'attachment.pdf').write_bytes(b'%PDF-1.4 original attachment')
"""


def _drill(tmp_path: Path, env: dict[str, str]) -> None:
    _manage(env, "migrate", "--no-input")
    _manage(env, "load_demo", "--quiet-accounts")
    _manage(env, "shell", "-c", SHELL_MEDIA)
    out = _manage(env, "backup", "--output", str(tmp_path / "backups")).stdout
    folder = Path(out.strip().splitlines()[-1])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["orgs_organisation"]["rows"] >= 9
    assert manifest["media"]["publishing/attachment.pdf"]
    assert "已备份" in out

    _manage(env, "backup", "--verify", str(folder))
    _manage(env, "shell", "-c", SHELL_CHANGE)
    refused = _manage(env, "restore", str(folder), ok=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr

    restored = _manage(env, "restore", str(folder), "--yes")
    assert "行数和校验和与备份一致" in restored.stdout
    # Independent check after the restore: names and files are back.
    check = _manage(
        env,
        "shell",
        "-c",
        "from gongkai.orgs.models import Organisation;"
        "from pathlib import Path; from django.conf import settings;"
        "print(Organisation.objects.filter(name='被改动的名称').count(),"
        " (Path(settings.MEDIA_ROOT)/'extra.txt').exists(),"
        " __import__('gongkai.accounts.models').accounts.models.User.objects.filter(username='created-after-backup').count(),"
        " (Path(settings.MEDIA_ROOT)/'publishing'/'attachment.pdf').read_bytes())",
    )
    assert check.stdout.strip().splitlines()[-1].split()[:3] == ["0", "False", "0"]
    assert "original attachment" in check.stdout
    _manage(env, "audit_verify")

    # A corrupted backup is refused before anything is touched.
    db_file = next(p for p in folder.iterdir() if p.name.startswith("db."))
    with db_file.open("r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00corrupt\x00")
    broken = _manage(env, "restore", str(folder), "--yes", ok=False)
    assert "校验和不符" in broken.stderr


@pytest.mark.slow  # runs once, in CI's SQLite pass
def test_backup_and_restore_on_sqlite(tmp_path):
    _drill(tmp_path, _env(tmp_path))


@pytest.mark.reads_database_url
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL drill runs when DATABASE_URL points at PostgreSQL",
)
def test_backup_and_restore_on_postgresql(tmp_path):
    name = f"gongkai_restore_{uuid.uuid4().hex[:8]}"
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        _drill(tmp_path, _env(tmp_path, f"{base}/{name}"))
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
