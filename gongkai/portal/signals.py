"""Keep the search index in step with publications (loosely coupled: signals)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import strip_tags

from gongkai.publishing.models import Publication
from gongkai.search.services import search_index, search_remove

KIND = "publication"


def publication_index(publication: Publication) -> None:
    if (
        not publication.is_live
        or publication.attribute != Publication.Attribute.PROACTIVE
    ):
        search_remove(kind=KIND, object_id=publication.pk)
        return
    published = publication.published_at.date() if publication.published_at else None
    search_index(
        kind=KIND,
        object_id=publication.pk,
        organisation=publication.organisation,
        title=publication.title,
        body=strip_tags(publication.body or ""),
        url=f"/gk/{publication.organisation_id}/publications/{publication.pk}/",
        published_on=published,
        category=publication.topic,
    )


@receiver(post_save, sender=Publication)
def _on_publication_saved(sender: Any, instance: Publication, **kwargs: Any) -> None:
    publication_index(instance)


@receiver(post_delete, sender=Publication)
def _on_publication_deleted(sender: Any, instance: Publication, **kwargs: Any) -> None:
    search_remove(kind=KIND, object_id=instance.pk)
