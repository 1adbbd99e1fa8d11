"""Bad settings fail at start-up with a clear Chinese message naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONGKAI_") and k != "DATABASE_URL"
    }
    full_env.update({"GONGKAI_VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"GONGKAI_PRODUCTION": "true"}, "GONGKAI_SECRET_KEY"),
        (
            {"GONGKAI_PRODUCTION": "true", "GONGKAI_SECRET_KEY": "x" * 60},
            "GONGKAI_ALLOWED_HOSTS",
        ),
        ({"GONGKAI_DEBUG": "maybe"}, "GONGKAI_DEBUG"),
        ({"GONGKAI_SESSION_IDLE_MINUTES": "abc"}, "GONGKAI_SESSION_IDLE_MINUTES"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "不支持的数据库"),
        ({"GONGKAI_SECRET_KEY_FILE": "/nonexistent/secret"}, "无法读取"),
    ],
)
def test_bad_settings_fail_with_a_clear_message(tmp_path, env, expected):
    result = run_check(tmp_path, **env)
    assert result.returncode != 0
    assert expected in result.stderr


def test_good_default_settings_pass_the_check(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stderr
