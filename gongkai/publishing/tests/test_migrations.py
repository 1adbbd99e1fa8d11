from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_publishing_models_have_their_migrations() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "publishing", "--check", "--dry-run", stdout=out)
    except SystemExit as exc:  # --check exits non-zero when a migration is missing
        pytest.fail(f"missing publishing migration:\n{out.getvalue()} ({exc})")
