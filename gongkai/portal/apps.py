from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "公开门户"

    def ready(self) -> None:
        # Imported here: both modules import models of other apps.
        from gongkai.portal import cache, signals  # noqa: F401  (search index)

        cache.connect_receivers()
