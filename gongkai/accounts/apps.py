from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from gongkai.accounts import checks  # noqa: F401  (registers system checks)
