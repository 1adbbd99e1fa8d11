from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "gongkai.appeals"
    label = "appeals"
    verbose_name = "复议与诉讼"
