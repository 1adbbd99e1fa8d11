"""One rq Redis database per deployment (issue 23 §4).

The first process of a deployment writes its name (``REDIS_PREFIX``) into the rq
database under ``CLAIM_KEY``; a process of another deployment finding a different
name there refuses to start, so no worker ever takes another deployment's jobs and
no web process ever queues jobs for another deployment's workers."""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CLAIM_KEY = "gongkai:deployment"
log = logging.getLogger(__name__)


def claim_rq_database(url: str, deployment: str) -> None:
    try:
        connection = redis.Redis.from_url(
            url, socket_connect_timeout=3, decode_responses=True
        )
        connection.set(CLAIM_KEY, deployment, nx=True)
        stored = connection.get(CLAIM_KEY)
        owner = None if stored is None else str(stored)
    except redis.RedisError:
        # Redis down: nothing can be queued or taken anyway; check at the next start.
        log.warning("could not check the owner of the rq Redis database", exc_info=True)
        return
    if owner is not None and owner != deployment:
        raise ImproperlyConfigured(
            f"Redis 数据库 {url} 已被另一个部署（{owner}）的任务队列使用，"
            f"本部署为 {deployment}。请设置 GONGKAI_RQ_REDIS_URL 指向本部署专用的 Redis "
            "数据库（例如 redis://…/3），否则任务会在另一个部署的数据库上运行。"
        )


def claim_for_this_deployment() -> None:
    if getattr(settings, "TASKS_BACKEND", "db") == "rq":
        claim_rq_database(settings.RQ_REDIS_URL, settings.REDIS_PREFIX)
