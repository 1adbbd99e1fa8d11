"""Keep the scope tokens of the index in step with the organisation tree."""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from gongkai.orgs.signals import subtree_moved
from gongkai.search.models import SearchDocument
from gongkai.search.services import forget_fts5_row, search_rescope


@receiver(subtree_moved, dispatch_uid="search_rescope")
def _on_subtree_moved(sender: Any, path: str, old_path: str, **kwargs: Any) -> None:
    """A moved subtree keeps its documents findable under its new ancestors."""
    search_rescope(path=path, old_path=old_path)


@receiver(pre_delete, sender=SearchDocument, dispatch_uid="search_forget_fts5_row")
def _forget_fts5_row(
    sender: Any, instance: SearchDocument, using: str, **kwargs: Any
) -> None:
    """A document deleted (by ``search_remove`` or with its organisation) leaves no
    row in SQLite's FTS5 table, which holds no copy to find it by."""
    if connections[using].vendor == "sqlite":
        forget_fts5_row(instance, using)
