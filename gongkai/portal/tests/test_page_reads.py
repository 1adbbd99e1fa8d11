"""The SQL reads of a page missing from the cache (``portal_publication_page``,
``portal_title_rows``) say what the querysets of ``portal.selectors`` say: the same
items, the same order, the same flags (issue 24, requirement 2)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.http import Http404
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from gongkai.feedback.models import Feedback
from gongkai.portal.selectors import (
    portal_interpreted_ids,
    portal_publication,
    portal_publication_page,
    portal_publication_titles,
    portal_publications,
    portal_subtree_ids,
    portal_title_order,
    portal_title_rows,
    portal_titles_by_id,
)
from gongkai.publishing.models import Attachment, Publication, published_in_year_q
from gongkai.publishing.reference import TOPICS
from gongkai.publishing.tests.factories import make_live, make_publication

pytestmark = pytest.mark.django_db


def _attach(tree, pub: Publication, *, withheld: bool) -> None:
    Attachment.objects.create(
        publication=pub,
        file="publishing/x.pdf",
        original_name="x.pdf",
        kind="pdf",
        size=1,
        sha256="0" * 64,
        uploaded_by=tree.officer,
        withheld=withheld,
    )


@pytest.fixture
def items(tree):
    """Live items across the tree, one of each thing a page may or may not show."""
    topics = sorted(TOPICS)
    made = {}
    for n, org in enumerate([tree.street, tree.community_a, tree.community_b] * 4):
        with time_machine.travel(datetime(2024 + n % 3, 1 + n, 2, 9), tick=False):
            made[n] = make_live(
                org,
                tree.officer,
                tree.head,
                title=f"第{n}条",
                topic=topics[n % 3],
            )
    # Published at 20:00 UTC: already the next day in local time (UTC+8).
    with time_machine.travel(datetime(2025, 6, 30, 20, tzinfo=UTC), tick=False):
        made["late"] = make_live(
            tree.street, tree.officer, tree.head, title="夜间发布", topic=topics[0]
        )
    doc = made[0]
    made["attached"] = made[1]
    _attach(tree, made[1], withheld=False)
    made["only_withheld"] = made[2]
    _attach(tree, made[2], withheld=True)
    made["commented"] = made[4]
    Feedback.objects.create(
        organisation=tree.street, publication=made[4], comment="好", state="approved"
    )
    made["pending_comment"] = made[8]
    Feedback.objects.create(
        organisation=tree.street, publication=made[8], comment="待审", state="pending"
    )
    make_live(
        tree.street,
        tree.officer,
        tree.head,
        title="解读",
        genre="interpretation",
        interprets=doc,
    )
    made["draft"] = make_publication(tree.street, tree.officer, "草稿")
    return made


def test_the_page_read_finds_what_the_queryset_finds(tree, items) -> None:
    every = list(Publication.objects.all())
    for org in (tree.district, tree.street, tree.community_a, tree.sibling_street):
        for pub in every:
            try:
                expected = portal_publication(org, pub.pk)
            except Http404:
                with pytest.raises(Http404):
                    portal_publication_page(
                        org, pub.pk, subtree=portal_subtree_ids(org)
                    )
                continue
            found = portal_publication_page(
                org, pub.pk, subtree=portal_subtree_ids(org)
            )
            assert found.pk == expected.pk
            for field in ("title", "body", "index_no", "published_at", "formed_on"):
                assert getattr(found, field) == getattr(expected, field), field
            assert found.has_attachments == (  # type: ignore[attr-defined]
                expected.attachments.filter(withheld=False).exists()
            )
            assert found.has_comments == (  # type: ignore[attr-defined]
                expected.feedback.filter(state=Feedback.State.APPROVED).exists()
            )
            assert (pub.pk in portal_interpreted_ids(org)) == (
                portal_publications(org).filter(interprets=expected).exists()
            )
    # each flag is set for some item and not for others
    flags = {
        (org.pk, pub.pk): portal_publication_page(
            org, pub.pk, subtree=portal_subtree_ids(org)
        )
        for org in (tree.street, tree.district)
        for pub in (items[0], items["attached"], items["commented"])
    }
    assert items[0].pk in portal_interpreted_ids(tree.street)
    assert items[0].pk not in portal_interpreted_ids(tree.district)
    assert flags[(tree.district.pk, items["attached"].pk)].has_attachments  # type: ignore[attr-defined]
    assert flags[(tree.street.pk, items["commented"].pk)].has_comments  # type: ignore[attr-defined]


@pytest.mark.parametrize("year", [None, 2024, 2025, 2030])
@pytest.mark.parametrize("topic_n", [None, 0, 1])
def test_a_list_page_read_lists_what_the_queryset_lists(
    tree, items, year, topic_n
) -> None:
    topic = "" if topic_n is None else sorted(TOPICS)[topic_n]
    for org in (tree.district, tree.street, tree.community_b):
        qs = portal_publication_titles(org, include_descendants=True)
        if year is not None:
            qs = qs.filter(published_in_year_q(year))
        if topic:
            qs = qs.filter(topic=topic)
        for offset, limit in ((0, 20), (0, 3), (3, 3), (50, 20)):
            expected = list(qs[offset : offset + limit])
            rows = portal_title_rows(
                org, year=year, topic=topic, offset=offset, limit=limit
            )
            order = portal_title_order(org, year=year, topic=topic, limit=5)
            assert list(order) == [p.pk for p in qs[:5]]
            by_id = portal_titles_by_id(
                portal_title_order(org, year=year, topic=topic)[offset:][:limit]
            )
            assert by_id == rows
            assert [r["pk"] for r in rows] == [p.pk for p in expected]
            assert [r["title"] for r in rows] == [p.title for p in expected]
            assert [r["issuing_body"] for r in rows] == [
                p.issuing_body for p in expected
            ]
            # the day as the template's date filter writes it, in local time
            assert [r["published_on"] for r in rows] == [
                date_filter(timezone.localtime(p.published_at), "Y-m-d")
                for p in expected
            ]


def test_a_kept_order_leaves_out_an_item_no_longer_public(tree, items) -> None:
    from gongkai.publishing import services

    order = portal_title_order(tree.street)
    gone = Publication.objects.get(pk=order[0])
    services.publication_withdraw(actor=tree.head, publication=gone, reason="有误")
    assert [r["pk"] for r in portal_titles_by_id(order)] == list(order[1:])
