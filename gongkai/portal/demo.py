"""Last step of the demo: bring the search index in step with the demo's dates.

The demo back-dates what it published (``publishing.demo_history``,
``reports.demo_history``, ``engagement.demo``) with ``queryset.update()``, which sends
no ``post_save``; the index would keep the day the demo was loaded as each document's
date. Re-indexing (``search_reindex``) reads ``published_at`` again; a document keeps
its place in the index."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from gongkai.orgs.models import Organisation


def load(orgs: dict[str, Organisation]) -> None:
    call_command("search_reindex", stdout=StringIO())
