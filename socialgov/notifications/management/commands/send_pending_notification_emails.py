from django.core.management.base import BaseCommand

from socialgov.notifications.services import notification_emails_send_pending


class Command(BaseCommand):
    help = (
        "Send notification e-mails that could not be sent when they were made (mail server or "
        "Redis down). Safe to run as often as you like, e.g. hourly from cron."
    )

    def handle(self, *args, **options):
        sent = notification_emails_send_pending()
        self.stdout.write(f"Sent {sent} pending notification e-mail{'s' if sent != 1 else ''}.")
