from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        # Imported here: the receivers' module imports models.
        from gongkai.search import signals  # noqa: F401  (organisation moves)
