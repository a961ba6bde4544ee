from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from socialgov.demo import DEMO_SEEDERS
from socialgov.people import demo


class Command(BaseCommand):
    help = "Create the fictional demo trust, two schools and a person in every role (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run in production mode (DJANGO_ENV=production)."
            )
        logins = demo.seed()
        # Each app adds its own demo content through the demo seeder registry (socialgov.demo).
        for seeder in DEMO_SEEDERS.entries():
            self.stdout.write(seeder.seed())
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Every demo person's password: {demo.DEMO_PASSWORD}\n")
        self.stdout.write(
            "People in privileged roles also need a code: add their two-factor secret (or the "
            "otpauth:// link) to an authenticator app.\n"
        )
        width = max(len(row["email"]) for row in logins)
        for row in logins:
            self.stdout.write(
                f"  {row['email']:<{width}}  {row['name']} — {row['roles']} ({row['school']})"
            )
            if row.get("totp_secret"):
                self.stdout.write(
                    f"  {'':<{width}}  two-factor secret {row['totp_secret']}  {row['otpauth_uri']}"
                )
