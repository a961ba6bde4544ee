"""Importing staff from a CSV file: a preview that writes nothing, then the apply.

Built on the shared import core (`socialgov.csv_import`): the file format and row checks are in
`preview.py`, the bulk writes in `apply.py`, large files as background jobs in `jobs.py`.
Columns (a header row, in any order, case-insensitive):
name, email, staff group, roles (labels or codes separated by ";"), and optionally job title and
start date (dd/mm/yyyy). Each row becomes one outcome — a new person, someone joining (or
re-joining) the school, a change of roles or details, unchanged — or row-level errors. Importing
the same file twice changes nothing the second time. People missing from the file are left
alone: leavers are recorded one by one, on purpose.
"""

from socialgov.people.staff_import.apply import (
    CHUNK_ROWS,
    ImportResult,
    ImportStopped,
    staff_import_apply,
)
from socialgov.people.staff_import.jobs import (
    runs_in_background,
    staff_import_confirm,
    staff_import_job_create,
    staff_import_job_run,
)
from socialgov.people.staff_import.preview import (
    MAX_BYTES,
    MAX_ROWS,
    STAFF_CSV,
    Outcome,
    StaffRow,
    staff_import_preview,
)

__all__ = [
    "CHUNK_ROWS",
    "ImportStopped",
    "runs_in_background",
    "staff_import_confirm",
    "staff_import_job_create",
    "staff_import_job_run",
    "MAX_BYTES",
    "MAX_ROWS",
    "STAFF_CSV",
    "ImportResult",
    "Outcome",
    "StaffRow",
    "staff_import_apply",
    "staff_import_preview",
]
