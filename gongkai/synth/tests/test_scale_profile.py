"""The scale profile's settings switch: the task queue in Redis (rq) end to end.

Runs manage.py in subprocesses (settings are read once per process) against a
throw-away SQLite file and the tests' Redis database (GONGKAI_TEST_REDIS_URL);
skipped when Redis is not running or that database holds other data.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.ops.tests.redis_db import take_test_redis

ROOT = Path(__file__).resolve().parents[3]


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_a_task_enqueued_on_the_rq_backend_is_run_by_an_rq_worker(
    tmp_path: Path,
) -> None:
    url = take_test_redis()  # GONGKAI_TEST_REDIS_URL, never someone else's database
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONGKAI_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'rq.sqlite3'}",
        REDIS_URL=url,
        GONGKAI_TASKS_BACKEND="rq",
        GONGKAI_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
    )
    assert _manage(env, "migrate", "--no-input", "-v0").returncode == 0
    enqueued = _manage(
        env,
        "shell",
        "-c",
        "from gongkai.publishing.tasks import publish_scheduled_task as t; "
        "print(t.enqueue().id)",
    )
    assert enqueued.returncode == 0, enqueued.stderr
    job_id = enqueued.stdout.strip().splitlines()[-1]
    worker = _manage(
        env, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default"
    )
    assert worker.returncode == 0, worker.stderr
    assert f"Job OK ({job_id})" in worker.stdout + worker.stderr


def test_the_rq_backend_without_redis_is_refused_in_chinese(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env.update(
        GONGKAI_TASKS_BACKEND="rq",
        GONGKAI_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    result = _manage(env, "check")
    assert result.returncode != 0
    assert "需要同时设置 REDIS_URL" in result.stderr
