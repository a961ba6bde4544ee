from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RemindersConfig(AppConfig):
    name = "socialgov.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from socialgov.reminders.schedule import ensure_after_migrate

        # After every migrate (and every test database flush, which empties the beat tables),
        # so the daily job is always scheduled; see socialgov/reminders/schedule.py.
        post_migrate.connect(
            ensure_after_migrate, sender=self, dispatch_uid="reminders_daily_schedule"
        )
