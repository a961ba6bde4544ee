from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "socialgov.outbox"
    label = "outbox"
    verbose_name = "Tasks waiting for the broker"

    def ready(self) -> None:
        from socialgov.reminders.schedule import SCHEDULED_JOBS, ScheduledJob

        SCHEDULED_JOBS.register(
            ScheduledJob(
                name="Waiting tasks",
                task="socialgov.outbox.tasks.outbox_tasks_hand_over",
                at={"minute": "*/5", "hour": "*"},
                description=(
                    "Hands over tasks that could not be queued when they were made (Redis was "
                    "down): e-mails, signed PDFs and the rest. Safe to run as often as you like."
                ),
            )
        )
