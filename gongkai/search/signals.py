"""Keep the scope tokens of the index in step with the organisation tree."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from gongkai.orgs.signals import subtree_moved
from gongkai.search.services import search_rescope


@receiver(subtree_moved, dispatch_uid="search_rescope")
def _on_subtree_moved(sender: Any, path: str, **kwargs: Any) -> None:
    """A moved subtree keeps its documents findable under its new ancestors."""
    search_rescope(path=path)
