"""Issue 18, F6: the embedded profile's keys are random, per installation, mode 600;
production refuses to start without its own."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PUBLIC_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"  # the constant in the public source
# What earlier versions derived the field key from: anyone with the source had it.
PUBLIC_FIELD_KEY = hashlib.sha256(
    b"gongkai-field-key:" + PUBLIC_DEV_SECRET.encode()
).digest()

SHOW = (
    "import django, json, base64; django.setup();"
    "from django.conf import settings as s;"
    "from gongkai.security.keys import key_ring;"
    "r = key_ring();"
    "print(json.dumps({'secret': s.SECRET_KEY, 'audit': s.AUDIT_HMAC_KEY,"
    " 'field': {k: base64.b64encode(v).decode() for k, v in r.keys.items()},"
    " 'current': r.current}))"
)


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONGKAI_") and k not in ("DATABASE_URL",)
    }
    env.update(
        GONGKAI_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
        **extra,
    )
    return env


def _start(var_dir: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=_env(var_dir, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _keys(var_dir: Path) -> dict:
    result = _start(var_dir)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_two_fresh_installations_get_different_random_keys(tmp_path):
    one, two = _keys(tmp_path / "one"), _keys(tmp_path / "two")
    assert one["secret"] != two["secret"] and one["audit"] != two["audit"]
    assert one["field"] != two["field"]
    for keys in (one, two):
        assert keys["secret"] != PUBLIC_DEV_SECRET
        assert PUBLIC_DEV_SECRET not in keys["audit"]
        assert keys["audit"] != keys["secret"]
        stored = [base64.b64decode(v) for v in keys["field"].values()]
        assert PUBLIC_FIELD_KEY not in stored and PUBLIC_FIELD_KEY[:16] not in stored
        assert all(len(k) == 32 for k in stored)


def test_the_key_file_is_mode_600_and_reused_on_later_starts(tmp_path):
    first = _keys(tmp_path)
    path = tmp_path / "keys.env"
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text(encoding="utf-8")
    assert first["secret"] in text and first["audit"] in text
    assert _keys(tmp_path) == first  # same keys: the data stays readable
    path.chmod(0o644)
    assert _keys(tmp_path) == first
    assert path.stat().st_mode & 0o777 == 0o600


def test_production_refuses_to_start_without_its_own_keys(tmp_path):
    base = {
        "GONGKAI_PRODUCTION": "true",
        "GONGKAI_SECRET_KEY": "s" * 60,
        "GONGKAI_ALLOWED_HOSTS": "gk.example.gov.cn",
    }
    field = "k1:" + base64.b64encode(os.urandom(32)).decode()
    no_field = _start(tmp_path, **base, GONGKAI_AUDIT_KEY="a" * 40)
    assert no_field.returncode != 0 and "GONGKAI_FIELD_KEYS" in no_field.stderr
    no_audit = _start(tmp_path, **base, GONGKAI_FIELD_KEYS=field)
    assert no_audit.returncode != 0 and "GONGKAI_AUDIT_KEY" in no_audit.stderr
    same = _start(
        tmp_path, **base, GONGKAI_FIELD_KEYS=field, GONGKAI_AUDIT_KEY="s" * 60
    )
    assert same.returncode != 0 and "GONGKAI_AUDIT_KEY" in same.stderr
    good = _start(
        tmp_path, **base, GONGKAI_FIELD_KEYS=field, GONGKAI_AUDIT_KEY="a" * 40
    )
    assert good.returncode == 0, good.stderr
    assert not (tmp_path / "keys.env").exists()  # production never writes keys


def test_an_older_installation_keeps_reading_its_data(tmp_path):
    """A var/ with data written under the old development keys: the old field key
    stays in the ring for reading (rotation moves the data), the audit key stays."""
    with sqlite3.connect(tmp_path / "gongkai.sqlite3") as db:
        db.execute("CREATE TABLE audit_auditevent (id INTEGER PRIMARY KEY)")
        db.execute("INSERT INTO audit_auditevent VALUES (1)")
    keys = _keys(tmp_path)
    assert keys["current"] == "local"
    assert base64.b64decode(keys["field"]["dev"]) == PUBLIC_FIELD_KEY
    assert base64.b64decode(keys["field"]["local"]) != PUBLIC_FIELD_KEY
    assert keys["audit"] == PUBLIC_DEV_SECRET
