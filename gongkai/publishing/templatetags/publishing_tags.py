from __future__ import annotations

from typing import Any

from django import template

from gongkai.publishing.reference import Channel

register = template.Library()


@register.filter
def get_cell(cells: dict[str, Any], key: str) -> Any:
    """A table 二 cell by its flat key (keys contain dots, so no template lookup)."""
    return cells.get(key, "")


@register.filter
def channel_label(key: str) -> str:
    return dict(Channel.choices).get(key, key)
