from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from policies.demo import seed_policies_line


class Command(BaseCommand):
    help = "Add the demo policies to Oakfield Primary School (after seed_demo; idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo_policies refuses to run in production mode.")
        self.stdout.write(seed_policies_line())
