from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from socialgov.people import demo


class Command(BaseCommand):
    help = "Create the fictional demo trust, two schools and a person in every role (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run in production mode (DJANGO_ENV=production)."
            )
        logins = demo.seed()
        # Feature apps add their own demo content through their own commands: the core never
        # imports them (policies: Oakfield's demo policies).
        if apps.is_installed("policies"):
            call_command("seed_demo_policies", stdout=self.stdout)
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
