"""Demo, last step: everything the earlier steps published is delivered to its
channels, as the outbox drain (every minute in production) would have done by now.
Idempotent: a second run finds nothing ready."""

from __future__ import annotations

from gongkai.orgs.models import Organisation
from gongkai.publishing.channels import outbox_send


def load(orgs: dict[str, Organisation]) -> None:
    for _ in range(100):  # 200 rows a call
        if not outbox_send()["sent"]:
            break
