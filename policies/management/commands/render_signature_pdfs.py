from django.core.management.base import BaseCommand

from policies.services.signing import signature_pdfs_missing, signature_pdfs_render_missing


class Command(BaseCommand):
    help = (
        "Render and store the signed PDFs still missing (the beat job 'Signed PDFs' does this "
        "every 10 minutes; run it from cron in the embedded default). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="At most this many (200).")

    def handle(self, *args, limit: int, **options):
        rendered = signature_pdfs_render_missing(limit=limit)
        left = signature_pdfs_missing().count()
        self.stdout.write(f"Rendered {rendered} signed PDFs; {left} still missing.")
