"""Writes to the training log: sessions, attendance (by hand or imported from a CSV file),
and the school's setting for induction."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction

from socialgov import access, csv_import
from socialgov.dates import today
from socialgov.people.models import Membership, School, User
from socialgov.training import access as training_access
from socialgov.training.models import (
    AttendanceSource,
    TrainingAttendance,
    TrainingKind,
    TrainingSession,
    TrainingSettings,
)

__all__ = [
    "ATTENDANCE_CSV",
    "AttendanceImportResult",
    "attendance_import_apply",
    "attendance_import_preview",
    "attendance_record",
    "training_session_create",
    "training_settings_save",
]


def _require_keeper(actor, school) -> None:
    if not training_access.can_keep(actor, school):
        raise PermissionDenied("The headteacher, DSL team, SLT and office keep the training log.")


def _save(obj, actor) -> None:
    obj._history_user = actor
    obj.full_clean(validate_constraints=False)
    obj.save()


@transaction.atomic
def training_session_create(
    *,
    school: School,
    actor,
    submission_key: uuid.UUID,
    title: str,
    kind: str,
    held_on: dt.date | None,
    provider: str,
    minutes: int | None,
) -> tuple[TrainingSession, bool]:
    """Record a training session; (session, created). The same form sent twice records one."""
    _require_keeper(actor, school)
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = ["Write the session's title."]
    if kind not in TrainingKind.values:
        errors["kind"] = ["Choose what kind of training it was."]
    if held_on is None:
        errors["held_on"] = ["Enter the date of the session."]
    elif held_on > today() + dt.timedelta(days=366):
        errors["held_on"] = ["Enter a date within the next year."]
    if minutes is None or not 5 <= minutes <= 2400:
        errors["minutes"] = ["Enter the length in minutes, from 5 to 2400."]
    if errors:
        raise ValidationError(errors)
    assert held_on is not None and minutes is not None  # refused above when missing
    Membership.objects.select_for_update().get(school=school, user=actor)
    existing = TrainingSession.objects.filter(
        created_by=actor, submission_key=submission_key
    ).first()
    if existing is not None:
        return existing, False
    session = TrainingSession(
        school=school,
        submission_key=submission_key,
        title=title[:200],
        kind=kind,
        held_on=held_on,
        provider=" ".join((provider or "").split())[:200],
        minutes=minutes,
        created_by=actor,
    )
    _save(session, actor)
    return session, True


def _members(school: School, user_ids) -> dict[int, User]:
    """The school's members (current or former) among `user_ids` (one query)."""
    memberships = Membership.objects.filter(school=school, user_id__in=list(user_ids))
    return {m.user_id: m.user for m in memberships.select_related("user")}


def _attend(session: TrainingSession, people, actor, source: str) -> int:
    already = set(session.attendances.values_list("person_id", flat=True))
    new = []
    for person in people:
        if person.pk in already:
            continue
        already.add(person.pk)
        row = TrainingAttendance(
            session=session,
            school_id=session.school_id,
            person=person,
            kind=session.kind,
            held_on=session.held_on,
            source=source,
            recorded_by=actor,
        )
        row._history_user = actor
        row.full_clean(validate_constraints=False, validate_unique=False)
        row.save()  # one by one: every attendance keeps its own history row
        new.append(row)
    return len(new)


@transaction.atomic
def attendance_record(*, session: TrainingSession, actor, people) -> int:
    """Record that `people` (members of the session's school) attended; how many were new.
    Recording someone twice changes nothing."""
    _require_keeper(actor, session.school)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    people = list(people)
    members = _members(session.school, [p.pk for p in people])
    outsiders = [p for p in people if p.pk not in members]
    if outsiders:
        raise ValidationError({"people": ["Choose people of this school."]})
    try:
        with transaction.atomic():
            return _attend(session, people, actor, AttendanceSource.FORM)
    except IntegrityError:
        raise ValidationError("Someone recorded this attendance at the same time.") from None


# --- CSV import -----------------------------------------------------------------------------

ATTENDANCE_CSV = csv_import.CsvFormat(
    what="attendance",
    columns=(
        csv_import.Column(
            "email",
            "e-mail address",
            headings=("email", "e-mail", "email address", "e-mail address", "user email"),
            required=True,
        ),
        csv_import.Column("name", "name", headings=("name", "full name", "learner", "user")),
        csv_import.Column(
            "completed", "completed on", headings=("completed", "completed on", "date completed")
        ),
        # Shown in the preview and the rejected rows only: the session is chosen on the page.
        csv_import.Column("course", "course", headings=("course", "course name", "module")),
    ),
    max_rows=5000,
)


class RowOutcome(models.TextChoices):
    NEW = "new", "Attendance to record"
    UNCHANGED = "unchanged", "Already recorded"
    ERROR = "error", "Not imported"


@dataclass
class AttendanceRow(csv_import.RowResult):
    person_id: int | None = None
    person_name: str = ""

    def digest_parts(self) -> list:
        return [*super().digest_parts(), self.person_id]


@dataclass
class AttendanceImportResult:
    created: int = 0
    unchanged: int = 0
    refused: int = 0
    reasons: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.created} attendance{'s' if self.created != 1 else ''} recorded, "
            f"{self.unchanged} already recorded, {self.refused} not imported."
        )


def attendance_import_preview(
    *, session: TrainingSession, data: bytes, mapping: dict | None = None
) -> csv_import.ImportPreview:
    """What importing the file into the session would do (writes nothing). Bad rows are
    reported with their line."""
    table = csv_import.read_csv(data, ATTENDANCE_CSV, mapping=mapping or {})
    emails = {row.cells.get("email", "").strip().lower() for row in table.rows}
    members = {
        m.user.email: m.user
        for m in Membership.objects.filter(
            school_id=session.school_id, user__email__in=emails
        ).select_related("user")
    }
    attended = set(session.attendances.values_list("person_id", flat=True))
    seen: dict[int, int] = {}
    rows = []
    for row in table.rows:
        email = row.cells.get("email", "").strip().lower()
        result = AttendanceRow(line=row.line, cells=row.cells)
        completed = row.cells.get("completed", "")
        if not email:
            result.errors.append("No e-mail address.")
        elif email not in members:
            result.errors.append(f"Nobody at the school has the e-mail address {email}.")
        if completed and csv_import.parse_uk_date(completed) is None:
            result.errors.append(f"“{completed[:40]}” is not a date like 01/09/2026.")
        person = members.get(email)
        if not result.errors and person is not None:
            if person.pk in seen:
                result.errors.append(f"The same person as line {seen[person.pk]}.")
            else:
                seen[person.pk] = row.line
                result.person_id = person.pk
                result.person_name = person.full_name
                result.outcome = RowOutcome.UNCHANGED if person.pk in attended else RowOutcome.NEW
        rows.append(result)
    return csv_import.ImportPreview(
        data=data, table=table, rows=rows, outcomes=RowOutcome, mapping=dict(mapping or {})
    )


@transaction.atomic
def attendance_import_apply(
    *, session: TrainingSession, actor, data: bytes, digest: str, mapping: dict | None = None
) -> AttendanceImportResult:
    """Record the attendance of a confirmed preview. Idempotent: the preview is built again under
    the session's lock, and a stale or repeated confirm writes nothing (PreviewStale)."""
    _require_keeper(actor, session.school)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    fresh = attendance_import_preview(session=session, data=data, mapping=mapping)
    csv_import.preview_confirm(fresh, digest)
    new_ids = [row.person_id for row in fresh.rows if row.outcome == RowOutcome.NEW]
    people = User.objects.filter(pk__in=new_ids).order_by("pk")
    created = _attend(session, people, actor, AttendanceSource.IMPORT)
    counts = fresh.counts
    return AttendanceImportResult(
        created=created,
        unchanged=counts[RowOutcome.UNCHANGED],
        refused=counts[RowOutcome.ERROR],
        reasons=[f"Line {row.line}: {' '.join(row.errors)}" for row in fresh.rejected],
    )


@transaction.atomic
def training_settings_save(*, school: School, actor, induction_within_days: int):
    if not access.has_role(actor, school, *training_access.SETTINGS_EDITORS):
        raise PermissionDenied
    if not 1 <= induction_within_days <= 365:
        raise ValidationError({"induction_within_days": ["Enter a number of days from 1 to 365."]})
    setting, _ = TrainingSettings.objects.select_for_update().get_or_create(school=school)
    if setting.induction_within_days != induction_within_days:
        setting.induction_within_days = induction_within_days
        _save(setting, actor)
    return setting
