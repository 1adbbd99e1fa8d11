from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "gongkai.publishing"
    label = "publishing"
    verbose_name = "主动公开"

    def ready(self) -> None:
        # Imported here, not at module level: the task module imports the services,
        # and the services only send a signal, so neither imports the other.
        from gongkai.publishing import signals, tasks

        signals.outbox_filled.connect(
            tasks.drain_outbox_soon, dispatch_uid="publishing_drain_outbox"
        )
