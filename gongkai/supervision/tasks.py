from __future__ import annotations

from django_tasks import task

from gongkai.supervision.services import import_batch_process


@task()
def process_import_batch(batch_id: int) -> None:
    """Parse a batch of uploaded reports in the task worker (progress is per file)."""
    import_batch_process(batch_id)
