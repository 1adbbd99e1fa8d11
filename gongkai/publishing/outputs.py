"""Renderings of live items for the public channels: RSS 2.0, Atom, JSON Feed 1.1
and the A4 notice-board poster (WeasyPrint, Noto CJK fonts, no network)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from gongkai.orgs.models import Organisation
from gongkai.publishing.content import plain_text
from gongkai.publishing.models import Publication


def _feed(
    cls: type[SyndicationFeed],
    org: Organisation,
    items: Sequence[Publication],
    base_url: str,
    self_url: str,
    links: dict[int, str],
) -> bytes:
    feed = cls(
        title=f"{org.name} · 主动公开",
        link=base_url,
        description=f"{org.name}主动公开的政府信息",
        language="zh-cn",
        feed_url=self_url,
    )
    for pub in items:
        feed.add_item(
            title=pub.title,
            link=links.get(pub.pk, f"{base_url}#{pub.index_no}"),
            description=pub.summary or plain_text(pub.body)[:300],
            unique_id=f"{org.pk}:{pub.index_no}",
            unique_id_is_permalink=False,
            pubdate=pub.published_at,
            updateddate=pub.last_changed_at or pub.published_at,
            categories=[c for c in (pub.topic, pub.get_genre_display()) if c],
            author_name=pub.issuing_body,
        )
    return feed.writeString("utf-8").encode("utf-8")


def rss_bytes(
    org: Organisation,
    items: Sequence[Publication],
    base: str,
    me: str,
    links: dict[int, str] | None = None,
) -> bytes:
    """RSS 2.0; ``links`` maps a publication id to its page (default: base#索引号)."""
    return _feed(Rss201rev2Feed, org, items, base, me, links or {})


def atom_bytes(
    org: Organisation,
    items: Sequence[Publication],
    base: str,
    me: str,
    links: dict[int, str] | None = None,
) -> bytes:
    return _feed(Atom1Feed, org, items, base, me, links or {})


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def json_feed(
    org: Organisation,
    items: Sequence[Publication],
    base: str,
    me: str,
    links: dict[int, str] | None = None,
) -> dict[str, Any]:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with the 信息公开表头 as extension."""
    links = links or {}
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{org.name} · 主动公开",
        "home_page_url": base,
        "feed_url": me,
        "language": "zh-CN",
        "items": [
            {
                "id": f"{org.pk}:{pub.index_no}",
                "url": links.get(pub.pk, f"{base}#{pub.index_no}"),
                "title": pub.title,
                "content_html": pub.body,
                "summary": pub.summary or plain_text(pub.body)[:300],
                "date_published": _iso(pub.published_at),
                "date_modified": _iso(pub.last_changed_at or pub.published_at),
                "tags": [c for c in (pub.topic,) if c],
                "_gongkai": {
                    "index_no": pub.index_no,
                    "issuing_body": pub.issuing_body,
                    "formed_on": pub.formed_on.isoformat(),
                    "document_number": pub.document_number,
                    "topic": pub.topic,
                    "genre": pub.genre,
                    "validity": pub.validity,
                },
            }
            for pub in items
        ],
    }


def poster_pdf(org: Organisation, items: Sequence[Publication]) -> bytes:
    """A printable A4 poster of the current items (信息公示栏)."""
    from weasyprint import HTML

    html = render_to_string(
        "publishing/poster.html",
        {
            "org": org,
            "items": [{"pub": p, "text": plain_text(p.body)[:400]} for p in items],
            "printed_on": timezone.localdate(),
        },
    )
    return bytes(HTML(string=html).write_pdf())
