"""Reads of incident reports, always through the gateway (incidents.reports.access), with related
rows loaded so that every page runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from incidents.reports.access import incident_handling_visible_to, incident_visible_to
from incidents.reports.models import (
    CASE_MANAGER_ROUTES,
    NO_IMAGERY_KINDS,
    OPEN_STATUSES,
    PARENT_POSTINGS_LADDER,
    ROUTE_ROLES,
    SUBJECT_ROLES,
    TECHNICAL_CATEGORIES,
    ActionType,
    Category,
    EntryKind,
    HarmThreshold,
    IctAction,
    ImageryDecision,
    Incident,
    IncidentEntry,
    IncidentPerson,
    OutsiderRelationship,
    PersonKind,
    PersonRole,
    Severity,
    Status,
)
from socialgov.people.models import Membership
from socialgov.people.roles import DSL_TEAM, Role

# What another app may report as an online-safety incident from its own log (the official
# accounts' comments log): the categories about comments and posts online.
ONLINE_COMMENT_CATEGORIES = (
    Category.ACCOUNT_COMMENT,
    Category.ABUSIVE_POST,
    Category.CYBERBULLYING,
    Category.PARENT_CONDUCT,
    Category.MISINFORMATION,
    Category.PUPIL_BEHAVIOUR,
)

NO_ACTION_DAYS = 7


def online_comment_category_choices() -> list[tuple[str, str]]:
    """(value, label) of the categories another app may report a comment as."""
    return [(category.value, category.label) for category in ONLINE_COMMENT_CATEGORIES]


def severity_choices() -> list[tuple[str, str]]:
    return list(Severity.choices)


HANDLING_STATUSES = frozenset({Status.TRIAGED, Status.INVESTIGATING, Status.ACTION_TAKEN})


# --- Working days (KCSIE: the LADO within one working day) ---------------------------------


def next_working_day(day: dt.date) -> dt.date:
    """The next weekday after `day` (bank holidays are not known to SocialGov)."""
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def threshold_overdue_before(on: dt.date) -> dt.datetime:
    """Concerns reported before this moment are past their one working day on `on`: the latest
    reporting date whose next working day has ended before `on`, plus one day."""
    day = on - dt.timedelta(days=1)
    while next_working_day(day) >= on:
        day -= dt.timedelta(days=1)
    start_of_next = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start_of_next)


# --- What waits for whom: one set of conditions for panels, lists and reminders -----------------


def routed_to_roles(roles: frozenset[str]) -> Q:
    """Incidents whose routed roles include one of `roles` (not by being their handler)."""
    routes = [route for route, route_roles in ROUTE_ROLES.items() if route_roles & roles]
    return Q(fallback_role="", route__in=routes) | Q(fallback_role__in=sorted(roles))


def _no_ict_action():
    return ~Exists(IctAction.objects.filter(incident=OuterRef("pk")))


def _no_imagery_decision():
    return ~Exists(ImageryDecision.objects.filter(incident=OuterRef("pk")))


def _takes_no_imagery() -> Q:
    return Q(safeguarding_kind__in=NO_IMAGERY_KINDS) | Q(
        safeguarding_kind_reported__in=NO_IMAGERY_KINDS
    )


def waiting_conditions(user, roles: frozenset[str], *, now: dt.datetime | None = None) -> dict:
    """Each kind of step waiting for `user` (holding `roles` in the school): a condition on the
    incidents they handle. Shared by the dashboard panels, the list's filters and the reminders."""
    now = now or timezone.now()
    open_ = Q(status__in=OPEN_STATUSES)
    handling = Q(status__in=HANDLING_STATUSES)
    mine = Q(handler=user)
    routed = routed_to_roles(roles)
    technical = Q(category__in=TECHNICAL_CATEGORIES) | Q(category_reported__in=TECHNICAL_CATEGORIES)
    can_ict = mine | Q(pk__in=[]) if Role.NETWORK_MANAGER not in roles else Q()
    case_manager = Q(route__in=CASE_MANAGER_ROUTES) & routed
    dsl = Q() if roles & DSL_TEAM else Q(fallback_role__in=sorted(roles))
    undecided = case_manager & open_ & Q(harm_threshold=HarmThreshold.UNDECIDED)
    return {
        "triage": Q(status=Status.REPORTED) & (routed | mine),
        "urgent": Q(status=Status.REPORTED, category=Category.SAFEGUARDING) & (routed | mine),
        "handling": handling & mine,
        "unassigned": handling & Q(handler__isnull=True) & routed,
        "stale": handling & mine & Q(last_action_at__lt=now - dt.timedelta(days=NO_ACTION_DAYS)),
        "threshold": undecided,
        "threshold_overdue": undecided
        & Q(reported_at__lt=threshold_overdue_before(timezone.localdate(now))),
        "ict": open_ & technical & can_ict & _no_ict_action(),
        "imagery": open_ & _takes_no_imagery() & dsl & _no_imagery_decision(),
        "gap": open_ & ~Q(fallback_role="") & Q(fallback_role__in=sorted(roles)),
    }


def waiting_counts(membership: Membership) -> dict[str, int]:
    """How many incidents of the membership's school wait for the person, per kind of step, and
    how many are open in all ("open": the summary strip's figure) (one query, through the
    gateway)."""
    user, roles = membership.user, membership.role_names
    conditions = waiting_conditions(user, roles)
    # Every step waits on an open incident: closed ones (most of a school's) are not read.
    visible = incident_handling_visible_to(user).filter(
        school_id=membership.school_id, status__in=sorted(OPEN_STATUSES)
    )
    # Grouped by the one school rather than `aggregate()`, which re-walks every condition of
    # every count against the counts before it (most of this panel's cost); no open incident
    # at all: no row, every count nought.
    counts = (
        visible.order_by()
        .values("school_id")
        .annotate(
            open=Count("pk"),
            **{name: Count("pk", filter=condition) for name, condition in conditions.items()},
        )
    )
    row = next(iter(counts), None)
    return {name: row[name] if row else 0 for name in ["open", *conditions]}


# --- Lists ------------------------------------------------------------------------------------

LIST_FILTERS = {
    "open": "Open",
    "triage": "To triage",
    "handling": "Handled by me",
    "unassigned": "Needing a handler",
    "stale": "No action for 7 days",
    "threshold": "Harm threshold to decide",
    "ict": "ICT section to complete",
    "imagery": "Imagery decision to record",
    "gap": "Routing gaps",
    "closed": "Closed",
    "all": "All",
}


def incidents_for_list(
    user, school, *, show: str = "open", q: str = "", category: str = ""
) -> QuerySet[Incident]:
    """The incidents of `school` the person handles, filtered and searched (reference, external
    reference, description), newest first, handler loaded."""
    incidents = incident_handling_visible_to(user).filter(school=school)
    membership = next(
        (m for m in _memberships(user) if m.school_id == getattr(school, "pk", school)), None
    )
    roles = membership.role_names if membership else frozenset()
    conditions = waiting_conditions(user, roles)
    if show == "closed":
        incidents = incidents.filter(status=Status.CLOSED)
    elif show in conditions:
        incidents = incidents.filter(conditions[show])
    elif show != "all":
        incidents = incidents.filter(status__in=OPEN_STATUSES)
    if category in Category.values:
        incidents = incidents.filter(category=category)
    q = (q or "").strip()
    if q:
        incidents = incidents.filter(
            Q(reference__icontains=q)
            | Q(external_reference__icontains=q)
            | Q(description__icontains=q)
        )
    return incidents.select_related("handler").order_by("-reported_at", "-pk")


def _memberships(user):
    from socialgov import access

    return access.current_memberships(user)


def incidents_reported_by(user, school) -> QuerySet[Incident]:
    """The person's own reports at the school (reference and status are all they show)."""
    return (
        incident_visible_to(user)
        .filter(school=school, reporter=user)
        .only("pk", "reference", "reported_at", "status", "school_id", "reporter_id")
        .order_by("-reported_at", "-pk")
    )


# --- One incident -----------------------------------------------------------------------------


@dataclass
class LadderStep:
    action_type: str
    label: str
    done_on: dt.date | None


@dataclass
class IncidentPage:
    people: list[IncidentPerson]
    entries: list[IncidentEntry]
    evidence: list
    ict_action: IctAction | None
    threshold_decisions: list
    imagery_decisions: list
    debrief: object | None
    debrief_policies: list
    ladder: list[LadderStep] = field(default_factory=list)
    # (subject, their earlier low-level concerns) for the case manager: patterns.
    earlier_low_level: list[tuple[IncidentPerson, list[Incident]]] = field(default_factory=list)

    @property
    def subjects(self) -> list[IncidentPerson]:
        return [p for p in self.people if p.is_subject]

    @property
    def ladder_stage(self) -> LadderStep | None:
        done = [step for step in self.ladder if step.done_on]
        return done[-1] if done else None

    @property
    def ladder_next(self) -> LadderStep | None:
        stage = self.ladder_stage
        steps = self.ladder
        if stage is None:
            return steps[0] if steps else None
        following = steps[steps.index(stage) + 1 :]
        return next((s for s in following if not s.done_on), None)


def shows_parent_ladder(incident: Incident, people: list[IncidentPerson]) -> bool:
    """A parent's online postings: the policies' escalation ladder applies."""
    if incident.category == Category.PARENT_CONDUCT:
        return True
    return any(
        p.kind == PersonKind.OUTSIDER
        and p.relationship == OutsiderRelationship.PARENT
        and p.role == PersonRole.ALLEGED_PERPETRATOR
        for p in people
    )


def incident_page(user, incident: Incident) -> IncidentPage:
    """Everything the incident page shows, in a fixed number of queries."""
    from incidents.reports.models import Debrief, DebriefPolicy, HarmThresholdDecision

    people = list(incident.people.select_related("staff_member", "added_by"))
    entries = list(
        IncidentEntry.objects.filter(incident=incident)
        .select_related("done_by", "recorded_by")
        .order_by("happened_at", "pk")
    )
    evidence = list(incident.evidence.select_related("stored_file", "added_by"))
    ict_action = (
        IctAction.objects.filter(incident=incident).select_related("done_by", "recorded_by").first()
    )
    thresholds = list(
        HarmThresholdDecision.objects.filter(incident=incident).select_related("decided_by")
    )
    imagery = list(ImageryDecision.objects.filter(incident=incident).select_related("decided_by"))
    debrief = Debrief.objects.filter(incident=incident).select_related("recorded_by").first()
    debrief_policies = (
        list(DebriefPolicy.objects.filter(debrief=debrief).select_related("policy"))
        if debrief
        else []
    )
    page = IncidentPage(
        people=people,
        entries=entries,
        evidence=evidence,
        ict_action=ict_action,
        threshold_decisions=thresholds,
        imagery_decisions=imagery,
        debrief=debrief,
        debrief_policies=debrief_policies,
    )
    if shows_parent_ladder(incident, people):
        done: dict[str, dt.date] = {}
        for entry in entries:
            if entry.kind == EntryKind.ACTION and entry.action_type not in done:
                done[entry.action_type] = timezone.localtime(entry.happened_at).date()
        page.ladder = [
            LadderStep(action_type, label, done.get(action_type))
            for action_type, label in PARENT_POSTINGS_LADDER
        ]
    subject_ids = [p.staff_member_id for p in page.subjects if p.staff_member_id is not None]
    if incident.is_staff_conduct and subject_ids:
        by_person = earlier_low_level_concerns(user, incident, subject_ids)
        page.earlier_low_level = [
            (subject, by_person.get(subject.staff_member_id, [])) for subject in page.subjects
        ]
    return page


def earlier_low_level_concerns(user, incident: Incident, staff_ids: list[int]) -> dict:
    """Earlier low-level concerns about the same people (patterns), for the case manager: those
    the person may see, at the same school (one query)."""
    earlier = (
        incident_handling_visible_to(user)
        .filter(
            school_id=incident.school_id,
            harm_threshold=HarmThreshold.NOT_MET,
            reported_at__lt=incident.reported_at,
        )
        .exclude(pk=incident.pk)
        .prefetch_related(
            Prefetch(
                "people",
                queryset=IncidentPerson.objects.filter(
                    staff_member_id__in=staff_ids, role__in=SUBJECT_ROLES
                ),
                to_attr="matching_subjects",
            )
        )
        .filter(people__staff_member_id__in=staff_ids, people__role__in=SUBJECT_ROLES)
        .distinct()
        .order_by("-reported_at")
    )
    by_person: dict[int, list[Incident]] = {pk: [] for pk in staff_ids}
    for other in earlier:
        for person in other.matching_subjects:
            by_person.setdefault(person.staff_member_id, []).append(other)
    return by_person


def dsl_team(school) -> list:
    """The school's DSL and deputies, for the report form's first lines."""
    memberships = (
        Membership.objects.current()
        .filter(school=school, roles__role__in=DSL_TEAM, user__is_active=True)
        .select_related("user")
        .prefetch_related("roles")
        .distinct()
        .order_by("user__full_name")
    )
    team = []
    for membership in memberships:
        lead = Role.DSL in membership.role_names
        team.append((membership.user.full_name, "DSL" if lead else "Deputy DSL"))
    team.sort(key=lambda member: (member[1] != "DSL", member[0]))
    return team


def school_people(school, *, include_leavers: bool = False) -> QuerySet:
    """Members of the school, for choosing a handler, a person involved or who acted."""
    from socialgov.people.models import User

    memberships = Membership.objects.filter(school=school)
    if not include_leavers:
        memberships = memberships.current()
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name")


# Governors' figures (DESIGN §5: Reports): counts only, never names; small numbers in these
# categories could identify a child or a colleague, so they are shown as "fewer than 3".
SUPPRESSED_CATEGORIES = frozenset(
    {
        Category.CYBERBULLYING,
        Category.PUPIL_BEHAVIOUR,
        Category.SAFEGUARDING,
        Category.STAFF_CONDUCT,
        Category.PERSONAL_CONTACT,
    }
)
SUPPRESS_BELOW = 3


@dataclass(frozen=True)
class CategoryCount:
    category: str
    label: str
    count: int

    @property
    def shown(self) -> str:
        """What a governor sees: the number, or "fewer than 3" where it could identify someone."""
        if self.category in SUPPRESSED_CATEGORIES and 0 < self.count < SUPPRESS_BELOW:
            return f"fewer than {SUPPRESS_BELOW}"
        return str(self.count)


def incident_counts_for_governors(school, *, since: dt.date, until: dt.date) -> list[CategoryCount]:
    """Incidents reported at `school` between the dates (inclusive), by category: counts only,
    for the governors' reports (one query). Staff-conduct concerns are staff conduct whatever
    they were reported as, so a concern cannot be recognised by its original category."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    rows = (
        Incident.objects.filter(school=school, reported_at__gte=start, reported_at__lt=end)
        .values("category", "route")
        .annotate(n=Count("pk"))
    )
    totals: dict[str, int] = dict.fromkeys(Category.values, 0)
    for row in rows:
        category = (
            Category.STAFF_CONDUCT if row["route"] in CASE_MANAGER_ROUTES else row["category"]
        )
        totals[category] += row["n"]
    return [
        CategoryCount(value, str(Category(value).label), totals[value]) for value in Category.values
    ]


def pupils_to_name(user, school) -> QuerySet:
    """The school's current pupils a person may name in a report: those they may look up in
    the consent register (every member of staff; not governors), by name."""
    from consent import access as consent_access
    from consent import selectors as consent_selectors

    pupils = consent_selectors.current_pupils(school, timezone.localdate()).order_by(
        "legal_surname", "legal_forename", "pk"
    )
    if user is None or not consent_access.can_look_up(user, school):
        return pupils.none()
    return pupils


def action_entries(incident: Incident) -> QuerySet[IncidentEntry]:
    return IncidentEntry.objects.filter(incident=incident, kind=EntryKind.ACTION)


__all__ = [
    "LIST_FILTERS",
    "NO_ACTION_DAYS",
    "ActionType",
    "IncidentPage",
    "action_entries",
    "dsl_team",
    "earlier_low_level_concerns",
    "incident_counts_for_governors",
    "incident_page",
    "incidents_for_list",
    "incidents_reported_by",
    "next_working_day",
    "routed_to_roles",
    "pupils_to_name",
    "school_people",
    "shows_parent_ladder",
    "threshold_overdue_before",
    "waiting_conditions",
    "waiting_counts",
]
