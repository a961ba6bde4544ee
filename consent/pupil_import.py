"""Importing pupils from the MIS's CSV export (SIMS reports, Arbor and Bromcom exports).

Built on the shared import core (`socialgov.csv_import`): decoding (UTF-8 with or without a BOM,
Windows-1252), the delimiter, title rows above the header and footer rows below it, the heading
table with a column-mapping step, line numbers, the preview digest and the stale check.

What a row means here:
- It is matched to a pupil of the school by UPN, then by admission number. A match whose details
  differ is an update; one whose details are the same is unchanged; no match is a new pupil.
- Dates are DD/MM/YYYY (a time after them is ignored) or ISO. Year groups are read as MIS write
  them: "Year  7", "Year 7", "Y7", "7", "Reception", "R", "N1", "N2". Names lose stray spaces.
  Admission numbers keep their leading zeros. Text is stored as written: a name that looks like a
  spreadsheet formula is neutralised when it is exported again, never run.
- Blank cells never erase a date or an identifier already recorded; the other columns in the file
  say what is current (a blank preferred name removes the preferred name).
- A row with a problem is not imported and says why, with its line number; the others are.
- Pupils absent from the file are marked as left (from the day of the import) only when the
  person says the file is the full roll; the preview lists how many first. Nobody is deleted.
Applying is one transaction that first checks the file would still do what the preview showed;
importing the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from consent import access as consent_access
from consent.listeners import Cause
from consent.models import UPN_VALIDATOR, Pupil, YearGroup
from consent.services.restrictions import tell_listeners_for_every_purpose
from socialgov import csv_import
from socialgov.csv_import import Column, CsvFormat, RowResult
from socialgov.dates import today
from socialgov.people.models import School

PUPIL_CSV = CsvFormat(
    what="pupils",
    columns=(
        Column("legal_surname", "Legal surname", required=True, headings=(
            "surname", "last name", "family name", "legal last name", "legal family name",
        )),
        Column("legal_forename", "Legal forename", required=True, headings=(
            "forename", "first name", "given name", "legal first name", "legal given name",
        )),
        Column("preferred_forename", "Preferred forename", headings=(
            "preferred first name", "preferred name", "known as", "chosen name",
        )),
        Column("preferred_surname", "Preferred surname", headings=(
            "preferred last name", "preferred family name",
        )),
        Column("date_of_birth", "Date of birth", required=True, headings=(
            "dob", "birth date", "birthdate", "d o b",
        )),
        Column("year_group", "Year group", required=True, headings=(
            "year", "nc year", "curriculum year", "national curriculum year", "year grp", "yr",
        )),
        Column("registration_group", "Class", headings=(
            "reg", "reg group", "registration group", "registration form", "reg form",
            "tutor group", "form", "form group", "class", "registration class",
        )),
        Column("upn", "UPN", headings=("unique pupil number",)),
        Column("admission_number", "Admission number", headings=(
            "adno", "adm no", "adm number", "admission no", "admissions number",
        )),
        Column("admission_date", "Admission date", headings=(
            "date of admission", "entry date", "date of entry", "start date", "admitted",
        )),
        Column("leaving_date", "Leaving date", headings=(
            "date of leaving", "leave date", "date left", "left",
        )),
    ),
    max_rows=5000,
    max_bytes=5 * 1024 * 1024,
)  # fmt: skip

TEXT_FIELDS = ("legal_forename", "legal_surname", "preferred_forename", "preferred_surname",
               "registration_group")  # fmt: skip
# Blank in the file keeps what is recorded (never erased by an export that leaves them out).
KEPT_WHEN_BLANK = ("upn", "admission_number", "admission_date", "leaving_date")
FIELD_LABELS = {
    "legal_forename": "legal forename",
    "legal_surname": "legal surname",
    "preferred_forename": "preferred forename",
    "preferred_surname": "preferred surname",
    "date_of_birth": "date of birth",
    "year_group": "year group",
    "registration_group": "class",
    "upn": "UPN",
    "admission_number": "admission number",
    "admission_date": "admission date",
    "leaving_date": "leaving date",
}


class Outcome(models.TextChoices):
    NEW = "new", "New pupil"
    UPDATE = "update", "Details change"
    UNCHANGED = "unchanged", "Unchanged"
    ERROR = "error", "Not imported"


# --- Reading cells ---------------------------------------------------------------------------

_YEARS = {
    **{csv_import.heading_key(str(y.label)): y.value for y in YearGroup},
    **{str(n): n for n in range(1, 14)},
    **{f"y{n}": n for n in range(1, 14)},
    **{f"yr{n}": n for n in range(1, 14)},
    **{f"nc{n}": n for n in range(1, 14)},
    "r": 0, "rec": 0, "yr": 0, "yearr": 0, "yearrec": 0, "ncr": 0, "reception": 0, "0": 0,
    "n1": -2, "n2": -1, "nursery1": -2, "nursery2": -1, "f1": -2, "f2": 0,
}  # fmt: skip


def parse_year_group(value: str) -> int | None:
    """'Year  7', 'Year 7', 'Y7', '7' → 7; 'Reception', 'R' → 0; 'N1' → -2; else None."""
    return _YEARS.get(csv_import.heading_key(value))


_DATE_TIME = re.compile(r"^(\S+?)(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$")


def parse_date(value: str) -> dt.date | None:
    """'01/09/2015', '1/9/2015', '01/09/2015 00:00', '2015-09-01', '2015-09-01T00:00:00'."""
    match = _DATE_TIME.match(value.strip())
    if not match:
        return None
    return csv_import.parse_uk_date(match.group(1))


def _text(value: str) -> str:
    return " ".join((value or "").split())


# --- Rows ------------------------------------------------------------------------------------


@dataclass
class PupilRow(RowResult):
    """One row of the file: the values read, the pupil matched, what would change."""

    values: dict = field(default_factory=dict)
    pupil_id: int | None = None

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def name(self) -> str:
        forename = self.values.get("preferred_forename") or self.values.get("legal_forename", "")
        surname = self.values.get("preferred_surname") or self.values.get("legal_surname", "")
        return f"{forename} {surname}".strip() or " ".join(
            filter(None, [self.cells.get("legal_forename"), self.cells.get("legal_surname")])
        )

    @property
    def year_label(self) -> str:
        year = self.values.get("year_group")
        return str(YearGroup(year).label) if year is not None else self.cells.get("year_group", "")

    def digest_parts(self) -> list:
        values = {
            k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.values.items()
        }
        return [self.line, self.outcome, self.errors, self.pupil_id, sorted(values.items())]


def _read_row(row: csv_import.CsvRow, columns: set[str]) -> PupilRow:
    """Read and check one row on its own (no database)."""
    result = PupilRow(line=row.line, cells=row.cells)
    cells = row.cells
    values: dict = {}
    for name in TEXT_FIELDS:
        if name in columns:
            values[name] = _text(cells.get(name, ""))
    for name in ("legal_surname", "legal_forename"):
        if not values.get(name):
            result.errors.append(f"The {FIELD_LABELS[name]} is missing.")
    born = cells.get("date_of_birth", "")
    values["date_of_birth"] = parse_date(born) if born else None
    if not born:
        result.errors.append("The date of birth is missing.")
    elif values["date_of_birth"] is None:
        result.errors.append(f"The date of birth “{born}” is not a date like 01/09/2015.")
    elif values["date_of_birth"] > today():
        result.errors.append("The date of birth is in the future.")
    year = cells.get("year_group", "")
    values["year_group"] = parse_year_group(year) if year else None
    if values["year_group"] is None:
        result.errors.append(
            f"The year group “{year}” is not one the import knows: use N1, N2, R (reception) "
            "or 1 to 13."
            if year
            else "The year group is missing."
        )
    for name in ("admission_date", "leaving_date"):
        text = cells.get(name, "")
        if text:
            values[name] = parse_date(text)
            if values[name] is None:
                result.errors.append(
                    f"The {FIELD_LABELS[name]} “{text}” is not a date like 01/09/2015."
                )
    upn = cells.get("upn", "").replace(" ", "").upper()
    if upn:
        try:
            UPN_VALIDATOR(upn)
        except ValidationError:
            result.errors.append(
                f"The UPN “{cells['upn']}” is not a UPN (a capital letter and 12 more characters)."
            )
        values["upn"] = upn
    adno = _text(cells.get("admission_number", ""))
    if adno:
        values["admission_number"] = adno
    if not upn and not adno:
        result.errors.append("Neither a UPN nor an admission number: the pupil cannot be matched.")
    admitted, leaves = values.get("admission_date"), values.get("leaving_date")
    if admitted and leaves and leaves < admitted:
        result.errors.append("The leaving date is before the admission date.")
    for name, value in values.items():
        limit = getattr(Pupil._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            result.errors.append(f"The {FIELD_LABELS[name]} is longer than {limit} characters.")
    result.values = values
    return result


@dataclass
class PupilImportPreview(csv_import.ImportPreview):
    """The preview, with the pupils on the roll who are not in the file (leavers, if the file
    is the full roll)."""

    absent: list = field(default_factory=list)

    def __post_init__(self):
        super().__post_init__()
        # The leavers a full-roll confirm would mark are part of what the person confirms.
        extra = ",".join(str(p.pk) for p in self.absent)
        self.digest = hashlib.sha256(f"{self.digest}:{extra}".encode()).hexdigest()


@dataclass(frozen=True)
class PupilImportResult:
    created: int
    updated: int
    unchanged: int
    marked_left: int
    refused: int
    reasons: list[str]  # "line 7: The UPN … is not a UPN" for each refused row

    def summary(self) -> str:
        parts = [
            f"{self.created} created",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
            f"{self.marked_left} marked as left",
            f"{self.refused} refused",
        ]
        return "Pupils: " + ", ".join(parts) + "."


def _changes(pupil: Pupil, values: dict) -> dict:
    changed = {}
    for name, value in values.items():
        current = getattr(pupil, name)
        if name in KEPT_WHEN_BLANK and value in (None, ""):
            continue
        if current != value:
            changed[name] = value
    return changed


def _describe(name: str, old, new) -> str:
    def show(value):
        if value in (None, ""):
            return "none"
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        if name == "year_group":
            return str(YearGroup(value).label)
        return str(value)

    label = FIELD_LABELS[name]
    return f"{label[0].upper()}{label[1:]}: {show(old)} → {show(new)}."


def pupil_import_preview(
    *, school: School, data: bytes, mapping: dict | None = None
) -> PupilImportPreview:
    """What importing `data` into `school` would do, row by row. Writes nothing; a constant
    number of queries whatever the size of the file. CsvUnreadable (ColumnsUnmapped: ask which
    column is which) when the file itself cannot be read."""
    table = csv_import.read_csv(data, PUPIL_CSV, mapping=mapping)
    columns = set(table.columns)
    rows = [_read_row(row, columns) for row in table.rows]

    def lines_by(key: str) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for row in rows:
            value = row.values.get(key)
            if value:
                found.setdefault(value, []).append(row.line)
        return found

    upn_lines, adno_lines = lines_by("upn"), lines_by("admission_number")
    pupils = list(
        Pupil.objects.filter(school=school).filter(
            Q(upn__in=list(upn_lines)) | Q(admission_number__in=list(adno_lines))
        )
    )
    by_upn = {p.upn: p for p in pupils if p.upn}
    by_adno = {p.admission_number: p for p in pupils if p.admission_number}
    for row in rows:
        upn, adno = row.values.get("upn"), row.values.get("admission_number")
        for value, lines, label in (
            (upn, upn_lines, "UPN"),
            (adno, adno_lines, "admission number"),
        ):
            others = [n for n in lines.get(value, []) if n != row.line] if value else []
            if others:
                row.errors.append(
                    f"The same {label} is also on line {', '.join(map(str, others))}."
                )
        if row.errors:
            continue
        by_this_upn = by_upn.get(upn) if upn else None
        by_this_adno = by_adno.get(adno) if adno else None
        pupil = by_this_upn or by_this_adno
        if by_this_upn and by_this_adno and by_this_upn.pk != by_this_adno.pk:
            row.errors.append(
                "The UPN and the admission number belong to two different pupils: check the MIS."
            )
            continue
        if pupil is not None and not by_this_upn and upn and pupil.upn and pupil.upn != upn:
            row.errors.append(
                f"The admission number belongs to a pupil with another UPN ({pupil.upn})."
            )
            continue
        if pupil is None:
            row.outcome = Outcome.NEW
            continue
        row.pupil_id = pupil.pk
        changed = _changes(pupil, row.values)
        if not changed:
            row.outcome = Outcome.UNCHANGED
            if (
                pupil.leaving_date
                and "leaving_date" not in columns
                and pupil.leaving_date <= today()
            ):
                row.warnings.append(
                    f"Recorded as left on {pupil.leaving_date:%d/%m/%Y} but still in the file."
                )
            continue
        admitted = changed.get("admission_date", pupil.admission_date)
        leaves = changed.get("leaving_date", pupil.leaving_date)
        if admitted and leaves and leaves < admitted:
            row.errors.append("The leaving date would be before the admission date.")
            continue
        row.outcome = Outcome.UPDATE
        row.changes = [_describe(n, getattr(pupil, n), v) for n, v in changed.items()]
    in_file = {row.pupil_id for row in rows if row.pupil_id}
    on = today()
    absent = list(
        Pupil.objects.filter(school=school)
        .filter(Q(leaving_date__isnull=True) | Q(leaving_date__gt=on))
        .exclude(pk__in=in_file)
        .order_by("registration_group", "legal_surname", "legal_forename", "pk")
    )
    return PupilImportPreview(
        data=data, table=table, rows=rows, outcomes=Outcome, mapping=dict(mapping or {}),
        absent=absent,
    )  # fmt: skip


@transaction.atomic
def pupil_import_apply(
    *, school: School, actor, preview: PupilImportPreview, full_roll: bool = False
) -> PupilImportResult:
    """Apply every good row of a previewed file in one transaction (and, for the full roll, mark
    the pupils not in it as left from today). PreviewStale (nothing written) when the file would
    now do something else than the preview showed. `actor` None: the command line."""
    if actor is not None and not consent_access.can_write_register(actor, school):
        raise PermissionDenied("Only the office and the DPO import pupils.")
    School.objects.select_for_update().get(pk=school.pk)
    fresh = pupil_import_preview(school=school, data=preview.data, mapping=preview.mapping)
    csv_import.preview_confirm(fresh, preview.digest)

    on = today()
    to_create, to_update, newly_leaving = [], [], []
    existing = Pupil.objects.select_for_update().in_bulk(
        [row.pupil_id for row in fresh.rows if row.outcome == Outcome.UPDATE]
    )
    fields: set[str] = set()
    for row in fresh.rows:
        if row.outcome == Outcome.NEW:
            values = {k: v for k, v in row.values.items() if v is not None}
            # Every value was checked when the row was read (the preview just built again).
            to_create.append(Pupil(school=school, **values))
        elif row.outcome == Outcome.UPDATE:
            pupil = existing[row.pupil_id]
            before = pupil.leaving_date
            changed = _changes(pupil, row.values)
            for name, value in changed.items():
                setattr(pupil, name, value)
            fields.update(changed)
            to_update.append(pupil)
            if pupil.leaving_date and (before is None or pupil.leaving_date < before):
                newly_leaving.append(pupil)
    if full_roll:
        for pupil in fresh.absent:
            pupil.leaving_date = on
            newly_leaving.append(pupil)
            to_update.append(pupil)
        if fresh.absent:
            fields.add("leaving_date")
    if to_create:
        bulk_create_with_history(to_create, Pupil, batch_size=500, default_user=actor)
    if to_update:
        bulk_update_with_history(
            to_update, Pupil, sorted(fields), batch_size=500, default_user=actor
        )
    for pupil in newly_leaving:
        tell_listeners_for_every_purpose(
            pupil=pupil, on=pupil.leaving_date, cause=Cause.LEFT, actor=actor
        )
    counts = fresh.counts
    return PupilImportResult(
        created=counts[Outcome.NEW],
        updated=counts[Outcome.UPDATE],
        unchanged=counts[Outcome.UNCHANGED],
        marked_left=len(fresh.absent) if full_roll else 0,
        refused=counts[Outcome.ERROR],
        reasons=[f"line {row.line}: {' '.join(row.errors)}" for row in fresh.rejected],
    )
