"""manage.py import_pupils FILE --school URN [--dry-run] [--full-roll]

Imports pupils from the MIS's CSV export into one school (see consent.pupil_import): prints what
each row does (refused rows with their line and reason), then applies it unless --dry-run.
Pupils not in the file are marked as left only with --full-roll. Run it again with the same file:
nothing changes the second time.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from consent import pupil_import
from socialgov import csv_import
from socialgov.people.models import School


class Command(BaseCommand):
    help = "Import pupils from an MIS CSV export (SIMS, Arbor, Bromcom) into one school."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file exported from the MIS.")
        parser.add_argument("--school", required=True, help="The school's URN (six digits).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; change nothing."
        )
        parser.add_argument(
            "--full-roll",
            action="store_true",
            help="The file is the whole roll: mark pupils who are not in it as left (today).",
        )

    def handle(self, *args, file, school, dry_run, full_roll, **options):
        found = School.objects.filter(urn=school).first()
        if found is None:
            raise CommandError(f"No school has the URN {school}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        data = path.read_bytes()
        try:
            preview = pupil_import.pupil_import_preview(school=found, data=data)
        except csv_import.ColumnsUnmapped as unmapped:
            raise CommandError(
                f"{' '.join(unmapped.messages)} Headings the import does not know: "
                f"{', '.join(unmapped.table.unknown_headings)}. Rename them in the file (or use "
                "the import page, which asks which column is which)."
            ) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

        out = self.stdout
        out.write(f"{found.name}: {len(preview.rows)} rows read ({preview.encoding}).")
        if preview.table.skipped_lines:
            lines = ", ".join(map(str, preview.table.skipped_lines))
            out.write(f"Not read as pupils (title or footer): line {lines}.")
        if preview.table.unknown_headings:
            out.write(f"Columns not imported: {', '.join(preview.table.unknown_headings)}.")
        for row in preview.rows:
            if row.errors:
                out.write(f"  line {row.line}: refused: {' '.join(row.errors)}")
            elif row.changes:
                out.write(f"  line {row.line}: {row.name}: {' '.join(row.changes)}")
        if full_roll:
            out.write(f"Not in the file, to be marked as left: {len(preview.absent)}.")
        elif preview.absent:
            out.write(
                f"{len(preview.absent)} pupils on the roll are not in the file (left alone; "
                "--full-roll marks them as left)."
            )
        counts = preview.counts
        if dry_run:
            out.write(
                f"Dry run: {counts['new']} to create, {counts['update']} to update, "
                f"{counts['unchanged']} unchanged, "
                f"{len(preview.absent) if full_roll else 0} to mark as left, "
                f"{counts['error']} refused. Nothing was changed."
            )
            return
        result = pupil_import.pupil_import_apply(
            school=found, actor=None, preview=preview, full_roll=full_roll
        )
        out.write(self.style.SUCCESS(result.summary()))
