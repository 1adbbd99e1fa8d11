from django.apps import AppConfig


class InforequestsConfig(AppConfig):
    name = "gongkai.inforequests"
    label = "inforequests"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        # Imported here because the tallies module imports the models, which are not
        # ready at module import time; derived state is kept by receivers, not by save().
        from gongkai.inforequests import notices, tallies, tasks

        tallies.connect_receivers()
        notices.notices_queued.connect(
            tasks.drain_notices_soon, dispatch_uid="inforequests_drain_notices"
        )
