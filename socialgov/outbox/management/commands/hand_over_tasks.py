from django.core.management.base import BaseCommand

from socialgov.outbox.services import outbox_tasks_hand_over


class Command(BaseCommand):
    help = (
        "Queue the tasks that could not be queued when they were made (Redis was down) and, in "
        "the embedded default, send the e-mails waiting to be sent. Safe to run as often as you "
        "like: every few minutes from cron."
    )

    def handle(self, *args, **options):
        handed = outbox_tasks_hand_over()
        self.stdout.write(f"Handed over {handed} waiting task{'s' if handed != 1 else ''}.")
