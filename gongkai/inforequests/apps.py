from django.apps import AppConfig


class InforequestsConfig(AppConfig):
    name = "gongkai.inforequests"
    label = "inforequests"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        # Connects the post_delete handler that keeps the per-year tallies current.
        from gongkai.inforequests import tallies  # noqa: F401
