"""Issue 23 §4: deployments sharing a Redis never mix — cache, sessions and rate
limits under the deployment's prefix, the rq queue in a database of its own that a
second deployment refuses to use."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import redis

from gongkai.ops.redisclaim import CLAIM_KEY
from gongkai.ops.tests.redis_db import take_test_redis

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import django; django.setup(); from django.conf import settings as s;"
    "print(s.CACHES['default']['KEY_PREFIX'], s.RQ_QUEUES['default']['URL'])"
)


def _env(tmp_path: Path, database: str, url: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GONGKAI_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / database}",
        REDIS_URL=url,
        GONGKAI_TASKS_BACKEND="rq",
        GONGKAI_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_second_deployment_cannot_share_the_rq_database(tmp_path: Path) -> None:
    url = take_test_redis()
    # An empty GONGKAI_CACHE_PREFIX (as in .env.example) still means a prefix.
    first = _run(_env(tmp_path, "staging.sqlite3", url, GONGKAI_CACHE_PREFIX=""))
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["gk:staging.sqlite3", url]
    assert redis.Redis.from_url(url).get(CLAIM_KEY) == b"gk:staging.sqlite3"
    # The same deployment starting again (another worker, a restart): accepted.
    assert _run(_env(tmp_path, "staging.sqlite3", url)).returncode == 0
    # Another deployment on the same Redis database: refused, in Chinese, naming both.
    other = _run(_env(tmp_path, "production.sqlite3", url))
    assert other.returncode != 0
    assert "已被另一个部署（gk:staging.sqlite3）的任务队列使用" in other.stderr
    assert "GONGKAI_RQ_REDIS_URL" in other.stderr
