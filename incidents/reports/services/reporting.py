"""Making a report, naming further people, and (re-)routing: where an incident goes is decided by
incidents.reports.routing; these services apply it and tell exactly the right people."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from incidents.reports import routing

if TYPE_CHECKING:
    from consent.models import Pupil
    from socialgov.people.models import User
from incidents.reports.models import (
    NO_IMAGERY_KINDS,
    OPEN_STATUSES,
    SUBJECT_ROLES,
    Category,
    EntryKind,
    Incident,
    IncidentEvidence,
    IncidentPerson,
    OutsiderRelationship,
    PersonKind,
    PersonRole,
    Route,
    SafeguardingKind,
    Severity,
)
from incidents.reports.services.common import (
    NO_IMAGERY_MESSAGE,
    clean_text,
    entry_add,
    is_urgent,
    locked,
    notify,
    one_line,
    pupil_involved,
    require,
    require_handler,
    save,
    withdraw_from,
)
from socialgov import access
from socialgov.people.models import Membership, School
from socialgov.people.roles import Role
from socialgov.uploads.services import stored_file_create

logger = logging.getLogger(__name__)

MAX_URLS = 20
_url_ok = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class PersonNamed:
    """Someone involved, as the form names them."""

    role: str
    kind: str
    staff_member: User | None = None  # for a member of staff
    pupil: Pupil | None = None  # a pupil of the school's roll
    name: str = ""  # an outsider's name, or a pupil's not on the roll
    year_group: str = ""
    relationship: str = ""


def reference_for(year: int, number: int) -> str:
    return f"INC-{year}-{number:04d}"


def clean_urls(text: str) -> str:
    """One web address per line, each checked; ValidationError naming the first bad one."""
    urls = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(urls) > MAX_URLS:
        raise ValidationError({"urls": f"Give at most {MAX_URLS} web addresses."})
    for url in urls:
        try:
            _url_ok(url)
        except ValidationError:
            raise ValidationError(
                {
                    "urls": f"“{url[:80]}” is not a web address. Write each one in full, like "
                    "https://www.example.com/page, one per line."
                }
            ) from None
    return "\n".join(urls)


def _check_person(school, person: PersonNamed) -> list[str]:
    problems = []
    if person.role not in PersonRole.values:
        problems.append("Choose the part each person played.")
    if person.kind == PersonKind.STAFF:
        if person.staff_member is None:
            problems.append("Choose the member of staff.")
        elif not Membership.objects.filter(school=school, user=person.staff_member).exists():
            problems.append("A member of staff named must work (or have worked) at the school.")
    elif person.kind == PersonKind.PUPIL and person.pupil is not None:
        if person.pupil.school_id != school.pk:
            problems.append("A pupil named must be on the school's roll.")
    elif person.kind in (PersonKind.PUPIL, PersonKind.OUTSIDER):
        if not one_line(person.name):
            problems.append("Give the name of each pupil or person outside the school.")
        if person.kind == PersonKind.OUTSIDER and (
            person.relationship not in OutsiderRelationship.values
        ):
            problems.append("Say who each person outside the school is (for example a parent).")
    else:
        problems.append("Say whether each person is a pupil, a member of staff or an outsider.")
    return problems


def _person_row(incident, person: PersonNamed, actor) -> IncidentPerson:
    on_roll = person.pupil if person.kind == PersonKind.PUPIL else None
    if on_roll is not None:
        name, year_group = "", on_roll.get_year_group_display()
    elif person.kind == PersonKind.PUPIL:
        name, year_group = one_line(person.name), one_line(person.year_group)
    else:
        name, year_group = ("" if person.kind == PersonKind.STAFF else one_line(person.name)), ""
    row = IncidentPerson(
        incident=incident,
        role=person.role,
        kind=person.kind,
        staff_member=person.staff_member if person.kind == PersonKind.STAFF else None,
        pupil=on_roll,
        name=name,
        year_group=year_group,
        relationship=person.relationship if person.kind == PersonKind.OUTSIDER else "",
        added_by=actor,
        added_at=timezone.now(),
    )
    save(row, actor)
    return row


def _validate_report(
    *, school, reporter, category, safeguarding_kind, severity, occurred_on, description, people
) -> dict:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if access.membership_in(reporter, school) is None:
        raise ValidationError("You can only report incidents at a school you work at.")
    if category not in Category.values:
        add("category", "Choose what kind of incident it is.")
    if category == Category.SAFEGUARDING and safeguarding_kind not in SafeguardingKind.values:
        add("safeguarding_kind", "Choose what kind of disclosure it is.")
    if category != Category.SAFEGUARDING and safeguarding_kind:
        add("safeguarding_kind", "Only a safeguarding disclosure has a kind of disclosure.")
    if severity not in Severity.values:
        add("severity", "Choose how serious it is.")
    if occurred_on is None:
        add("occurred_on", "Enter the date it happened, like 01/09/2026.")
    elif occurred_on > timezone.localdate():
        add("occurred_on", "The date it happened cannot be in the future.")
    if not clean_text(description):
        add("description", "Describe what happened.")
    for person in people:
        for problem in _check_person(school, person):
            if problem not in errors.get("people", []):
                add("people", problem)
    return errors


def _next_number(school: School, year: int) -> int:
    latest = Incident.objects.filter(school=school, year=year).aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


@transaction.atomic
def incident_report(
    *,
    school: School,
    reporter,
    submission_key: uuid.UUID,
    category: str,
    severity: str,
    occurred_on: dt.date | None,
    description: str,
    safeguarding_kind: str = "",
    occurred_time: dt.time | None = None,
    urls: str = "",
    platform: str = "",
    external_reference: str = "",
    people: list[PersonNamed] = (),  # type: ignore[assignment]
    evidence: list = (),  # type: ignore[assignment]
) -> tuple[Incident, bool]:
    """Record a report from any member of staff, route it and tell its receivers; the incident
    and whether it is new. The same form submitted twice (the same `submission_key`) returns the
    first report: a double submit makes one report."""
    people = list(people)
    evidence = list(evidence)
    errors = _validate_report(
        school=school,
        reporter=reporter,
        category=category,
        safeguarding_kind=safeguarding_kind,
        severity=severity,
        occurred_on=occurred_on,
        description=description,
        people=people,
    )
    if evidence and safeguarding_kind in NO_IMAGERY_KINDS:
        errors.setdefault("evidence", []).append(NO_IMAGERY_MESSAGE)
    try:
        urls = clean_urls(urls)
    except ValidationError as error:
        errors.setdefault("urls", []).extend(error.message_dict["urls"])
    if errors:
        raise ValidationError(errors)
    assert occurred_on is not None  # refused above when missing

    # Files are checked and written before any row is locked (slow work outside the lock); the
    # copies of a second identical submit stay unreferenced, for the orphaned-uploads job.
    stored_files = [
        stored_file_create(school=school, uploaded_by=reporter, upload=upload)
        for upload in evidence
    ]

    # The school's row is the lock for its numbering, and makes a second identical submit wait
    # for the first, then find it.
    school = School.objects.select_for_update().get(pk=school.pk)
    existing = Incident.objects.filter(reporter=reporter, submission_key=submission_key).first()
    if existing is not None:
        return existing, False

    now = timezone.now()
    year = timezone.localtime(now).year
    number = _next_number(school, year)
    decision = routing.decide(
        school=school,
        category=category,
        pupil_involved=pupil_involved(p.kind for p in people),
        subject_ids={
            p.staff_member.pk
            for p in people
            if p.kind == PersonKind.STAFF and p.staff_member and p.role in SUBJECT_ROLES
        },
    )
    incident = Incident(
        school=school,
        year=year,
        number=number,
        reference=reference_for(year, number),
        submission_key=submission_key,
        reporter=reporter,
        reported_at=now,
        category_reported=category,
        safeguarding_kind_reported=safeguarding_kind,
        severity_reported=severity,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        description=clean_text(description),
        urls=urls,
        platform=one_line(platform),
        category=category,
        safeguarding_kind=safeguarding_kind,
        severity=severity,
        external_reference=one_line(external_reference),
        route=decision.route,
        fallback_role=decision.fallback_role,
        routed_at=now,
    )
    save(incident, reporter)
    entry_add(incident, reporter, EntryKind.REPORTED, notes="Report made.")
    for person in people:
        _person_row(incident, person, reporter)
    for stored in stored_files:
        _evidence_row(incident, stored, reporter, description="")
    entry_add(incident, reporter, EntryKind.ROUTED, done_by=None, notes=routing_note(decision))
    if decision.is_gap:
        kind = "incident_routing_gap"
    else:
        kind = "incident_new_urgent" if is_urgent(category) else "incident_new"
    notify(decision.recipients, incident, kind, besides=reporter)
    alert_if_nobody(decision, incident)
    return incident, True


def alert_if_nobody(decision: routing.Routing, incident: Incident) -> None:
    """A school with nobody (but subjects) in any role of the fallback chain: the report waits
    for the fallback role's next holder, and the service's operators are alerted at once (an
    error: e-mailed to ADMINS in production). Reference and school only, never the contents."""
    if not decision.recipients:
        logger.error(
            "Incident %s of %s (school %s) could be routed to nobody: no one but its subjects "
            "holds a role of the fallback chain. It waits for a %s.",
            incident.reference,
            incident.school.name,
            incident.school_id,
            Role(decision.fallback_role).label.lower(),
        )


def routing_note(decision: routing.Routing, *, why: str = "") -> str:
    """The chronology's plain account of where the incident went (no names)."""
    group = Route(decision.route).label
    if decision.is_gap and not decision.recipients:
        fallback = Role(decision.fallback_role).label.lower()
        text = (
            f"Nobody could receive it as “{group}”, and nobody holds a role it falls back to: "
            f"it waits for a {fallback}, and the service's operators were alerted."
        )
    elif decision.is_gap:
        fallback = Role(decision.fallback_role).label.lower()
        text = f"Nobody could receive it as “{group}”, so it went to the {fallback} instead."
    else:
        text = f"Routed to: {group}."
    return f"{why} {text}".strip() if why else text


def _evidence_row(incident, stored, actor, *, description: str) -> IncidentEvidence:
    """The evidence row for a file already written (`stored_file_create`)."""
    if incident.takes_no_imagery:
        raise ValidationError({"evidence": NO_IMAGERY_MESSAGE})
    row = IncidentEvidence(
        incident=incident,
        stored_file=stored,
        description=one_line(description)[:200],
        added_by=actor,
        added_at=timezone.now(),
    )
    save(row, actor)
    return row


def apply_routing(
    incident: Incident, *, actor, why: str, tell_actor: bool = False
) -> routing.Routing:
    """Route a (locked) incident again from who is named in it now; people who can no longer see
    it lose their notifications about it, people who now receive it are told. A subject never
    keeps anything: naming one re-routes at once."""
    before = {u.pk: u for u in routing.receivers_of(incident)}
    decision = routing.decide_for(incident)
    people = list(incident.people.select_related("staff_member"))
    subjects = [p.staff_member for p in people if p.is_subject]
    subject_ids = {u.pk for u in subjects}
    changed = (decision.route, decision.fallback_role) != (incident.route, incident.fallback_role)
    handler_cleared = False
    if incident.handler_id and (
        incident.handler_id in subject_ids
        or (changed and not access.roles_in(incident.handler, incident.school) & decision.roles)
    ):
        incident.handler = None
        handler_cleared = True
    if changed:
        incident.route = decision.route
        incident.fallback_role = decision.fallback_role
        incident.routed_at = timezone.now()
    if changed or handler_cleared:
        save(incident, actor)
        notes = routing_note(decision, why=why)
        if handler_cleared:
            notes += " The handler was unassigned: the new receivers choose who handles it."
        entry_add(incident, actor, EntryKind.ROUTED, done_by=None, notes=notes)
    after = {u.pk: u for u in routing.receivers_of(incident)}
    lost = [u for pk, u in before.items() if pk not in after]
    withdraw_from([*lost, *subjects], incident, actor=actor)
    gained = [u for pk, u in after.items() if pk not in before]
    kind = "incident_routing_gap" if decision.is_gap else "incident_routed"
    notify(gained, incident, kind, besides=None if tell_actor else actor)
    if changed:
        alert_if_nobody(decision, incident)
    return decision


@transaction.atomic
def incident_person_add(*, incident: Incident, actor, person: PersonNamed) -> IncidentPerson:
    """Name someone else involved (an addition to the report, in the chronology). Naming a
    member of staff as a subject makes it a staff-conduct concern and re-routes it at once."""
    incident = locked(incident)
    require_handler(actor, incident)
    problems = _check_person(incident.school, person)
    if problems:
        raise ValidationError({"__all__": problems})
    row = _person_row(incident, person, actor)
    entry_add(
        incident,
        actor,
        EntryKind.PERSON_ADDED,
        notes=f"{row.get_kind_display()} added as {row.get_role_display().lower()}.",
    )
    why = "A member of staff was named as a subject." if row.is_subject else ""
    apply_routing(incident, actor=actor, why=why)
    return row


@transaction.atomic
def incident_reroute(*, incident: Incident, actor) -> routing.Routing:
    """Route it again from who holds the roles now (e.g. once a DSL has been appointed)."""
    incident = locked(incident)
    require_handler(actor, incident)
    require(incident.is_open, "A closed incident is not routed again.")
    return apply_routing(incident, actor=actor, why="Routed again.")


@transaction.atomic
def incident_evidence_add(*, incident: Incident, actor, upload, description: str = ""):
    """Add an evidence file (kept privately). Refused, with the reason, for nude or semi-nude
    images of a child."""
    # Refused before anything is written; the file is written before the row lock is taken,
    # and everything is checked again under the lock.
    require_handler(actor, incident)
    if incident.takes_no_imagery:
        raise ValidationError({"evidence": NO_IMAGERY_MESSAGE})
    stored = stored_file_create(school=incident.school, uploaded_by=actor, upload=upload)
    incident = locked(incident)
    require_handler(actor, incident)
    row = _evidence_row(incident, stored, actor, description=description)
    entry_add(incident, actor, EntryKind.EVIDENCE_ADDED, notes=row.description)
    return row


def incidents_reroute_after_leaving(change) -> None:
    """Leaver listener: a person who leaves a school, or loses roles there, stops receiving its
    incidents at once; an incident left with nobody falls back (and raises the alert), and one
    they handled waits for a new handler."""
    membership = change.membership
    if change.leaving_date is not None and change.leaving_date > timezone.localdate():
        return  # still here until then
    user = membership.user
    affected = Incident.objects.filter(school=membership.school, status__in=OPEN_STATUSES)
    for incident in affected.select_related("school", "handler", "reporter"):
        handles = incident.handler_id == user.pk and change.leaving_date is not None
        routed_to_lost_role = bool(incident.routed_roles & change.roles_removed)
        if not (handles or routed_to_lost_role):
            continue
        incident = locked(incident)
        if handles:
            incident.handler = None
            save(incident, change.actor)
            entry_add(
                incident,
                change.actor,
                EntryKind.HANDLER,
                done_by=None,
                notes="The handler left the school: a new handler is needed.",
            )
        # The person recording a leaver is told too: they did not choose to receive the incident.
        apply_routing(
            incident,
            actor=change.actor,
            why="Someone it was routed to left the role.",
            tell_actor=True,
        )
        withdraw_from([user], incident, actor=change.actor)
