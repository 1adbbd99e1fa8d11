from typing import Any

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from gongkai.orgs.signals import subtree_moved

        subtree_moved.connect(_rescope, dispatch_uid="search_rescope")


def _rescope(sender: Any, path: str, **kwargs: Any) -> None:
    """A moved subtree keeps its documents findable under its new ancestors."""
    from gongkai.search.services import search_rescope

    search_rescope(path=path)
