"""What the public may see: active organisations and their live, proactively
disclosed publications. Nothing here depends on who is signed in."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from gongkai.core.publication_flow import LIVE_STATUSES
from gongkai.orgs.models import Organisation, path_prefix_q
from gongkai.publishing.catalogue_template import RULES_L1
from gongkai.publishing.models import Attachment, Publication


def portal_organisation(org_id: int) -> Organisation:
    org = Organisation.objects.filter(pk=org_id, is_active=True).first()
    if org is None:
        raise Http404("未找到该机构。")
    return org


def portal_publications(
    org: Organisation, *, include_descendants: bool = False
) -> QuerySet[Publication]:
    qs = Publication.objects.filter(
        status__in=list(LIVE_STATUSES), attribute=Publication.Attribute.PROACTIVE
    )
    if include_descendants:
        qs = qs.filter(path_prefix_q(org.path, "organisation__path"))
    else:
        qs = qs.filter(organisation=org)
    return qs.select_related("organisation").order_by("-published_at", "-id")


def portal_publication_titles(
    org: Organisation, *, include_descendants: bool = False
) -> QuerySet[Publication]:
    """``portal_publications`` with only what a list shows (no bodies, no join)."""
    return (
        portal_publications(org, include_descendants=include_descendants)
        .select_related(None)
        .only("id", "title", "published_at", "issuing_body", "organisation_id")
    )


def portal_rules(org: Organisation) -> QuerySet[Publication]:
    """The live items of the organisation's 政府信息公开制度 catalogue items."""
    return portal_publications(org).filter(catalogue_item__item_l1=RULES_L1)


def portal_publication(org: Organisation, pk: int) -> Publication:
    found = portal_publications(org, include_descendants=True).filter(pk=pk).first()
    if found is None:
        raise Http404("未找到该信息，或该信息未公开。")
    return found


def portal_attachments(publication: Publication) -> QuerySet[Attachment]:
    """The files published with a public item: never the unmasked original of a
    masked copy (``withheld``, issue 25), which stays in the back office."""
    return publication.attachments.filter(withheld=False).order_by("pk")


def portal_attachment(org: Organisation, pk: int, attachment_pk: int) -> Attachment:
    publication = portal_publication(org, pk)
    found = portal_attachments(publication).filter(pk=attachment_pk).first()
    if found is None:
        raise Http404("未找到该附件，或该附件未公开。")
    return found
