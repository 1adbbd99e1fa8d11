"""Background task (django-tasks): send the applicant's messages soon after a step."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from gongkai.inforequests.outbox import notices_send_due

log = logging.getLogger(__name__)


@task()
def send_applicant_notices_task(limit: int = 500) -> dict[str, int]:
    return notices_send_due(limit=limit).as_dict()


def drain_notices_soon(**kwargs: Any) -> None:
    """Receiver of ``notices.notices_queued``: queue a drain; a queue outage must not
    break the officer's step (``send_applicant_notices`` from cron is the backstop)."""
    try:
        send_applicant_notices_task.enqueue()
    except Exception:
        log.warning("could not enqueue send_applicant_notices_task", exc_info=True)
