"""Background tasks (django-tasks): drain the channel outbox, publish scheduled items."""

from __future__ import annotations

from django_tasks import task

from gongkai.publishing.channels import outbox_send
from gongkai.publishing.services import publication_publish_due


@task()
def send_channel_outbox_task(limit: int = 200) -> dict[str, int]:
    return outbox_send(limit=limit)


@task()
def publish_scheduled_task() -> int:
    return publication_publish_due()
