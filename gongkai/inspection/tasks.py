"""A run started on the screen (立即自查) goes to the task worker: checking every link
of a whole subtree does not fit in a web request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from gongkai.inspection.services import inspection_run
from gongkai.orgs.models import Organisation


@task()
def run_inspection_task(organisation_id: int, user_id: int, below: bool) -> int | None:
    """Run as the user who asked (their scope decides the bodies); the run appears on
    the dashboard when it is done. Returns the run's id (None: the user or the body
    is gone)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    org = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
    if user is None or org is None:
        return None
    return inspection_run(actor=user, organisation=org, below=below).pk
