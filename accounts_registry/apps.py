from django.apps import AppConfig


class AccountsRegistryConfig(AppConfig):
    name = "accounts_registry"
    verbose_name = "Official social media accounts"

    def ready(self) -> None:
        from accounts_registry.registration import register

        register()
