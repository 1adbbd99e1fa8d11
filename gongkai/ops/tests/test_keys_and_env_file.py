"""Issue 23 §3: generate_keys writes the production keys (mode 600); production
refuses to start without each one; .env.example survives systemd's EnvironmentFile."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SHOW = (
    "import django, json; django.setup();"
    "from django.conf import settings as s;"
    "print(json.dumps({'var': str(s.VAR_DIR), 'backup': str(s.BACKUP_DIR),"
    " 'secret': s.SECRET_KEY, 'audit': s.AUDIT_HMAC_KEY, 'field': s.FIELD_KEYS,"
    " 'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS}))"
)


def systemd_environment_file(text: str) -> dict[str, str]:
    """Parse like systemd's EnvironmentFile= (systemd.exec(5)): lines starting with
    # or ; are comments; otherwise KEY=VALUE where the whole rest of the line is the
    value (a trailing "# …" stays part of it), enclosing quotes removed."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        name, sep, value = line.partition("=")
        assert sep, f"not KEY=VALUE: {raw!r}"
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def _clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONGKAI_")
        and k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }


def _run(
    env: dict[str, str], cwd: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **env,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings",
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_example_has_no_value_that_systemd_would_keep_a_comment_in() -> None:
    values = systemd_environment_file(
        (ROOT / ".env.example").read_text(encoding="utf-8")
    )
    assert len(values) > 40
    with_comment = {k: v for k, v in values.items() if "#" in v}
    assert with_comment == {}
    assert all(re.fullmatch(r"[A-Z_][A-Z0-9_]*", k) for k in values)


def test_settings_start_from_env_example_read_as_systemd_does(tmp_path: Path) -> None:
    values = systemd_environment_file(
        (ROOT / ".env.example").read_text(encoding="utf-8")
    )
    values["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = _run({**_clean_env(), **values}, tmp_path, "-c", SHOW)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    # The bug: GONGKAI_VAR_DIR=./var   # comment … made a directory named after the comment.
    assert shown["var"] == str((tmp_path / "var").resolve())
    assert shown["backup"] == str((tmp_path / "var" / "backups").resolve())


def _production(values: dict[str, str], tmp_path: Path) -> dict[str, str]:
    return {
        **_clean_env(),
        "GONGKAI_PRODUCTION": "true",
        "GONGKAI_ALLOWED_HOSTS": "gk.example.gov.cn",
        "GONGKAI_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **values,
    }


def test_generate_keys_writes_a_600_file_production_starts_with(tmp_path: Path) -> None:
    target = tmp_path / "keys.env"
    made = _run(
        _clean_env() | {"GONGKAI_VAR_DIR": str(tmp_path / "dev")},
        tmp_path,
        str(ROOT / "manage.py"),
        "generate_keys",
        "--output",
        str(target),
    )
    assert made.returncode == 0, made.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    keys = systemd_environment_file(target.read_text(encoding="utf-8"))
    assert set(keys) == {
        "GONGKAI_SECRET_KEY",
        "GONGKAI_FIELD_KEYS",
        "GONGKAI_AUDIT_KEY",
    }
    started = _run(_production(keys, tmp_path), tmp_path, "-c", SHOW)
    assert started.returncode == 0, started.stderr
    shown = json.loads(started.stdout.strip().splitlines()[-1])
    assert (shown["secret"], shown["audit"], shown["field"]) == (
        keys["GONGKAI_SECRET_KEY"],
        keys["GONGKAI_AUDIT_KEY"],
        keys["GONGKAI_FIELD_KEYS"],
    )
    # Never over an existing file: that would make the encrypted data unreadable.
    again = _run(
        _clean_env() | {"GONGKAI_VAR_DIR": str(tmp_path / "dev")},
        tmp_path,
        str(ROOT / "manage.py"),
        "generate_keys",
        "--output",
        str(target),
    )
    assert again.returncode != 0
    assert "已存在，未覆盖" in again.stderr
    assert systemd_environment_file(target.read_text(encoding="utf-8")) == keys


def test_production_refuses_to_start_without_each_key(tmp_path: Path) -> None:
    target = tmp_path / "keys.env"
    _run(
        _clean_env() | {"GONGKAI_VAR_DIR": str(tmp_path / "dev")},
        tmp_path,
        str(ROOT / "manage.py"),
        "generate_keys",
        "-o",
        str(target),
    )
    keys = systemd_environment_file(target.read_text(encoding="utf-8"))
    for name in keys:
        missing = {k: v for k, v in keys.items() if k != name}
        result = _run(_production(missing, tmp_path), tmp_path, "-c", SHOW)
        assert result.returncode != 0, name
        assert name in result.stderr
    # The placeholder of earlier .env.example versions: not Base64 of 32 bytes.
    placeholder = keys | {"GONGKAI_FIELD_KEYS": "k2026:REPLACE_WITH_BASE64_32_BYTE_KEY"}
    result = _run(_production(placeholder, tmp_path), tmp_path, "-c", SHOW)
    assert result.returncode != 0
    assert "GONGKAI_FIELD_KEYS" in result.stderr
