from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "socialgov.training"
    label = "training"
    verbose_name = "Online-safety training"

    def ready(self) -> None:
        from socialgov.training.registration import register

        register()
