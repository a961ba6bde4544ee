from django.apps import AppConfig


class TwofactorConfig(AppConfig):
    name = "socialgov.twofactor"
    label = "twofactor"
    verbose_name = "Two-factor sign-in"

    def ready(self) -> None:
        from socialgov.reminders import registry
        from socialgov.twofactor.reminders import ENROLMENT

        registry.register(ENROLMENT)
