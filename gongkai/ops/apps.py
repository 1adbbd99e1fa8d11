from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the platform: keys, the scheduler of periodic jobs, health and metrics."""

    name = "gongkai.ops"
    label = "ops"
    verbose_name = "运行维护"
