"""Last step of the demo: bring the search index in step with the demo's dates, in
their order.

The demo back-dates what it published (``publishing.demo``,
``publishing.demo_history``, ``reports.demo_history``, ``engagement.demo``) with
``queryset.update()``, which sends no ``post_save``, and it publishes in the order of
its loaders, not of those dates (this month's items first, the history of 2021–2026
after them). Search answers newest first by the order of the index ("按收录时间从新到
旧", docs/architecture.md "Search at any size"), so the demo's documents are taken out
of the index and put back oldest first: each is indexed with its back-dated day, and
the results read newest first by date, as on a site that published them over the
years. What is published after the demo comes after them, as on any site."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gongkai.orgs.models import Organisation
from gongkai.portal.signals import publication_index, report_index
from gongkai.publishing.models import Publication
from gongkai.reports.models import AnnualReport
from gongkai.search.models import SearchDocument
from gongkai.search.services import search_remove


def load(orgs: dict[str, Organisation]) -> None:
    documents: list[tuple[datetime, int, Any]] = []
    for pub in Publication.objects.select_related("organisation"):
        documents.append((_when(pub.published_at), 0, pub))
    for report in AnnualReport.objects.select_related("organisation"):
        documents.append((_when(report.published_at), 1, report))
    for kind, object_id in SearchDocument.objects.values_list("kind", "object_id"):
        search_remove(kind=kind, object_id=object_id)
    for _, which, obj in sorted(documents, key=lambda d: (d[0], d[1], d[2].pk)):
        (report_index if which else publication_index)(obj)


def _when(at: datetime | None) -> datetime:
    """Never published (so not indexed): last, in any order."""
    return at if at is not None else datetime.max.replace(tzinfo=UTC)
