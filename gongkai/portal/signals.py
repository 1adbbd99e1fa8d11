"""Keep the search index in step with publications and published annual reports
(loosely coupled: signals)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.html import strip_tags

from gongkai.publishing.models import Publication
from gongkai.reports.models import AnnualReport
from gongkai.reports.outputs import report_article_html
from gongkai.search.services import search_index, search_remove

KIND = "publication"
REPORT_KIND = "report"


def publication_index(publication: Publication) -> None:
    if (
        not publication.is_live
        or publication.attribute != Publication.Attribute.PROACTIVE
    ):
        search_remove(kind=KIND, object_id=publication.pk)
        return
    # The day of publication where the body is (Asia/Shanghai), as its page shows
    # it — not the UTC date of the stored time.
    published = (
        timezone.localdate(publication.published_at)
        if publication.published_at
        else None
    )
    search_index(
        kind=KIND,
        object_id=publication.pk,
        organisation=publication.organisation,
        title=publication.title,
        # The 文号 and the issuing body are searched with the text (issue 17).
        body="\n".join(
            part
            for part in (
                publication.document_number,
                publication.issuing_body,
                strip_tags(publication.body or ""),
            )
            if part
        ),
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


def report_index(report: AnnualReport) -> None:
    """A published 政府信息公开工作年度报告 is found by its title, 年报 and its text; a
    draft or a superseded revision is not in the index."""
    if report.status != AnnualReport.Status.PUBLISHED:
        search_remove(kind=REPORT_KIND, object_id=report.pk)
        return
    text = " ".join(strip_tags(report_article_html(report)).split())
    search_index(
        kind=REPORT_KIND,
        object_id=report.pk,
        organisation=report.organisation,
        title=report.title,
        body=f"{report.year}年政府信息公开年报\n{text}",
        url=f"/gk/{report.organisation_id}/reports/{report.year}/",
        published_on=(
            timezone.localdate(report.published_at) if report.published_at else None
        ),
        category="政府信息公开年报",
    )


@receiver(post_save, sender=AnnualReport)
def _on_report_saved(sender: Any, instance: AnnualReport, **kwargs: Any) -> None:
    report_index(instance)


@receiver(post_delete, sender=AnnualReport)
def _on_report_deleted(sender: Any, instance: AnnualReport, **kwargs: Any) -> None:
    search_remove(kind=REPORT_KIND, object_id=instance.pk)
