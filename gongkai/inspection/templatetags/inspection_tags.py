"""``{% wording_panel pub %}``: the wording check of a publication on its page (a
warning at 保密审查; the serious list blocks 发布)."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.inspection.selectors import indicators, publication_wording
from gongkai.publishing.models import Publication

register = template.Library()


@register.inclusion_tag("inspection/_wording_panel.html")
def wording_panel(pub: Publication) -> dict[str, Any]:
    return {"wording_hits": publication_wording(pub)}


@register.filter
def indicator_name(code: str) -> str:
    item = indicators().items.get(code)
    return item.name if item else "其他"


@register.filter
def accepted_still_counts(code: str) -> bool:
    """Whether a finding of this indicator still counts once accepted (已说明)."""
    item = indicators().items.get(code)
    return bool(item and item.counts_accepted)
