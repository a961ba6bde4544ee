import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from socialgov.demo import DEMO_SEEDERS
from socialgov.people import demo


class Command(BaseCommand):
    help = "Create the fictional demo trust, two schools and a person in every role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--logins-file",
            help="Write the demo logins to this file instead of printing them (scripts/demo "
            "prints them last, once the site answers).",
        )

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
        # Whatever the seeders' tasks logged (e-mails, PDFs) comes out before the logins.
        sys.stderr.flush()
        self.stdout.flush()
        lines = self.login_lines(logins)
        if options["logins_file"]:
            with open(options["logins_file"], "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
        else:
            for line in lines:
                self.stdout.write(line)

    @staticmethod
    def login_lines(logins) -> list[str]:
        lines = [
            f"Every demo person's password: {demo.DEMO_PASSWORD}",
            "People in privileged roles also need a code: add their two-factor secret (or the "
            "otpauth:// link) to an authenticator app.",
            "",
        ]
        width = max(len(row["email"]) for row in logins)
        for row in logins:
            lines.append(
                f"  {row['email']:<{width}}  {row['name']} — {row['roles']} ({row['school']})"
            )
            if row.get("totp_secret"):
                lines.append(
                    f"  {'':<{width}}  two-factor secret {row['totp_secret']}  {row['otpauth_uri']}"
                )
        return lines
