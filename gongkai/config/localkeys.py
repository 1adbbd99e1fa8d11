"""Random keys for the embedded profile, created on first start in ``var/keys.env``.

Outside production nobody should have to configure keys for ``make run``, but the
keys must not be derivable from anything public either (issue 18, F6: the field
and audit keys used to derive from the development ``SECRET_KEY`` in the source).
So the first start writes ``GONGKAI_VAR_DIR/keys.env`` — mode 600, in the
``KEY=value`` form a shell can source — with a random secret key, field key and
audit key, and every later start reads the same file. Environment variables still
win. Production never uses this file: it refuses to start without its own keys.

An installation whose ``var/`` already holds a database from before this file
existed keeps reading it: the old development field key stays in the ring as a
second (read-only) key, so ``manage.py rotate_field_keys`` moves the data to the
new random key, and the audit key stays the old one, because a new key would make
``audit_verify`` report every earlier audit row as forged. Start from an empty
``var/`` to leave the public constant behind entirely.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILE_NAME = "keys.env"
NAMES = ("GONGKAI_SECRET_KEY", "GONGKAI_FIELD_KEYS", "GONGKAI_AUDIT_KEY")


def _legacy_field_key(dev_secret: str) -> str:
    # How earlier versions derived the development field key (gongkai/security/keys.py).
    derived = hashlib.sha256(b"gongkai-field-key:" + dev_secret.encode()).digest()
    return "dev:" + base64.b64encode(derived[:32]).decode()


def _holds_data(database: Path) -> bool:
    """Whether an earlier version already wrote audit rows or applications there
    (then under the public development keys)."""
    if not database.is_file():
        return False
    try:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            tables = {
                name for (name,) in db.execute("SELECT name FROM sqlite_master")
            } & {"audit_auditevent", "inforequests_inforequest"}
            return any(
                db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()  # noqa: S608  # fixed names
                for table in sorted(tables)
            )
    except sqlite3.Error:
        return False


def new_keys(field_key_id: str = "local") -> dict[str, str]:
    """A fresh random secret key, field key (AES-256, id ``field_key_id``) and audit
    key, by ``NAMES`` (also what ``manage.py generate_keys`` writes for production)."""
    return {
        "GONGKAI_SECRET_KEY": secrets.token_urlsafe(64),
        "GONGKAI_FIELD_KEYS": f"{field_key_id}:"
        + base64.b64encode(os.urandom(32)).decode(),
        "GONGKAI_AUDIT_KEY": secrets.token_urlsafe(48),
    }


def write_new_file(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` with mode 600, never over an existing file (False then).

    Written under a temporary name and linked into place: two processes writing at
    once end up with the same content, never half a file."""
    temporary = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    finally:
        temporary.unlink()


def _fresh(var_dir: Path, dev_secret: str, database: Path | None) -> dict[str, str]:
    values = new_keys()
    field = values["GONGKAI_FIELD_KEYS"]
    audit = values["GONGKAI_AUDIT_KEY"]
    if database is not None and _holds_data(database):
        field += "," + _legacy_field_key(dev_secret)
        audit = dev_secret
        print(  # once, at the first start after the upgrade
            f"注意：{database} 是按旧版公开开发密钥加密的数据；已生成随机密钥，"
            "旧密钥仅保留用于读取。请运行 manage.py rotate_field_keys，"
            "或清空 var/ 后重新 make run。",
            file=sys.stderr,
        )
    return {**values, "GONGKAI_FIELD_KEYS": field, "GONGKAI_AUDIT_KEY": audit}


def _read(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.startswith("#"):
            values[name.strip()] = value.strip()
    return values


def local_keys(
    var_dir: Path, *, dev_secret: str, database: Path | None = None
) -> dict[str, str]:
    """The keys in ``var_dir/keys.env``, created (mode 600) if it does not exist."""
    path = var_dir / FILE_NAME
    if not path.exists():
        values = _fresh(var_dir, dev_secret, database)
        text = (
            "# Gongkai 本机密钥（make run 首次启动时生成）。请备份，勿提交、勿外传。\n"
        )
        text += "".join(f"{n}={values[n]}\n" for n in NAMES)
        # Two processes starting at once (web and task worker): the second one
        # finds the first one's file and uses its keys.
        write_new_file(path, text)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # never readable by other accounts
    values = _read(path)
    missing = [n for n in NAMES if not values.get(n)]
    if missing:
        raise ImproperlyConfigured(
            f"{path} 缺少 {'、'.join(missing)}；删除该文件后重新启动会生成新的密钥"
            "（已加密的数据需要原来的密钥）。"
        )
    return values
