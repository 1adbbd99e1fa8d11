"""gunicorn settings of the scale profile (``gunicorn -c gongkai/config/gunicorn.py``).

Every knob comes from the environment, with defaults sized from the CPU count:
workers = 2 × CPUs + 1 (the gunicorn rule of thumb), a few threads each so a slow
client or a database round-trip does not hold a whole process. Logs go to stdout
and stderr, for systemd's journal or a container runtime.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


bind = os.environ.get(
    "GONGKAI_BIND",
    f"{os.environ.get('GONGKAI_HOST', '127.0.0.1')}:{os.environ.get('GONGKAI_PORT', '8000')}",
)
wsgi_app = "gongkai.config.wsgi:application"
workers = _int("GONGKAI_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GONGKAI_WEB_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"
# A request slower than this is killed and logged (report generation of a big
# subtree belongs in a task, not a request).
timeout = _int("GONGKAI_WEB_TIMEOUT", 60)
graceful_timeout = _int("GONGKAI_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GONGKAI_WEB_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = _int("GONGKAI_WEB_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GONGKAI_WEB_MAX_REQUESTS_JITTER", 500)
# Uploads are limited by nginx (client_max_body_size) and by Django; this caps headers.
limit_request_field_size = 8190
# Every request line nginx passes on (its 8 KB buffers; a longer one nginx refuses
# with a Chinese page, gongkai/ops/nginx.py): gunicorn's default 4094 would answer
# a line between the two with gunicorn's own English page.
limit_request_line = 8190
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GONGKAI_WEB_LOG_LEVEL", "info")
# nginx on the same host sets X-Forwarded-For / X-Real-IP / X-Forwarded-Proto; the
# address headers are believed only from GONGKAI_TRUSTED_PROXIES (docs/deploy.md).
forwarded_allow_ips = os.environ.get("GONGKAI_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "gongkai-web"
