from django.apps import AppConfig

from gongkai.ops.redisclaim import claim_for_this_deployment


class OpsConfig(AppConfig):
    """Running the platform: keys, the scheduler of periodic jobs, health and metrics."""

    name = "gongkai.ops"
    label = "ops"
    verbose_name = "运行维护"

    def ready(self) -> None:
        claim_for_this_deployment()
