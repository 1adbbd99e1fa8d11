from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "gongkai.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from gongkai.audit import signals  # noqa: F401  (login/logout/failed-login)
