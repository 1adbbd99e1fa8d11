"""Backups and restores: the database (SQLite online backup API, or pg_dump custom
format inside one exported snapshot) plus the private media folder, with a manifest
of row counts, per-table content digests and SHA-256 checksums, so a restore can be
proved identical to what was backed up.

Layout of a backup directory::

    gongkai-20261125-203000/
        manifest.json      engine, created, tables {name: {rows, sha256}}, files, media
        db.sqlite3 | db.pgdump
        media.tar.gz

Media are read through Django's default storage: the ``MEDIA_ROOT`` folder on this
machine, or the S3-compatible bucket when ``GONGKAI_S3_BUCKET`` is set (every object
under the deployment's prefix is copied into ``media.tar.gz``, and a restore puts the
bucket back to exactly those objects).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore problem, explained in Chinese."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ------------------------------------------------------------------ table digests


def _tables(cursor: Any) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def table_fingerprints(cursor: Any) -> dict[str, dict[str, Any]]:
    """Row count and a content digest of every table, read through ``cursor``."""
    out: dict[str, dict[str, Any]] = {}
    quote = connection.ops.quote_name
    for table in _tables(cursor):
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608  # table names from the models; no user input
        digest = hashlib.sha256()
        rows = 0
        while True:
            batch = cursor.fetchmany(1000)
            if not batch:
                break
            for row in batch:
                digest.update(repr(tuple(_norm(v) for v in row)).encode("utf-8"))
                rows += 1
        out[table] = {"rows": rows, "sha256": digest.hexdigest()}
    return out


def _norm(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _sqlite_fingerprints(path: Path | str) -> dict[str, dict[str, Any]]:
    name = str(path)
    db = sqlite3.connect(name, uri=name.startswith("file:"))
    try:
        out: dict[str, dict[str, Any]] = {}
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table in names:
            digest = hashlib.sha256()
            rows = 0
            for row in db.execute(f'SELECT * FROM "{table}" ORDER BY 1'):  # noqa: S608  # table names from the models; no user input
                digest.update(repr(tuple(_norm(v) for v in row)).encode("utf-8"))
                rows += 1
            out[table] = {"rows": rows, "sha256": digest.hexdigest()}
        return out
    finally:
        db.close()


# ------------------------------------------------------------------------- media


def media_files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): sha256_file(p)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _tar_media(root: Path, target: Path) -> None:
    with tarfile.open(target, "w:gz") as tar:
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(root)))


def _local_media_root() -> Path | None:
    """MEDIA_ROOT when the default storage is this machine's disk; None for an
    object store (S3-compatible), which has no local path."""
    try:
        default_storage.path("")
    except NotImplementedError:
        return None
    return Path(settings.MEDIA_ROOT)


def storage_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file name in ``storage`` (recursively), sorted."""
    dirs, files = storage.listdir(folder)
    names = [f"{folder}/{f}" if folder else f for f in files]
    for d in dirs:
        names.extend(storage_names(storage, f"{folder}/{d}" if folder else d))
    return sorted(names)


def _storage_media(storage: Storage, tar: tarfile.TarFile | None) -> dict[str, str]:
    """SHA-256 of every stored file; each file also goes into ``tar`` when given
    (one read: the manifest describes exactly the bytes archived)."""
    out: dict[str, str] = {}
    for name in storage_names(storage):
        with storage.open(name, "rb") as fh:
            data = fh.read()
        out[name] = hashlib.sha256(data).hexdigest()
        if tar is not None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
    return out


def media_snapshot(target: Path) -> dict[str, str]:
    """Archive every media file into ``target`` (tar.gz); return their checksums."""
    root = _local_media_root()
    if root is not None:
        media = media_files(root)
        _tar_media(root, target)
        return media
    try:
        with tarfile.open(target, "w:gz") as tar:
            return _storage_media(default_storage, tar)
    except OSError:
        raise
    except Exception as exc:  # the object store's client errors (botocore …)
        raise BackupError(f"无法读取对象存储中的附件：{exc}") from exc


def live_media() -> dict[str, str]:
    """Checksums of the media as they are now (disk or object storage)."""
    root = _local_media_root()
    if root is not None:
        return media_files(root)
    return _storage_media(default_storage, None)


def restore_media(archive: Path) -> None:
    """Put the media back to exactly the archive's files."""
    root = _local_media_root()
    if root is not None:
        _restore_media(archive, root)
    else:
        _restore_storage_media(archive, default_storage)


# ---------------------------------------------------------------------- backup


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any] = field(default_factory=dict)


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args() -> list[str]:
    db = settings.DATABASES["default"]
    args = ["-d", str(db["NAME"])]
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def backup_create(target_dir: Path | None = None) -> BackupResult:
    base = Path(target_dir or settings.BACKUP_DIR)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = base / f"gongkai-{stamp}"
    n = 1
    while folder.exists():
        n += 1
        folder = base / f"gongkai-{stamp}-{n}"
    tmp = Path(tempfile.mkdtemp(prefix=".incomplete-", dir=_ensure(base)))
    try:
        engine = connection.vendor
        if engine == "sqlite":
            db_file = tmp / "db.sqlite3"
            connection.ensure_connection()
            dest = sqlite3.connect(db_file)
            try:
                connection.connection.backup(dest)  # online: writers keep going
            finally:
                dest.close()
            tables = _sqlite_fingerprints(db_file)
        elif engine == "postgresql":
            db_file = tmp / "db.pgdump"
            tables = _pg_dump_in_snapshot(db_file)
        else:  # pragma: no cover - settings refuse other engines
            raise BackupError(f"不支持的数据库：{engine}")
        media = media_snapshot(tmp / "media.tar.gz")
        manifest = {
            "format": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "django": django.get_version(),
            "tables": tables,
            "files": {
                name: {
                    "sha256": sha256_file(tmp / name),
                    "size": (tmp / name).stat().st_size,
                }
                for name in (db_file.name, "media.tar.gz")
            },
            "media": media,
        }
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True),
            encoding="utf-8",
        )
        tmp.rename(folder)  # appears only when complete
    except (OSError, sqlite3.OperationalError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if getattr(exc, "errno", None) == 28 or "disk is full" in str(exc):
            raise BackupError(
                f"备份目录 {base} 所在磁盘空间不足，备份未完成（未留下不完整的备份）。"
                "请清理空间或改用其他目录（--output）后重试。"
            ) from exc
        raise BackupError(f"备份失败：{exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BackupResult(folder, manifest)


def _ensure(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建备份目录 {path}：{exc.strerror}") from exc
    return path


def _pg_dump_in_snapshot(target: Path) -> dict[str, dict[str, Any]]:
    """pg_dump and the row counts read the same exported snapshot."""
    conn = connections.create_connection("default")
    try:
        conn.ensure_connection()
        raw = conn.connection
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = table_fingerprints(cursor)
            result = subprocess.run(  # noqa: S603  # fixed argument list, no shell
                [  # noqa: S607  # pg_dump of the operator's PATH
                    "pg_dump",
                    "-Fc",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(target),
                    *_pg_args(),
                ],
                env=_pg_env(),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
        raw.rollback()
        return tables
    except FileNotFoundError as exc:
        raise BackupError(
            "找不到 pg_dump：请安装与服务器版本一致的 PostgreSQL 客户端。"
        ) from exc
    finally:
        conn.close()


# ---------------------------------------------------------------------- verify


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} 不是完整的备份：缺少 {MANIFEST}。") from None
    except ValueError as exc:
        raise BackupError(f"{path} 已损坏：{exc}") from exc
    return manifest


def backup_verify(folder: Path) -> dict[str, Any]:
    """Check every file against the manifest's SHA-256 (before any restore)."""
    manifest = read_manifest(folder)
    for name, meta in manifest["files"].items():
        path = Path(folder) / name
        if not path.exists():
            raise BackupError(f"备份缺少文件 {name}。")
        if sha256_file(path) != meta["sha256"]:
            raise BackupError(f"备份文件 {name} 的校验和不符：文件已损坏或被改动。")
    return manifest


# ---------------------------------------------------------------------- restore


@dataclass
class RestoreReport:
    tables: int
    rows: int
    media_files: int
    problems: list[str]


@contextmanager
def _closed_connections() -> Iterator[None]:
    for conn in connections.all():
        conn.close()
    yield
    for conn in connections.all():
        conn.close()


def backup_restore(folder: Path) -> RestoreReport:
    """Replace the database and media with the backup, then prove they match it."""
    folder = Path(folder)
    manifest = backup_verify(folder)
    engine = connection.vendor
    if manifest["engine"] != engine:
        raise BackupError(
            f"备份来自 {manifest['engine']} 数据库，当前是 {engine}：请用相同类型的数据库恢复。"
        )
    with _closed_connections():
        if engine == "sqlite":
            connection.ensure_connection()
            src = sqlite3.connect(folder / "db.sqlite3")
            try:
                src.backup(connection.connection)
            finally:
                src.close()
        else:
            result = subprocess.run(  # noqa: S603  # fixed argument list, no shell
                [  # noqa: S607  # psql of the operator's PATH
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *_pg_args(),
                    str(folder / "db.pgdump"),
                ],
                env=_pg_env(),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore 失败：{result.stderr.strip()[:2000]}")
    restore_media(folder / "media.tar.gz")
    return restore_check(manifest)


def _restore_media(archive: Path, root: Path) -> None:
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=_ensure(root.parent)))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")  # refuses absolute paths and ../
        old = root.with_name(root.name + ".before-restore")
        if old.exists():
            shutil.rmtree(old)
        if root.exists():
            root.rename(old)
        staging.rename(root)
        if old.exists():
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _restore_storage_media(archive: Path, storage: Storage) -> None:
    """Object storage: unpack to a staging folder first (a broken archive changes
    nothing), then delete the objects the backup does not have and write back each
    file under its own name. Not atomic: keep versioning on the bucket."""
    staging = Path(tempfile.mkdtemp(prefix=".restore-media-"))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(staging, filter="data")  # refuses absolute paths and ../
        wanted = {
            str(p.relative_to(staging)): p for p in staging.rglob("*") if p.is_file()
        }
        for name in storage_names(storage):
            if name not in wanted:
                storage.delete(name)
        for name, path in sorted(wanted.items()):
            if storage.exists(name):
                storage.delete(name)
            with path.open("rb") as fh:
                saved = storage.save(name, File(fh, name=name))
            if saved != name:
                raise BackupError(f"对象存储把附件 {name} 存成了 {saved}，恢复未完成。")
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def restore_check(manifest: dict[str, Any]) -> RestoreReport:
    """Compare the live database and media with a manifest (counts and checksums)."""
    problems: list[str] = []
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        live = _sqlite_fingerprints(connection.settings_dict["NAME"])
    else:
        with connection.cursor() as cursor:
            live = table_fingerprints(cursor)
    expected = manifest["tables"]
    for table, meta in sorted(expected.items()):
        got = live.get(table)
        if got is None:
            problems.append(f"表 {table} 在恢复后不存在。")
        elif got["rows"] != meta["rows"]:
            problems.append(
                f"表 {table} 行数不符：备份 {meta['rows']}，恢复后 {got['rows']}。"
            )
        elif got["sha256"] != meta["sha256"]:
            problems.append(f"表 {table} 内容校验和不符。")
    media = live_media()
    if media != manifest["media"]:
        missing = set(manifest["media"]) - set(media)
        changed = {
            k
            for k in manifest["media"]
            if k in media and media[k] != manifest["media"][k]
        }
        extra = set(media) - set(manifest["media"])
        problems.append(
            f"附件文件不符：缺少 {len(missing)} 个，校验和不同 {len(changed)} 个，多出 {len(extra)} 个。"
        )
    return RestoreReport(
        tables=len(expected),
        rows=sum(m["rows"] for m in expected.values()),
        media_files=len(media),
        problems=problems,
    )
