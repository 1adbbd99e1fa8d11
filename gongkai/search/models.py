from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    """One searchable thing (a publication, an attachment's text, a report…).

    The bigram index lives beside it: an FTS5 table ``search_fts`` (rowid = id) on
    SQLite, a ``tsv`` tsvector column with a GIN index on PostgreSQL (migration 0002).
    """

    kind = models.CharField(max_length=30)
    object_id = models.CharField(max_length=64)
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    category = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="search_doc_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["organisation", "published_on"], name="search_org_date"
            )
        ]

    def __str__(self) -> str:
        return self.title
