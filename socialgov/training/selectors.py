"""Reads of the training log: sessions, a person's record, and coverage (who is due)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from socialgov.people.models import Membership
from socialgov.people.roles import StaffGroup
from socialgov.training import access as training_access
from socialgov.training.models import (
    COUNTS_AS_REFRESHER,
    INDUCTION_WITHIN_DAYS,
    REFRESHER_EVERY_DAYS,
    TrainingAttendance,
    TrainingKind,
    TrainingSession,
    TrainingSettings,
)

__all__ = [
    "DUE_SOON_DAYS",
    "OVERDUE_AFTER_DAYS",
    "TRAINED_GROUPS",
    "Coverage",
    "PersonTraining",
    "coverage_for",
    "induction_within_days",
    "person_training",
    "record_of",
    "sessions_for_list",
]

# Staff and governors are trained; visitors are not tracked.
TRAINED_GROUPS = tuple(group for group in StaffGroup.values if group != StaffGroup.VISITOR)
DUE_SOON_DAYS = 30  # a person is reminded this long before their training falls due
OVERDUE_AFTER_DAYS = 30  # due for this long: overdue, and the headteacher is told


class State:
    UP_TO_DATE = "up_to_date"
    DUE_SOON = "due_soon"
    DUE = "due"
    OVERDUE = "overdue"


STATE_LABELS = {
    State.UP_TO_DATE: "Up to date",
    State.DUE_SOON: "Due soon",
    State.DUE: "Due",
    State.OVERDUE: "Overdue",
}


@dataclass(frozen=True)
class PersonTraining:
    membership: Membership
    last_induction: dt.date | None
    last_refresher: dt.date | None
    needs: str  # "induction" or "refresher"
    due_on: dt.date
    state: str

    @property
    def person(self):
        return self.membership.user

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def needs_label(self) -> str:
        return "Induction" if self.needs == "induction" else "Annual refresher"

    @property
    def is_due(self) -> bool:
        return self.state in (State.DUE, State.OVERDUE)


def induction_within_days(school_id: int) -> int:
    setting = TrainingSettings.objects.filter(school_id=school_id).first()
    return setting.induction_within_days if setting else INDUCTION_WITHIN_DAYS


def _state(due_on: dt.date, on: dt.date) -> str:
    if due_on + dt.timedelta(days=OVERDUE_AFTER_DAYS) <= on:
        return State.OVERDUE
    if due_on <= on:
        return State.DUE
    if due_on <= on + dt.timedelta(days=DUE_SOON_DAYS):
        return State.DUE_SOON
    return State.UP_TO_DATE


def _due_on(start_date, last_induction, last_refresher, within: int) -> dt.date:
    """Induction `within` days after starting, unless they have had one; then a refresher a
    year after their last induction or refresher."""
    if last_induction is None:
        return start_date + dt.timedelta(days=within)
    return (last_refresher or last_induction) + dt.timedelta(days=REFRESHER_EVERY_DAYS)


def person_training(membership, *, last_induction, last_refresher, within: int, on: dt.date):
    """Where one person is: induction due `within` days after they started unless they have
    had one; then a refresher a year after their last induction or refresher."""
    due_on = _due_on(membership.start_date, last_induction, last_refresher, within)
    return PersonTraining(
        membership=membership,
        last_induction=last_induction,
        last_refresher=last_refresher,
        needs="induction" if last_induction is None else "refresher",
        due_on=due_on,
        state=_state(due_on, on),
    )


def _latest(kinds) -> Subquery:
    return Subquery(
        TrainingAttendance.objects.filter(
            school_id=OuterRef("school_id"), person_id=OuterRef("user_id"), kind__in=kinds
        )
        .order_by("-held_on")
        .values("held_on")[:1]
    )


def _memberships(on: dt.date) -> QuerySet[Membership]:
    return (
        Membership.objects.current(on)
        .filter(staff_group__in=TRAINED_GROUPS, user__is_active=True)
        .annotate(
            last_induction=_latest([TrainingKind.INDUCTION]),
            last_refresher=_latest(list(COUNTS_AS_REFRESHER)),
        )
    )


def people_training(memberships, *, within_by_school: dict[int, int], on: dt.date):
    return [
        person_training(
            m,
            last_induction=m.last_induction,
            last_refresher=m.last_refresher,
            within=within_by_school.get(m.school_id, INDUCTION_WITHIN_DAYS),
            on=on,
        )
        for m in memberships
    ]


def training_of_schools(school_ids, on: dt.date) -> list[PersonTraining]:
    """Everyone trained at these schools (for the reminders): two queries."""
    school_ids = list(school_ids)
    within = dict(
        TrainingSettings.objects.filter(school_id__in=school_ids).values_list(
            "school_id", "induction_within_days"
        )
    )
    memberships = _memberships(on).filter(school_id__in=school_ids).select_related("user", "school")
    return people_training(memberships.order_by("pk"), within_by_school=within, on=on)


def training_states_of_schools(school_ids, on: dt.date) -> list[tuple[int, str]]:
    """(school id, state) of everyone trained at these schools, as `training_of_schools` finds
    them, without building their rows (two queries; the trust roll-up)."""
    school_ids = list(school_ids)
    within = dict(
        TrainingSettings.objects.filter(school_id__in=school_ids).values_list(
            "school_id", "induction_within_days"
        )
    )
    rows = (
        _memberships(on)  # type: ignore[misc]
        .filter(school_id__in=school_ids)
        .order_by()
        .values_list("school_id", "start_date", "last_induction", "last_refresher")
    )
    return [
        (
            school_id,
            _state(
                _due_on(
                    start_date,
                    last_induction,
                    last_refresher,
                    within.get(school_id, INDUCTION_WITHIN_DAYS),
                ),
                on,
            ),
        )
        for school_id, start_date, last_induction, last_refresher in rows
    ]


def _due_by(day: dt.date, within: int) -> Q:
    """Those whose training falls due on or before `day` (what `_due_on` works out, as a
    condition on `_attended` rows): induction `within` days after starting unless they have had
    one, then a refresher a year after the last (an induction counts as one, so a person with an
    induction always has a last refresher)."""
    return Q(last_induction__isnull=True, start_date__lte=day - dt.timedelta(days=within)) | Q(
        last_induction__isnull=False,
        last_refresher__lte=day - dt.timedelta(days=REFRESHER_EVERY_DAYS),
    )


def _attended(on: dt.date) -> QuerySet[Membership]:
    """`_memberships` with the same two dates from one join of the school's attendance grouped
    by membership instead of two subqueries per person: the cheaper plan for counting."""
    attendance = "user__training_attendances"
    return (
        Membership.objects.current(on)
        .filter(staff_group__in=TRAINED_GROUPS, user__is_active=True)
        .annotate(
            attended=FilteredRelation(
                attendance, condition=Q(**{f"{attendance}__school_id": F("school_id")})
            )
        )
        .annotate(
            last_induction=Max(
                "attended__held_on", filter=Q(attended__kind=TrainingKind.INDUCTION)
            ),
            last_refresher=Max(
                "attended__held_on", filter=Q(attended__kind__in=list(COUNTS_AS_REFRESHER))
            ),
        )
    )


def state_counts(school, on: dt.date) -> Counter:
    """How many of the school's trained people are in each state, each person's state worked out
    in the database (two queries, no rows built: the keepers' dashboard panel). The states are
    those of `_state`, tried from the most urgent: each is due by a later day than the one
    before."""
    within = induction_within_days(school.pk)
    due_by = [
        (State.OVERDUE, on - dt.timedelta(days=OVERDUE_AFTER_DAYS)),
        (State.DUE, on),
        (State.DUE_SOON, on + dt.timedelta(days=DUE_SOON_DAYS)),
    ]
    state = Case(
        *[When(_due_by(day, within), then=Value(name)) for name, day in due_by],
        default=Value(State.UP_TO_DATE),
        output_field=CharField(),
    )
    # One short string a person, counted here: cheaper to build than an aggregate of the
    # grouped rows (which Django would wrap in a subquery and rewrite).
    return Counter(
        _attended(on).filter(school=school).annotate(state=state).values_list("state", flat=True)
    )


def own_training(membership, on: dt.date) -> PersonTraining | None:
    """The person's own standing at one school (two queries); None for visitors."""
    if membership.staff_group not in TRAINED_GROUPS:
        return None
    row = _memberships(on).filter(pk=membership.pk).first()
    if row is None:
        return None
    return person_training(
        row,
        last_induction=getattr(row, "last_induction", None),  # annotated
        last_refresher=getattr(row, "last_refresher", None),
        within=induction_within_days(membership.school_id),
        on=on,
    )


@dataclass
class GroupCoverage:
    group: str
    label: str
    people: int = 0
    up_to_date: int = 0
    due_soon: int = 0
    due: int = 0
    overdue: int = 0
    inducted: int = 0  # have had their induction (whatever their state now)

    @property
    def percent(self) -> int:
        return round(100 * (self.up_to_date + self.due_soon) / self.people) if self.people else 0


@dataclass
class Coverage:
    rows: list[PersonTraining]
    groups: list[GroupCoverage]
    total: GroupCoverage
    within: int


def coverage_for(school, on: dt.date) -> Coverage:
    """Everyone of the school who is trained, where they are, and the figures by staff group
    (three queries whatever the size of the school)."""
    within = induction_within_days(school.pk)
    memberships = (
        _memberships(on)
        .filter(school=school)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    rows = people_training(memberships, within_by_school={school.pk: within}, on=on)
    groups = {
        group: GroupCoverage(group=group, label=StaffGroup(group).label) for group in TRAINED_GROUPS
    }
    total = GroupCoverage(group="", label="Everyone")
    for row in rows:
        for figures in (groups[row.membership.staff_group], total):
            figures.people += 1
            figures.inducted += row.last_induction is not None
            setattr(figures, row.state, getattr(figures, row.state) + 1)
    return Coverage(
        rows=rows,
        groups=[g for g in groups.values() if g.people],
        total=total,
        within=within,
    )


# The people table of the coverage page: the most urgent first.
STATE_ORDER = [State.OVERDUE, State.DUE, State.DUE_SOON, State.UP_TO_DATE]


@dataclass
class CoverageFigures:
    """The coverage page's figures, and who is in which state, without anyone's row built."""

    groups: list[GroupCoverage]
    total: GroupCoverage
    within: int
    states: list[tuple[int, str]]  # (membership id, state) of everyone, by name

    def membership_ids(self, state: str = "") -> list[int]:
        """Those in `state` (everyone if empty), most urgent first and by name within each."""
        chosen = [(pk, s) for pk, s in self.states if not state or s == state]
        return [pk for pk, _s in sorted(chosen, key=lambda row: STATE_ORDER.index(row[1]))]


def coverage_figures(school, on: dt.date) -> CoverageFigures:
    """What `coverage_for` counts, from plain values (three queries, no rows built: the
    coverage page shows its people a page at a time, through `rows_of`)."""
    within = induction_within_days(school.pk)
    groups = {
        group: GroupCoverage(group=group, label=StaffGroup(group).label) for group in TRAINED_GROUPS
    }
    total = GroupCoverage(group="", label="Everyone")
    states: list[tuple[int, str]] = []
    values = (
        _memberships(on)  # type: ignore[misc]
        .filter(school=school)
        .order_by("user__full_name", "pk")
        .values_list("pk", "staff_group", "start_date", "last_induction", "last_refresher")
    )
    for pk, staff_group, start_date, last_induction, last_refresher in values:
        state = _state(_due_on(start_date, last_induction, last_refresher, within), on)
        states.append((pk, state))
        for figures in (groups[staff_group], total):
            figures.people += 1
            figures.inducted += last_induction is not None
            setattr(figures, state, getattr(figures, state) + 1)
    return CoverageFigures(
        groups=[g for g in groups.values() if g.people],
        total=total,
        within=within,
        states=states,
    )


def rows_of(school, on: dt.date, membership_ids: list[int], *, within: int) -> list[PersonTraining]:
    """The rows of these members of the school, in the order given (one query); `within` is the
    school's induction period (`CoverageFigures.within`)."""
    memberships = (
        _memberships(on).filter(school=school, pk__in=membership_ids).select_related("user")
    )
    found = {
        row.membership.pk: row
        for row in people_training(memberships, within_by_school={school.pk: within}, on=on)
    }
    return [found[pk] for pk in membership_ids if pk in found]


def sessions_for_list(user, school) -> QuerySet[TrainingSession]:
    """The school's sessions with how many attended, newest first."""
    return (
        training_access.session_visible_to(user)
        .filter(school=school)
        .annotate(attended=Count("attendances"))
        .order_by("-held_on", "-pk")
    )


def attendance_of_session(session: TrainingSession) -> QuerySet[TrainingAttendance]:
    return session.attendances.select_related("person").order_by("person__full_name")


def record_of(user, school) -> QuerySet[TrainingAttendance]:
    """The person's own training at the school, newest first."""
    return (
        training_access.attendance_visible_to(user)
        .filter(school=school, person=user)
        .select_related("session")
        .order_by("-held_on", "-pk")
    )
