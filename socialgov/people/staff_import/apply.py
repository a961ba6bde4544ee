"""Applying a previewed staff file."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from socialgov.csv_import import ImportPreview, preview_confirm
from socialgov.dates import today
from socialgov.people import services
from socialgov.people.models import Membership, School
from socialgov.people.roles import Role
from socialgov.people.staff_import.preview import Outcome, StaffRow, staff_import_preview


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


def _apply_order(row: StaffRow, actor) -> tuple[int, int]:
    """Additions first and the actor's own row last, so that a file handing the headteacher role
    from one person to another passes the same checks row by row as it did as a whole."""
    own = row.email == actor.email
    gives_headteacher = Role.HEADTEACHER in row.roles
    return (1 if own else 0, 0 if gives_headteacher or row.outcome != Outcome.UPDATE else 1)


@transaction.atomic
def staff_import_apply(*, school: School, actor, preview: ImportPreview) -> ImportResult:
    """Apply every valid row of a previewed file in one transaction, sending invitations to new
    people after commit. Refuses (PreviewStale, nothing written) when the outcome would differ
    from the preview the person confirmed — the people list changed in between."""
    School.objects.select_for_update().get(pk=school.pk)
    fresh = staff_import_preview(
        school=school, actor=actor, csv_bytes=preview.data, mapping=preview.mapping
    )
    preview_confirm(fresh, preview.digest)
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
