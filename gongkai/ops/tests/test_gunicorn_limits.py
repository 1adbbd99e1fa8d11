"""gunicorn, as configured (gongkai/config/gunicorn.py), passes on every request line
nginx does (8 KB buffers): a line between gunicorn's default 4094 bytes and that is
answered by the application, in Chinese, not by gunicorn's own English page."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="gunicorn on Linux")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_long_request_line_reaches_the_application(tmp_path):
    port = _free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        GONGKAI_BIND=f"127.0.0.1:{port}",
        GONGKAI_WEB_WORKERS="1",
        GONGKAI_WEB_THREADS="1",
        GONGKAI_WEB_LOG_LEVEL="warning",
        DJANGO_SETTINGS_MODULE="gongkai.config.settings",
    )
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen(  # fixed argument list, no shell
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(ROOT / "gongkai" / "config" / "gunicorn.py"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert proc.poll() is None, "gunicorn did not start"
            time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        # About 6 KB: past gunicorn's default limit, within nginx's buffers.
        conn.request("GET", "/no-such-page/?q=" + "%E6%B4%9B" * 700)
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert response.status == 404  # the application's answer, not gunicorn's 400
    assert "Request Line" not in body and "Bad Request" not in body
