"""Importing staff from a CSV file: a preview that writes nothing, then one transaction.

Columns (a header row, in any order, case-insensitive): name, email, staff group, roles (labels or
codes separated by ";"), and optionally job title and start date (dd/mm/yyyy). Each row becomes one
outcome — a new person, someone joining (or re-joining) the school, a change of roles or details,
unchanged — or row-level errors. Importing the same file twice changes nothing the second time.
People missing from the file are left alone: leavers are recorded one by one, on purpose.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction

from socialgov.people import services
from socialgov.people.models import Membership, School, User, today
from socialgov.people.roles import Role, StaffGroup

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000

COLUMNS = {
    "name": {"name", "full name", "fullname", "staff name"},
    "email": {"email", "e-mail", "email address", "e-mail address"},
    "staff_group": {"staff group", "group", "staffgroup"},
    "roles": {"roles", "role"},
    "job_title": {"job title", "title", "job", "position"},
    "start_date": {"start date", "started", "start"},
}
REQUIRED = ("name", "email", "staff_group", "roles")
COLUMN_LABELS = {
    "name": "name",
    "email": "email",
    "staff_group": "staff group",
    "roles": "roles",
    "job_title": "job title",
    "start_date": "start date",
}


class Outcome(models.TextChoices):
    NEW = "new", "New person"
    JOINS = "joins", "Joins the school"
    UPDATE = "update", "Roles or details change"
    UNCHANGED = "unchanged", "Unchanged"
    ERROR = "error", "Not imported"


@dataclass
class ImportRow:
    line: int
    full_name: str
    email: str
    staff_group: str = ""
    roles: frozenset[str] = frozenset()
    job_title: str = ""
    start_date: dt.date | None = None
    outcome: str = Outcome.ERROR
    membership_id: int | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def role_labels(self) -> str:
        return services.role_labels(self.roles)

    @property
    def staff_group_label(self) -> str:
        return StaffGroup(self.staff_group).label if self.staff_group else ""


@dataclass
class ImportPreview:
    """What applying the file would do now. `digest` changes whenever any outcome would."""

    csv_bytes: bytes
    encoding: str
    rows: list[ImportRow]
    digest: str = ""

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Outcome.values, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    @property
    def changes_anything(self) -> bool:
        return any(r.outcome in (Outcome.NEW, Outcome.JOINS, Outcome.UPDATE) for r in self.rows)


@dataclass(frozen=True)
class ImportResult:
    new: int
    joined: int
    updated: int
    unchanged: int
    not_imported: int
    invitations: int

    @property
    def changed(self) -> int:
        return self.new + self.joined + self.updated


# --- Reading the file ------------------------------------------------------------------------


def _decode(csv_bytes: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read in, or a message saying how to save it."""
    save_as = "In Excel, choose File › Save a copy › “CSV UTF-8 (comma delimited)”."
    if len(csv_bytes) > MAX_BYTES:
        raise ValidationError(
            f"The file is larger than {MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if not csv_bytes.strip():
        raise ValidationError("The file is empty.")
    if csv_bytes.startswith(b"PK\x03\x04"):
        raise ValidationError(f"This is a spreadsheet workbook, not a CSV file. {save_as}")
    if csv_bytes.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in csv_bytes:
        raise ValidationError(f"This file is not saved as UTF-8 text (it may be UTF-16). {save_as}")
    try:
        return csv_bytes.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # Excel's plain "CSV (Comma delimited)" on UK Windows is Windows-1252.
        return csv_bytes.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise ValidationError(
            f"This file is not saved as UTF-8 text, so names may not read correctly. {save_as}"
        ) from None


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _header_key(cell: str) -> str:
    return " ".join(cell.strip().lower().replace("_", " ").split())


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        for column, names in COLUMNS.items():
            if key in names:
                if column in found:
                    raise ValidationError(
                        f"The header row has two “{COLUMN_LABELS[column]}” columns."
                    )
                found[column] = index
    missing = [COLUMN_LABELS[c] for c in REQUIRED if c not in found]
    if missing:
        raise ValidationError(
            "The first row must name the columns. Missing: "
            f"{', '.join(missing)}. Expected: name, email, staff group, roles, and optionally "
            "job title and start date."
        )
    return found


def _read(csv_bytes: bytes) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    text, encoding = _decode(csv_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise ValidationError("The file is empty.")
        columns = _columns(header)
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise ValidationError(
                    f"The file has more than {MAX_ROWS:,} people. Split it into smaller files."
                )
            rows.append(
                (
                    reader.line_num,
                    {
                        column: cells[index].strip() if index < len(cells) else ""
                        for column, index in columns.items()
                    },
                )
            )
    except csv.Error as error:
        raise ValidationError(
            f"The file could not be read as CSV near line {reader.line_num}: {error}."
        ) from None
    if not rows:
        raise ValidationError("The file has a header row but nobody in it.")
    return encoding, rows


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        lookup[value.replace("_", " ").lower()] = value
        lookup[str(label).lower()] = value
    return lookup


ROLE_LOOKUP = _choice_lookup(Role) | {"deputy designated safeguarding lead": Role.DEPUTY_DSL}
GROUP_LOOKUP = _choice_lookup(StaffGroup) | {"support": StaffGroup.SUPPORT}


def _parse_date(value: str) -> dt.date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _row(line: int, cells: dict[str, str]) -> ImportRow:
    """One row read and checked on its own (no database)."""
    row = ImportRow(
        line=line,
        full_name=" ".join(cells["name"].split()),
        email=cells["email"].strip().lower(),
        job_title=" ".join(cells.get("job_title", "").split()),
    )
    if not row.full_name:
        row.errors.append("The name is missing.")
    elif len(row.full_name) > User._meta.get_field("full_name").max_length:
        row.errors.append("The name is too long.")
    try:
        validate_email(row.email)
    except ValidationError:
        row.errors.append(
            f"“{row.email}” is not an e-mail address." if row.email else "The e-mail is missing."
        )
    group = GROUP_LOOKUP.get(_header_key(cells["staff_group"]))
    if group:
        row.staff_group = group
    else:
        row.errors.append(
            f"Unknown staff group “{cells['staff_group']}”. Use one of: "
            f"{', '.join(str(label) for label in StaffGroup.labels)}."
        )
    roles, unknown = set(), []
    for name in re.split(r"[;,|]", cells["roles"]):
        if name.strip():
            role = ROLE_LOOKUP.get(_header_key(name))
            if role:
                roles.add(role)
            else:
                unknown.append(name.strip())
    row.roles = frozenset(roles)
    if unknown:
        row.errors.append(f"Unknown role: {', '.join(f'“{u}”' for u in unknown)}.")
    elif not roles:
        row.errors.append("No roles given.")
    if len(row.job_title) > Membership._meta.get_field("job_title").max_length:
        row.errors.append("The job title is too long.")
    if cells.get("start_date"):
        row.start_date = _parse_date(cells["start_date"])
        if row.start_date is None:
            row.errors.append(
                f"The start date “{cells['start_date']}” is not a date like 01/09/2026."
            )
    return row


# --- Preview and apply -----------------------------------------------------------------------


def staff_import_preview(*, school: School, actor, csv_bytes: bytes) -> ImportPreview:
    """What importing `csv_bytes` would do, row by row. Writes nothing; a constant number of
    queries whatever the size of the file. ValidationError when the file itself is unreadable."""
    actor_roles = services.manager_roles(actor, school)
    encoding, raw_rows = _read(csv_bytes)
    rows = [_row(line, cells) for line, cells in raw_rows]

    lines_by_email: dict[str, list[int]] = {}
    for row in rows:
        if row.email:
            lines_by_email.setdefault(row.email, []).append(row.line)
    users = {u.email: u for u in User.objects.filter(email__in=list(lines_by_email))}
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(school=school, user__in=users.values()).prefetch_related(
            "roles"
        )
    }
    headteachers = set(
        Membership.objects.current()
        .filter(school=school, roles__role=Role.HEADTEACHER)
        .values_list("pk", flat=True)
    )
    on = today()
    for row in rows:
        others = [n for n in lines_by_email.get(row.email, []) if n != row.line]
        if others:
            row.errors.append(f"This e-mail address is also on row {', '.join(map(str, others))}.")
        user = users.get(row.email)
        membership = memberships.get(user.pk) if user else None
        if user is not None:
            if not user.is_active:
                row.errors.append("The account with this e-mail address is switched off.")
            if row.full_name and user.full_name != row.full_name:
                row.warnings.append(
                    f"Already has an account as “{user.full_name}”; that name is kept."
                )
        if row.errors:
            continue
        if membership is None or not (
            membership.leaving_date is None or membership.leaving_date > on
        ):
            row.outcome = Outcome.NEW if user is None else Outcome.JOINS
            if school.is_outside_domains(row.email):
                row.warnings.append("Not one of the school's e-mail domains: check the address.")
            if membership is not None:
                row.changes.append(f"Re-joins (left {membership.leaving_date:%d/%m/%Y}).")
            problem = services.role_change_problem(
                actor_roles=actor_roles,
                old_roles=frozenset(),
                new_roles=row.roles,
                other_headteachers=1,
            )
        else:
            row.membership_id = membership.pk
            old_roles = membership.role_names
            if old_roles != row.roles:
                row.changes.append(
                    f"Roles: {services.role_labels(old_roles) or 'none'} → "
                    f"{services.role_labels(row.roles)}."
                )
            if membership.staff_group != row.staff_group:
                row.changes.append(
                    f"Staff group: {membership.get_staff_group_display()} → "
                    f"{row.staff_group_label}."
                )
            if row.job_title and membership.job_title != row.job_title:
                row.changes.append(
                    f"Job title: {membership.job_title or 'none'} → {row.job_title}."
                )
            if not row.changes:
                row.outcome = Outcome.UNCHANGED
                continue
            row.outcome = Outcome.UPDATE
            problem = None
            if not services.may_manage(actor_roles=actor_roles, membership_roles=old_roles):
                problem = (
                    "Only the headteacher can change the details of someone with a privileged role."
                )
            problem = problem or services.role_change_problem(
                actor_roles=actor_roles,
                old_roles=old_roles,
                new_roles=row.roles,
                other_headteachers=1,  # the whole file is checked below
            )
        if problem:
            row.errors.append(problem)
            row.outcome = Outcome.ERROR
            row.changes.clear()

    _keep_a_headteacher(rows, headteachers, memberships)
    preview = ImportPreview(csv_bytes=csv_bytes, encoding=encoding, rows=rows)
    preview.digest = _digest(preview)
    return preview


def _keep_a_headteacher(
    rows: list[ImportRow], headteachers: set[int], memberships: dict[int, Membership]
) -> None:
    """Refuse the rows that would together leave the school with no current headteacher."""
    by_pk = {m.pk: m for m in memberships.values()}
    removing = [
        row
        for row in rows
        if row.outcome == Outcome.UPDATE
        and Role.HEADTEACHER in by_pk[row.membership_id].role_names
        and Role.HEADTEACHER not in row.roles
    ]
    adding = [
        row
        for row in rows
        if Role.HEADTEACHER in row.roles
        and row.outcome in (Outcome.NEW, Outcome.JOINS, Outcome.UPDATE)
        and (row.start_date or today()) <= today()
    ]
    remaining = headteachers - {row.membership_id for row in removing}
    if removing and not remaining and not adding:
        for row in removing:
            row.errors.append(
                "This would leave the school without a headteacher. Give another person the "
                "headteacher role first."
            )
            row.outcome = Outcome.ERROR
            row.changes.clear()


def _digest(preview: ImportPreview) -> str:
    summary = [
        [
            row.line,
            row.outcome,
            row.email,
            sorted(row.roles),
            row.staff_group,
            row.job_title,
            row.start_date.isoformat() if row.start_date else None,
            row.membership_id,
            row.errors,
        ]
        for row in preview.rows
    ]
    payload = json.dumps([hashlib.sha256(preview.csv_bytes).hexdigest(), summary])
    return hashlib.sha256(payload.encode()).hexdigest()


def _apply_order(row: ImportRow, actor) -> tuple[int, int]:
    """Additions first and the actor's own row last, so that a file handing the headteacher role
    from one person to another passes the same checks row by row as it did as a whole."""
    own = row.email == actor.email
    gives_headteacher = Role.HEADTEACHER in row.roles
    return (1 if own else 0, 0 if gives_headteacher or row.outcome != Outcome.UPDATE else 1)


@transaction.atomic
def staff_import_apply(*, school: School, actor, preview: ImportPreview) -> ImportResult:
    """Apply every valid row of a previewed file in one transaction, sending invitations to new
    people after commit. Refuses (nothing written) when the outcome would differ from the preview
    the person confirmed — the people list changed in between."""
    School.objects.select_for_update().get(pk=school.pk)
    fresh = staff_import_preview(school=school, actor=actor, csv_bytes=preview.csv_bytes)
    if fresh.digest != preview.digest:
        raise ValidationError(
            "The people list has changed since this preview. Check the new preview and confirm "
            "again.",
            code="stale",
        )
    invitations = []
    for row in sorted(fresh.rows, key=lambda r: _apply_order(r, actor)):
        if row.outcome in (Outcome.NEW, Outcome.JOINS):
            _, message = services.membership_add(
                school=school,
                actor=actor,
                full_name=row.full_name,
                email=row.email,
                staff_group=row.staff_group,
                roles=row.roles,
                start_date=row.start_date or today(),
                job_title=row.job_title,
            )
            if message is not None:
                invitations.append(message)
        elif row.outcome == Outcome.UPDATE:
            membership = Membership.objects.get(pk=row.membership_id)
            services.membership_update(
                membership=membership,
                actor=actor,
                roles=row.roles,
                staff_group=row.staff_group,
                job_title=row.job_title or membership.job_title,
            )
    services.invitation_emails_send_on_commit(invitations)
    counts = fresh.counts
    return ImportResult(
        new=counts[Outcome.NEW],
        joined=counts[Outcome.JOINS],
        updated=counts[Outcome.UPDATE],
        unchanged=counts[Outcome.UNCHANGED],
        not_imported=counts[Outcome.ERROR],
        invitations=len(invitations),
    )
