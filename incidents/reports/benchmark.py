"""The benchmark's incident reports (socialgov.benchmark.registry): two per member of staff across
the trust (10,000 at trust scale, shared between schools by weight), in every category and
status, with people involved, a chronology, some concerns about staff (a few about the
headteacher), closed ones with a debrief; the incident list for each role that handles them,
'my reports', an incident page, and the chronology PDF."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse
from django.utils import timezone

from incidents.reports.models import (
    CASE_MANAGER_ROUTES,
    ROUTE_ROLES,
    ActionType,
    Category,
    EntryKind,
    HarmThreshold,
    Incident,
    IncidentEntry,
    IncidentPerson,
    PersonKind,
    PersonRole,
    Severity,
    Status,
)
from incidents.reports.routing import route_for
from socialgov.benchmark.registry import (
    GENERATORS,
    PAGES,
    PDFS,
    Bench,
    Generator,
    Page,
    PageKind,
    PdfCase,
    Scale,
)
from socialgov.people.models import Membership
from socialgov.people.roles import Role, StaffGroup

PER_STAFF = 2
CATEGORIES = list(Category.values)
STATUSES = [
    Status.REPORTED,
    Status.TRIAGED,
    Status.INVESTIGATING,
    Status.ACTION_TAKEN,
    Status.CLOSED,
    Status.CLOSED,
]
# Who handles a triaged incident of each route in the synthetic data (the first that applies).
HANDLER_PREFERENCE = [
    Role.DSL,
    Role.HEADTEACHER,
    Role.CHAIR_OF_GOVERNORS,
    Role.NETWORK_MANAGER,
    Role.DPO,
    Role.SLT,
    Role.DEPUTY_DSL,
]
DESCRIPTION = (
    "Reported during the school day: what was seen or said, in the words used, where and when, "
    "and who was told. Written for the benchmark; no real person is described."
)


def _totals(scale: Scale) -> list[int]:
    return scale.per_school(scale.staff * PER_STAFF)


def _promised(scale: Scale) -> dict[str, int]:
    return {"incidents": sum(_totals(scale))}


def _counted(bench: Bench) -> dict[str, int]:
    return {"incidents": Incident.objects.filter(school__trust=bench.trust).count()}


def _holders(bench: Bench) -> dict[tuple[int, str], list]:
    holders: dict[tuple[int, str], list] = {}
    memberships = (
        Membership.objects.current()
        .filter(school__trust=bench.trust)
        .select_related("user")
        .prefetch_related("roles")
        .order_by("user__email")
    )
    for membership in memberships:
        for role in membership.role_names:
            holders.setdefault((membership.school_id, role), []).append(membership.user)
        if membership.staff_group != StaffGroup.GOVERNOR:
            holders.setdefault((membership.school_id, "any"), []).append(membership.user)
    return holders


def generate(bench: Bench) -> None:
    if Incident.objects.filter(school__trust=bench.trust).exists():
        return
    rng = bench.rng
    now = timezone.now()
    holders = _holders(bench)
    incidents: list[Incident] = []
    planned: list[tuple[Incident, bool, object]] = []  # (incident, pupil involved, subject)
    for school, total in zip(bench.schools, _totals(bench.scale), strict=True):
        staff = holders[(school.pk, "any")]
        head = holders[(school.pk, Role.HEADTEACHER)][0]
        # The member of staff the benchmark signs in as ("my reports") reports every 4th one.
        signs_in = bench.person(school, Role.STAFF)
        head_concern_made = False
        for number in range(1, total + 1):
            category = CATEGORIES[(number * 7) % len(CATEGORIES)]
            reported_at = now - dt.timedelta(days=rng.randint(0, 700), minutes=rng.randint(0, 600))
            pupil_involved = number % 3 == 0
            subject = None
            if category == Category.STAFF_CONDUCT:
                # The first concern of every school is about its headteacher (and every 40th):
                # the chair's list is never empty, so its query count compares across schools
                # (an empty page skips the page's query).
                about_head = not head_concern_made or number % 40 == 0
                subject = head if about_head else staff[rng.randrange(len(staff))]
                head_concern_made = True
            route = route_for(
                category=category,
                pupil_involved=pupil_involved,
                staff_subject=subject is not None,
                head_is_subject=subject is head,
            )
            status = STATUSES[number % len(STATUSES)]
            handler = None
            if status != Status.REPORTED:
                role = next(r for r in HANDLER_PREFERENCE if r in ROUTE_ROLES[route])
                candidates = holders.get((school.pk, role)) or [head]
                handler = candidates[0]
            severity = [Severity.LOW, Severity.MEDIUM, Severity.HIGH][number % 3]
            year = timezone.localtime(reported_at).year
            incident = Incident(
                school=school,
                year=year,
                number=number,
                reference=f"INC-{year}-{number:04d}",
                submission_key=uuid.UUID(int=(school.pk << 32) + number),
                reporter=signs_in if number % 4 == 0 else staff[rng.randrange(len(staff))],
                reported_at=reported_at,
                category_reported=category,
                safeguarding_kind_reported="online_abuse" if category == "safeguarding" else "",
                severity_reported=severity,
                occurred_on=timezone.localtime(reported_at).date(),
                description=DESCRIPTION,
                category=category,
                safeguarding_kind="online_abuse" if category == "safeguarding" else "",
                severity=severity,
                status=status,
                route=route,
                routed_at=reported_at,
                handler=handler,
                triaged_at=reported_at + dt.timedelta(hours=2) if handler else None,
                last_action_at=reported_at + dt.timedelta(days=1) if handler else None,
                harm_threshold=(
                    HarmThreshold.NOT_MET
                    if route in CASE_MANAGER_ROUTES and status == Status.CLOSED
                    else HarmThreshold.UNDECIDED
                ),
                closed_at=reported_at + dt.timedelta(days=10) if status == Status.CLOSED else None,
            )
            incidents.append(incident)
            planned.append((incident, pupil_involved, subject))
    # Incident numbers are unique per school and year: a school's numbers run on across years.
    incidents = bench.bulk_create(Incident, incidents)
    people, entries = [], []
    for incident, (_, pupil_involved, subject) in zip(incidents, planned, strict=True):
        if pupil_involved:
            people.append(
                IncidentPerson(
                    incident=incident,
                    role=PersonRole.AFFECTED,
                    kind=PersonKind.PUPIL,
                    name=f"Pupil {incident.number}",
                    year_group="Year 6",
                    added_by=incident.reporter,
                    added_at=incident.reported_at,
                )
            )
        if subject is not None:
            people.append(
                IncidentPerson(
                    incident=incident,
                    role=PersonRole.SUBJECT_OF_CONCERN,
                    kind=PersonKind.STAFF,
                    staff_member=subject,
                    added_by=incident.reporter,
                    added_at=incident.reported_at,
                )
            )
        at = incident.reported_at
        entries.append(_entry(incident, EntryKind.REPORTED, at, incident.reporter, "Report made."))
        entries.append(_entry(incident, EntryKind.ROUTED, at, incident.reporter, "Routed."))
        if incident.handler_id:
            later = at + dt.timedelta(hours=2)
            entries.append(_entry(incident, EntryKind.TRIAGED, later, incident.handler, "Triaged."))
            entries.append(
                _entry(
                    incident,
                    EntryKind.ACTION,
                    at + dt.timedelta(days=1),
                    incident.handler,
                    "Support offered to the pupil.",
                    action_type=ActionType.SUPPORT_OFFERED,
                )
            )
    bench.bulk_create(IncidentPerson, people)
    bench.bulk_create(IncidentEntry, entries)


def _entry(incident, kind, at, who, notes, action_type="") -> IncidentEntry:
    return IncidentEntry(
        incident=incident,
        kind=kind,
        action_type=action_type,
        happened_at=at,
        done_by=who,
        notes=notes,
        recorded_by=who,
        recorded_at=at,
    )


GENERATORS.register(
    Generator(name="incidents", generate=generate, promised=_promised, counted=_counted, order=300)
)


def _dsl_incident(bench: Bench, school) -> Incident:
    """An incident of `school` handled by its DSL, with a chronology."""
    return (
        Incident.objects.filter(
            school=school, handler=bench.person(school, Role.DSL), category=Category.CYBERBULLYING
        )
        .order_by("pk")
        .first()
    )


for page in (
    Page(
        name="incident list (DSL)",
        path=lambda bench, school: reverse("incident_list"),
        as_role=Role.DSL,
        kind=PageKind.LIST,
        order=300,
    ),
    Page(
        name="incident list (headteacher)",
        path=lambda bench, school: reverse("incident_list"),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=301,
    ),
    Page(
        name="incident list (network manager)",
        path=lambda bench, school: reverse("incident_list"),
        as_role=Role.NETWORK_MANAGER,
        kind=PageKind.LIST,
        order=302,
    ),
    Page(
        name="incident list (chair of governors)",
        path=lambda bench, school: reverse("incident_list"),
        as_role=Role.CHAIR_OF_GOVERNORS,
        kind=PageKind.LIST,
        order=303,
    ),
    Page(
        name="incident list, all with a search (DSL)",
        path=lambda bench, school: reverse("incident_list") + "?show=all&q=INC-",
        as_role=Role.DSL,
        kind=PageKind.LIST,
        order=304,
    ),
    Page(
        name="my reports (member of staff)",
        path=lambda bench, school: reverse("incident_mine"),
        as_role=Role.STAFF,
        kind=PageKind.LIST,
        order=305,
    ),
    Page(
        name="incident page (DSL)",
        path=lambda bench, school: reverse(
            "incident_detail", args=[_dsl_incident(bench, school).pk]
        ),
        as_role=Role.DSL,
        kind=PageKind.DETAIL,
        order=306,
    ),
):
    PAGES.register(page)


def _chronology_pdf(bench: Bench) -> bytes:
    from incidents.reports.selectors import incident_page
    from socialgov.pdf import render_pdf

    school = bench.large
    incident = _dsl_incident(bench, school)
    handler = bench.person(school, Role.DSL)
    return render_pdf(
        template="incidents/incident_chronology_pdf.html",
        context={
            "title": f"Chronology of {incident.reference}",
            "incident": incident,
            "page": incident_page(handler, incident),
            "exported_by": handler,
            "exported_at": timezone.localtime(),
        },
        school=school,
    )


PDFS.register(PdfCase(name="incident chronology PDF", render=_chronology_pdf, order=300))
