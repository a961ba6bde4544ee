"""Applying a previewed staff file: bulk writes in short transactions.

Rows are applied in chunks of `CHUNK_ROWS`, each in its own transaction that locks the school,
builds the preview again and checks the chunk's rows still do what the person confirmed (the
first chunk checks the whole file's digest), then writes the chunk with a few bulk statements —
users, memberships, roles, invitations and their history rows — so that no transaction holds
SQLite's write lock for more than a moment, whatever the size of the file. Invitation e-mails
are queued after each commit (`tasks.invitation_emails_send`). Files that change more than one
chunk run as a background job (`jobs.py`) whose page shows the progress.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from socialgov.csv_import import ImportPreview, PreviewStale, preview_confirm
from socialgov.dates import today
from socialgov.people.leavers import MembershipChange, leaver_listeners_call
from socialgov.people.models import (
    INVITATION_VALID_DAYS,
    Invitation,
    Membership,
    MembershipRole,
    School,
    User,
)
from socialgov.people.roles import Role
from socialgov.people.services.invitations import invitation_token_hash
from socialgov.people.services.joins import join_invitation_create, join_invitation_needed
from socialgov.people.services.rules import lock_school
from socialgov.people.staff_import.preview import Outcome, StaffRow, staff_import_preview

CHUNK_ROWS = 500
CHANGING = (Outcome.NEW, Outcome.JOINS, Outcome.UPDATE)


@dataclass(frozen=True)
class ImportResult:
    new: int
    joined: int
    updated: int
    unchanged: int
    not_imported: int

    @property
    def changed(self) -> int:
        return self.new + self.joined + self.updated

    @classmethod
    def of(cls, preview: ImportPreview) -> ImportResult:
        counts = preview.counts
        return cls(
            new=counts[Outcome.NEW],
            joined=counts[Outcome.JOINS],
            updated=counts[Outcome.UPDATE],
            unchanged=counts[Outcome.UNCHANGED],
            not_imported=counts[Outcome.ERROR],
        )


class ImportStopped(PreviewStale):
    """The people list changed part-way through a file applied in chunks: `done` rows were
    applied (importing the file again finishes it: they now show as unchanged)."""

    def __init__(self, done: int):
        super().__init__()
        self.done = done


def _apply_order(row: StaffRow, actor) -> tuple[int, int, int]:
    """Additions first and the actor's own row last, so that a file handing the headteacher role
    from one person to another passes the same checks chunk by chunk as it did as a whole."""
    own = row.email == actor.email
    gives_headteacher = Role.HEADTEACHER in row.roles
    return (
        1 if own else 0,
        0 if gives_headteacher or row.outcome != Outcome.UPDATE else 1,
        row.line,
    )


def planned_rows(preview: ImportPreview, actor) -> list[StaffRow]:
    """The rows that change something, in the order they are applied."""
    return sorted(
        (r for r in preview.rows if r.outcome in CHANGING), key=lambda r: _apply_order(r, actor)
    )


def staff_import_apply(
    *,
    school: School,
    actor,
    preview: ImportPreview,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Apply every valid row of a previewed file (see the module docstring). PreviewStale,
    nothing written, when the file would now do anything other than what the person confirmed;
    ImportStopped when that happens after some chunks were written. `progress(done, total)` is
    called inside each chunk's transaction (a job records it there)."""
    plan = planned_rows(preview, actor)
    done = 0
    for start in range(0, max(len(plan), 1), CHUNK_ROWS):
        chunk = plan[start : start + CHUNK_ROWS]
        with transaction.atomic():
            lock_school(school)
            # The first chunk checks the whole file; later ones their own rows (the earlier
            # chunks' rows now read as unchanged).
            fresh = staff_import_preview(
                school=school,
                actor=actor,
                csv_bytes=preview.data,
                mapping=preview.mapping,
                lines=None if start == 0 else {r.line for r in chunk},
            )
            if start == 0:
                preview_confirm(fresh, preview.digest)
            else:
                by_line = {row.line: row for row in fresh.rows}
                if any(by_line[r.line].digest_parts() != r.digest_parts() for r in chunk):
                    raise ImportStopped(done)
            try:
                with transaction.atomic():
                    _apply_rows(school=school, actor=actor, rows=chunk)
            except IntegrityError:
                # Someone added one of these people (in another school, or by hand) at the same
                # moment: nothing of this chunk is written; a fresh preview shows them.
                if start == 0:
                    raise PreviewStale() from None
                raise ImportStopped(done) from None
            done += len(chunk)
            if progress is not None:
                progress(done, len(plan))
    return ImportResult.of(preview)


def _apply_rows(*, school: School, actor, rows: list[StaffRow]) -> None:
    """Write one chunk of checked rows with bulk statements, history included."""
    now = timezone.now()
    on = today()
    joining = [r for r in rows if r.outcome in (Outcome.NEW, Outcome.JOINS)]
    updating = [r for r in rows if r.outcome == Outcome.UPDATE]

    # Logins: the one each person already has, or a new one without a password.
    users = {u.email: u for u in User.objects.filter(email__in=[r.email for r in joining])}
    # Someone who can already sign in (a login of another school) is invited to join and added
    # when they accept; the preview said only "An invitation will be sent", as for anyone new.
    asked = [r for r in joining if join_invitation_needed(users.get(r.email))]
    for row in asked:
        join_invitation_create(
            school=school,
            user=users[row.email],
            actor=actor,
            staff_group=row.staff_group,
            roles=row.roles,
            start_date=row.start_date or on,
            job_title=row.job_title,
        )
    asked_lines = {r.line for r in asked}
    joining = [r for r in joining if r.line not in asked_lines]
    unusable = make_password(None)
    created = bulk_create_with_history(
        [
            User(email=r.email, full_name=r.full_name, password=unusable, date_joined=now)
            for r in joining
            if r.email not in users
        ],
        User,
        batch_size=1000,
        default_user=actor,
        default_date=now,
    )
    users.update({u.email: u for u in created})

    # Memberships: new ones, former members re-joining, and changes of staff group or title.
    existing = {
        m.user_id: m
        for m in Membership.objects.filter(
            school=school, user__in=[users[r.email] for r in joining]
        )
    }
    fresh_memberships, rejoining = [], []
    for row in joining:
        user = users[row.email]
        membership = existing.get(user.pk) or Membership(school=school, user=user)
        membership.staff_group = row.staff_group
        membership.job_title = row.job_title
        membership.start_date = row.start_date or on
        membership.leaving_date = None
        membership.leaving_reason = ""
        (rejoining if membership.pk else fresh_memberships).append(membership)
    fresh_memberships = bulk_create_with_history(
        fresh_memberships, Membership, batch_size=1000, default_user=actor, default_date=now
    )
    changed = {
        m.pk: m for m in Membership.objects.filter(pk__in=[r.membership_id for r in updating])
    }
    for row in updating:
        membership = changed[row.membership_id]
        membership.staff_group = row.staff_group
        membership.job_title = row.job_title or membership.job_title
    bulk_update_with_history(
        [*rejoining, *changed.values()],
        Membership,
        ["staff_group", "job_title", "start_date", "leaving_date", "leaving_reason"],
        batch_size=1000,
        default_user=actor,
        default_date=now,
    )

    # Roles: exactly those in the file.
    by_user = {m.user_id: m for m in [*fresh_memberships, *rejoining]}
    wanted: dict[int, frozenset[str]] = {}
    for row in joining:
        wanted[by_user[users[row.email].pk].pk] = row.roles
    for row in updating:
        wanted[row.membership_id] = row.roles
    held: dict[int, list[MembershipRole]] = {}
    for role in MembershipRole.objects.filter(membership_id__in=list(wanted)):
        held.setdefault(role.membership_id, []).append(role)
    removed = [r for pk, roles in held.items() for r in roles if r.role not in wanted[pk]]
    added = [
        MembershipRole(membership_id=pk, role=role)
        for pk, roles in wanted.items()
        for role in sorted(roles - {r.role for r in held.get(pk, [])})
    ]
    for role in removed:
        # One at a time, so history records who took it away (roles taken away are few; a
        # queryset delete would record no one).
        role._history_user = actor
        role.delete()
    bulk_create_with_history(
        added, MembershipRole, batch_size=1000, default_user=actor, default_date=now
    )
    # Other apps react to roles taken away (e.g. official accounts' administrators), as they do
    # for a role change on a person's page.
    by_pk = {m.pk: m for m in [*changed.values(), *rejoining]}
    for pk, roles in held.items():
        taken = frozenset(r.role for r in roles) - wanted[pk]
        if taken and pk in by_pk:
            leaver_listeners_call(
                MembershipChange(
                    membership=by_pk[pk], actor=actor, roles_removed=taken, leaving_date=None
                )
            )

    _welcome(
        actor=actor,
        memberships=[*fresh_memberships, *rejoining],
        users={u.pk: u for u in users.values()},
        now=now,
    )


def _welcome(*, actor, memberships: list[Membership], users: dict[int, User], now) -> None:
    """An invitation for everyone joining without a password yet (e-mailed after commit); a
    notification for those who can already sign in."""
    from socialgov.notifications.services import notification_send
    from socialgov.people.services.invitations import invitation_emails_queue

    inviting = [m for m in memberships if not users[m.user_id].has_usable_password()]
    # At most one open invitation per person: the others stop working.
    open_invitations = list(
        Invitation.objects.filter(
            membership__user_id__in=[m.user_id for m in inviting],
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
        )
    )
    for invitation in open_invitations:
        invitation.withdrawn_at = now
    bulk_update_with_history(
        open_invitations, Invitation, ["withdrawn_at"], default_user=actor, default_date=now
    )
    invitations = bulk_create_with_history(
        [
            Invitation(
                membership=membership,
                # A placeholder: the link's token is made when the e-mail is sent, so the raw
                # token never waits in a queue.
                token_hash=invitation_token_hash(secrets.token_urlsafe(32)),
                created_by=actor,
                created_at=now,
                expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS),
            )
            for membership in inviting
        ],
        Invitation,
        batch_size=1000,
        default_user=actor,
        default_date=now,
    )
    invitation_emails_queue([i.pk for i in invitations])
    for membership in memberships:
        user = users[membership.user_id]
        if user.has_usable_password():
            membership.user = user
            notification_send(
                recipient=user,
                kind="school_joined",
                url=reverse("dashboard"),
                school=membership.school,
                context={"school_name": membership.school.name},
            )
