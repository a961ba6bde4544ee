from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from policies.demo import seed_policies


class Command(BaseCommand):
    help = "Add the demo policies to Oakfield Primary School (after seed_demo; idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo_policies refuses to run in production mode.")
        created = seed_policies()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo policies added: {', '.join(created)}."))
        else:
            self.stdout.write("Demo policies are already in place.")
