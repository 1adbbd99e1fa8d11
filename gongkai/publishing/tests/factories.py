"""Builders for publishing tests (through the services)."""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.publishing import services
from gongkai.publishing.models import Publication


def make_publication(
    org: Any, actor: Any, title: str = "测试信息", **fields: Any
) -> Publication:
    fields.setdefault("formed_on", date(2021, 3, 1))
    fields.setdefault("body", "<p>正文内容</p>")
    return services.publication_create(
        actor=actor, organisation=org, title=title, **fields
    )


def make_live(
    org: Any, actor: Any, head: Any, title: str = "已发布信息", **fields: Any
) -> Publication:
    pub = make_publication(org, actor, title, **fields)
    pub = services.publication_submit(actor=actor, publication=pub)
    pub = services.publication_approve(
        actor=head, publication=pub, secrecy_checked=True
    )
    return services.publication_publish(actor=actor, publication=pub)
