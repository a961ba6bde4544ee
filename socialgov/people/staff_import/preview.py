"""The staff CSV file, its rows checked in bulk, and the preview (writes nothing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

from socialgov import csv_import
from socialgov.csv_import import Column, CsvFormat, ImportPreview, RowResult
from socialgov.dates import today
from socialgov.people import selectors, services
from socialgov.people.access import may_manage
from socialgov.people.models import Membership, School, User
from socialgov.people.roles import Role, StaffGroup

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000

STAFF_CSV = CsvFormat(
    what="people",
    columns=(
        Column("name", "name", ("full name", "fullname", "staff name"), True, "Full name"),
        Column(
            "email",
            "email",
            ("e-mail", "email address", "e-mail address", "work email", "school email"),
            True,
            "Their school e-mail address",
        ),
        Column(
            "staff_group",
            "staff group",
            ("group", "staffgroup", "staff type", "category"),
            True,
            "Teacher, Support staff, Volunteer, Contractor, Governor or Visitor",
        ),
        Column(
            "roles",
            "roles",
            ("role",),
            True,
            "One or more roles separated by “;”, for example “Staff” or “Designated "
            "safeguarding lead; Staff”",
        ),
        Column("job_title", "job title", ("title", "job", "position", "post"), False, "Optional"),
        Column(
            "start_date",
            "start date",
            ("started", "start", "employment start date"),
            False,
            "Optional, dd/mm/yyyy (today if empty)",
        ),
    ),
    max_rows=MAX_ROWS,
    max_bytes=MAX_BYTES,
)

ROLE_LOOKUP = csv_import.choice_lookup(
    Role, **{"deputy designated safeguarding lead": Role.DEPUTY_DSL}
)
GROUP_LOOKUP = csv_import.choice_lookup(StaffGroup, support=StaffGroup.SUPPORT)


class Outcome(models.TextChoices):
    # What will happen in this school only: whether an address has a login elsewhere, and under
    # which name, is never shown (it would tell any school's office who uses SocialGov).
    NEW = "new", "Joins the school"
    JOINS = "joins", "Re-joins the school"
    UPDATE = "update", "Roles or details change"
    UNCHANGED = "unchanged", "Unchanged"
    ERROR = "error", "Not imported"


@dataclass
class StaffRow(RowResult):
    full_name: str = ""
    email: str = ""
    staff_group: str = ""
    roles: frozenset[str] = frozenset()
    job_title: str = ""
    start_date: dt.date | None = None
    membership_id: int | None = None

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label

    @property
    def role_labels(self) -> str:
        return services.role_labels(self.roles)

    @property
    def staff_group_label(self) -> str:
        return StaffGroup(self.staff_group).label if self.staff_group else ""

    def digest_parts(self) -> list:
        return [
            *super().digest_parts(),
            self.email,
            sorted(self.roles),
            self.staff_group,
            self.job_title,
            self.start_date,
            self.membership_id,
        ]


def _row(line: int, cells: dict[str, str]) -> StaffRow:
    """One row read and checked on its own (no database)."""
    row = StaffRow(
        line=line,
        cells=cells,
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
    group = GROUP_LOOKUP.get(csv_import.heading_key(cells["staff_group"]))
    if group:
        row.staff_group = group
    else:
        row.errors.append(
            f"Unknown staff group “{cells['staff_group']}”. Use one of: "
            f"{', '.join(str(label) for label in StaffGroup.labels)}."
        )
    roles, unknown = set(), []
    for name in csv_import.split_list(cells["roles"]):
        role = ROLE_LOOKUP.get(csv_import.heading_key(name))
        if role:
            roles.add(role)
        else:
            unknown.append(name)
    row.roles = frozenset(roles)
    if unknown:
        row.errors.append(f"Unknown role: {', '.join(f'“{u}”' for u in unknown)}.")
    elif not roles:
        row.errors.append("No roles given.")
    if len(row.job_title) > Membership._meta.get_field("job_title").max_length:
        row.errors.append("The job title is too long.")
    if cells.get("start_date"):
        row.start_date = csv_import.parse_uk_date(cells["start_date"])
        if row.start_date is None:
            row.errors.append(
                f"The start date “{cells['start_date']}” is not a date like 01/09/2026."
            )
    return row


def staff_import_preview(
    *,
    school: School,
    actor,
    csv_bytes: bytes,
    mapping: Mapping[str, str] | None = None,
    lines: Collection[int] | None = None,
) -> ImportPreview:
    """What importing `csv_bytes` would do, row by row. Writes nothing; a constant number of
    queries whatever the size of the file. CsvUnreadable (a ValidationError) when the file itself
    cannot be read; ColumnsUnmapped when its headings need the column-mapping step.

    `lines` checks only those rows against the people list (the apply's later chunks): the
    preview then holds just them, and its digest stands for nothing."""
    actor_roles = services.manager_roles(actor, school)
    table = csv_import.read_csv(csv_bytes, STAFF_CSV, mapping=mapping)
    lines_by_email: dict[str, list[int]] = {}
    for read in table.rows:
        email = read.cells["email"].strip().lower()
        if email:
            lines_by_email.setdefault(email, []).append(read.line)
    wanted = None if lines is None else set(lines)
    rows = [_row(r.line, r.cells) for r in table.rows if wanted is None or r.line in wanted]
    users = {u.email: u for u in User.objects.filter(email__in=[r.email for r in rows if r.email])}
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(school=school, user__in=users.values()).prefetch_related(
            "roles"
        )
    }
    on = today()
    for row in rows:
        others = [n for n in lines_by_email.get(row.email, []) if n != row.line]
        if others:
            row.errors.append(f"This e-mail address is also on row {', '.join(map(str, others))}.")
        user = users.get(row.email)
        membership = memberships.get(user.pk) if user else None
        if row.errors:
            continue
        if membership is None or not (
            membership.leaving_date is None or membership.leaving_date > on
        ):
            row.outcome = Outcome.NEW if membership is None else Outcome.JOINS
            row.changes.append("An invitation will be sent.")
            if school.is_outside_domains(row.email):
                row.warnings.append("Not one of the school's e-mail domains: check the address.")
            if membership is not None:
                row.changes.insert(0, f"Re-joins (left {membership.leaving_date:%d/%m/%Y}).")
            problem = services.role_change_problem(
                actor_roles=actor_roles, old_roles=frozenset(), new_roles=row.roles
            )
        else:
            row.membership_id = membership.pk
            if row.full_name and user.full_name != row.full_name:
                # Someone already on this school's list: the school sees that name anyway.
                row.warnings.append(f"Listed here as “{user.full_name}”; that name is kept.")
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
            if not may_manage(actor_roles=actor_roles, membership_roles=old_roles):
                problem = (
                    "Only the headteacher can change the details of someone with a privileged role."
                )
            problem = problem or services.role_change_problem(
                actor_roles=actor_roles,
                old_roles=old_roles,
                new_roles=row.roles,  # the headteacher rule: for the whole file, below
            )
        if problem:
            row.errors.append(problem)
            row.outcome = Outcome.ERROR
            row.changes.clear()

    _keep_a_headteacher(school, rows, memberships, on=on)
    return ImportPreview(
        data=csv_bytes, table=table, rows=rows, outcomes=Outcome, mapping=dict(mapping or {})
    )


def _keep_a_headteacher(
    school: School, rows: list[StaffRow], memberships: dict[int, Membership], *, on: dt.date
) -> None:
    """Refuse the rows that would together leave the school without a headteacher (the rule in
    `selectors.headteacher_gap_after`, for the whole file at once)."""
    by_pk = {m.pk: m for m in memberships.values()}
    removing = [
        row
        for row in rows
        if row.outcome == Outcome.UPDATE
        and Role.HEADTEACHER in by_pk[row.membership_id].role_names
        and Role.HEADTEACHER not in row.roles
    ]
    if not removing:
        return
    gaining = [
        (row.start_date or on, None)
        for row in rows
        if Role.HEADTEACHER in row.roles and row.outcome in (Outcome.NEW, Outcome.JOINS)
    ] + [
        (by_pk[row.membership_id].start_date, by_pk[row.membership_id].leaving_date)
        for row in rows
        if row.outcome == Outcome.UPDATE
        and Role.HEADTEACHER in row.roles
        and Role.HEADTEACHER not in by_pk[row.membership_id].role_names
    ]
    gap = selectors.headteacher_gap_after(
        school, losing={row.membership_id: on for row in removing}, gaining=gaining, on=on
    )
    if gap is None:
        return
    for row in removing:
        row.errors.append(
            "This would leave the school without a headteacher. Give another person the "
            "headteacher role first."
        )
        row.outcome = Outcome.ERROR
        row.changes.clear()
