"""Background tasks (django-tasks): drain the channel outbox, publish scheduled items."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from gongkai.publishing.channels import outbox_send
from gongkai.publishing.services import publication_publish_due


@task()
def send_channel_outbox_task(limit: int = 200) -> dict[str, int]:
    return outbox_send(limit=limit)


@task()
def publish_scheduled_task() -> int:
    return publication_publish_due()


log = logging.getLogger(__name__)


def drain_outbox_soon(**kwargs: Any) -> None:
    """Receiver of ``signals.outbox_filled``: queue a drain; a queue outage must not
    break publishing (the cron command is the backstop)."""
    try:
        send_channel_outbox_task.enqueue()
    except Exception:
        log.warning("could not enqueue send_channel_outbox_task", exc_info=True)
