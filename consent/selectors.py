"""Reads of the consent register. Each runs a fixed number of queries whatever the size of the
school: the pages' query budgets (tests/consent/test_query_budgets.py) hold them to it.

Every function takes querysets or objects the caller has already passed through the access
gateway (`consent.access`), or a school the caller has checked the person's role in.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from consent import rules
from consent.check import (
    CompetenceRule,
    ConsentCheck,
    PupilCheck,
    PupilLike,
    Timelines,
    competence_rule,
    consent_check,
    effective_timeline,
    load_states,
    restriction_active_on,
    status_from_state,
)
from consent.models import (
    CompetenceAssessment,
    ConsentDecision,
    ConsentState,
    GivenBy,
    ParentCarer,
    PhotoRestriction,
    Pupil,
    Purpose,
    YearGroup,
)
from consent.rules import Status

__all__ = ["ConsentCheck", "PupilCheck", "consent_check"]

EXPIRING_WITHIN_DAYS = 30
NO_CLASS = ""  # pupils the MIS gave no registration group


def current_pupils(school, on: dt.date) -> QuerySet[Pupil]:
    """Pupils on the roll on `on` (not yet left)."""
    return Pupil.objects.filter(school=school).filter(
        Q(leaving_date__isnull=True) | Q(leaving_date__gt=on)
    )


def active_purposes(school) -> QuerySet[Purpose]:
    return Purpose.objects.filter(school=school, is_active=True).order_by("order", "name")


def purposes_for_school(school) -> QuerySet[Purpose]:
    """Every purpose of the school, in use first."""
    return Purpose.objects.filter(school=school).order_by("-is_active", "order", "name")


def purpose_for_kind(school, kind: str) -> Purpose | None:
    """The school's default purpose of a kind (e.g. "social_media"), if it has one in use."""
    return Purpose.objects.filter(school=school, kind=kind, is_active=True).first()


@dataclass(frozen=True)
class ClassSummary:
    name: str  # the registration group ("" for none)
    pupils: int
    year_group: int | None

    @property
    def label(self) -> str:
        return self.name or "No class"


def classes_of(school, on: dt.date) -> list[ClassSummary]:
    """The school's classes (registration groups) with their current pupils, in year order."""
    rows = (
        current_pupils(school, on)
        .values("registration_group")
        .annotate(pupils=Count("pk"), year=Min("year_group"))
        .order_by()
    )
    classes = [
        ClassSummary(name=row["registration_group"], pupils=row["pupils"], year_group=row["year"])
        for row in rows
    ]
    return sorted(classes, key=lambda c: (c.name == NO_CLASS, c.year_group, c.name))


def pupils_in_class(school, group: str, on: dt.date) -> QuerySet[Pupil]:
    """The current pupils of one class, with what the check needs, in name order."""
    return (
        current_pupils(school, on)
        .filter(registration_group=group)
        .annotate(restricted_now=restriction_active_on(on))
        .order_by(Lower("legal_surname"), Lower("legal_forename"), "pk")
    )


def states_for(pupils, purposes) -> dict[tuple[int, int], Timelines]:
    """Stored timelines by (pupil id, purpose id): one query."""
    return load_states([p.pk for p in pupils], [p.pk for p in purposes])


# --- The register grid -----------------------------------------------------------------------


CELL_SYMBOLS = {
    "yes": ("check-circle-fill", "text-success"),
    "no": ("x-circle-fill", "text-danger"),
    "restricted": ("slash-circle-fill", "text-danger"),
    "missing": ("question-circle", "text-body-secondary"),
    "lapsed": ("exclamation-triangle-fill", "text-warning-emphasis"),
}


@dataclass(frozen=True)
class Cell:
    """One pupil and one purpose on a date: the status, and when an allowed one lapses."""

    purpose: Purpose
    status: Status
    changes_on: dt.date | None = None  # the next change (e.g. a yes expiring), if any
    changes_to: Status | None = None

    @property
    def allowed(self) -> bool:
        return self.status == Status.ALLOWED

    @property
    def allowed_until(self) -> dt.date | None:
        """The last day an allowed status holds, when a change is coming."""
        return self.changes_on - dt.timedelta(days=1) if self.changes_on else None

    @property
    def kind(self) -> str:
        """For the symbol and style: yes, no, restricted, missing (no decision) or lapsed."""
        if self.status == Status.ALLOWED:
            return "yes"
        if self.status == Status.RESTRICTED:
            return "restricted"
        if self.status == Status.NO_DECISION:
            return "missing"
        if self.status in (Status.EXPIRED, Status.NEEDS_RECONFIRMING, Status.NOT_YET_EFFECTIVE):
            return "lapsed"
        return "no"

    @property
    def icon(self) -> str:
        """The Bootstrap icon of the kind (beside the words, never instead of them)."""
        return CELL_SYMBOLS[self.kind][0]

    @property
    def colour(self) -> str:
        return CELL_SYMBOLS[self.kind][1]

    @property
    def text(self) -> str:
        """Plain words, never colour alone: "Yes", "No — withdrawn"."""
        if self.status == Status.ALLOWED:
            return "Yes"
        if self.status == Status.RESTRICTED:
            return "No — may not appear, speak to the DSL"
        return f"No — {self.status.label}"


def cell_for(
    *,
    pupil: PupilLike,
    purpose: Purpose,
    state: Timelines | None,
    on: dt.date,
    restricted: bool,
    rule: CompetenceRule,
) -> Cell:
    status = status_from_state(
        pupil=pupil, purpose=purpose, state=state, on=on, restricted=restricted, rule=rule
    )
    changes_on = changes_to = None
    if status == Status.ALLOWED and state is not None:
        timeline = effective_timeline(pupil=pupil, purpose=purpose, state=state, rule=rule)
        upcoming = rules.next_change(timeline, on)
        if upcoming is not None:
            changes_on, changes_to = upcoming
    leaves = pupil.leaving_date
    if (
        status == Status.ALLOWED
        and leaves
        and leaves > on
        and (not changes_on or leaves < changes_on)
    ):
        changes_on, changes_to = leaves, Status.LEFT
    return Cell(purpose=purpose, status=status, changes_on=changes_on, changes_to=changes_to)


@dataclass
class GridRow:
    pupil: Pupil
    cells: list[Cell] = field(default_factory=list)

    @property
    def restricted(self) -> bool:
        return bool(getattr(self.pupil, "restricted_now", False))


def grid_rows(pupils, purposes, on: dt.date, *, school) -> list[GridRow]:
    """Rows of the grid (pupils × purposes) for pupils from `pupils_in_class`: one query more
    (two the first time the school's competence setting is read)."""
    pupils = list(pupils)
    purposes = list(purposes)
    states = states_for(pupils, purposes)
    rule = competence_rule(school)
    rows = []
    for pupil in pupils:
        row = GridRow(pupil=pupil)
        for purpose in purposes:
            row.cells.append(
                cell_for(
                    pupil=pupil,
                    purpose=purpose,
                    state=states.get((pupil.pk, purpose.pk)),
                    on=on,
                    restricted=pupil.restricted_now,
                    rule=rule,
                )
            )
        rows.append(row)
    return rows


# --- One pupil -------------------------------------------------------------------------------


def pupil_decisions(pupil: Pupil) -> QuerySet[ConsentDecision]:
    """The pupil's chronology: every decision, oldest first, with who gave and recorded it."""
    return (
        ConsentDecision.objects.filter(pupil=pupil)
        .select_related("purpose", "carer", "recorded_by", "evidence", "corrects")
        .annotate(corrected=Exists(ConsentDecision.objects.filter(corrects=OuterRef("pk"))))
        .order_by("received_on", "recorded_at", "pk")
    )


def pupil_assessments(pupil: Pupil) -> QuerySet[CompetenceAssessment]:
    return (
        CompetenceAssessment.objects.filter(pupil=pupil)
        .select_related("assessed_by", "recorded_by")
        .order_by("assessed_on", "recorded_at", "pk")
    )


def pupil_restrictions(pupil: Pupil) -> QuerySet[PhotoRestriction]:
    return (
        PhotoRestriction.objects.filter(pupil=pupil)
        .select_related("set_by", "lifted_by")
        .order_by("-starts_on", "-pk")
    )


def carers_of(pupil: Pupil) -> QuerySet[ParentCarer]:
    return ParentCarer.objects.filter(pupil=pupil).order_by(Lower("full_name"))


def pupil_cells(pupil: Pupil, on: dt.date) -> list[Cell]:
    """The pupil's status for every purpose in use on `on` (three queries)."""
    loaded = (
        Pupil.objects.filter(pk=pupil.pk).annotate(restricted_now=restriction_active_on(on)).get()
    )
    purposes = list(active_purposes(pupil.school))
    return grid_rows([loaded], purposes, on, school=pupil.school)[0].cells


# --- Gaps, lapses, waiting -------------------------------------------------------------------
# These read every current pupil of a school: plain values, not model objects (a school has
# thousands), and the pupils themselves are loaded only for what a page shows.


@dataclass(frozen=True, slots=True)
class PupilFacts:
    """What the status of a pupil needs, read as plain values."""

    pk: int
    date_of_birth: dt.date
    leaving_date: dt.date | None
    restricted_now: bool
    year_group: int | None = None

    def has_left(self, on: dt.date) -> bool:
        return self.leaving_date is not None and on >= self.leaving_date


def pupil_facts(
    school, on: dt.date, *, group: str | None = None, pupils: QuerySet[Pupil] | None = None
) -> list[PupilFacts]:
    """The current pupils of `school` (of one class; or of `pupils`, current ones of `school`
    among them), in class and name order: one query."""
    pupils = current_pupils(school, on) if pupils is None else pupils
    if group is not None:
        pupils = pupils.filter(registration_group=group)
    rows = (
        pupils.annotate(restricted_now=restriction_active_on(on))
        .order_by("registration_group", Lower("legal_surname"), Lower("legal_forename"), "pk")
        .values_list("pk", "date_of_birth", "leaving_date", "restricted_now", "year_group")
    )
    return [PupilFacts(*row) for row in rows]


def _changing(school, on: dt.date) -> Q:
    """The consent states whose settled status does not say the status on `on`: those still
    changing after `on`, and those read with the presumption of competence where it applies."""
    changing = Q(settled_on__gt=on)
    if competence_rule(school).presume:
        changing |= Q(timeline_presumed__isnull=False)
    return changing


def school_cells(
    school, purposes, on: dt.date, facts: list[PupilFacts], *, pupils: QuerySet | None = None
) -> dict:
    """Every current pupil's cell for each of `purposes` on `on`, by (pupil id, purpose id)
    (the states read only of `pupils`, a subquery, when given).

    Two queries whatever the size: the settled rows as four small columns (from their settled
    day a state no longer changes), and the full timelines of the few rows still changing
    after `on` (or read with the presumption of competence). Plus the school's rule (cached).
    """
    rule = competence_rule(school)
    ids = [p.pk for p in purposes]
    by_id = {p.pk: p for p in purposes}
    changing = _changing(school, on)
    rows = ConsentState.objects.filter(school=school, purpose_id__in=ids)
    if pupils is not None:
        rows = rows.filter(pupil__in=pupils.values("pk"))
    settled = dict(
        ((pupil, purpose), status)
        for pupil, purpose, status in rows.exclude(changing).values_list(
            "pupil_id", "purpose_id", "settled_status"
        )
    )
    unsettled = {
        (pupil, purpose): (timeline, presumed)
        for pupil, purpose, timeline, presumed in rows.filter(changing).values_list(
            "pupil_id", "purpose_id", "timeline", "timeline_presumed"
        )
    }
    defaults = {p.pk: Cell(purpose=p, status=_default_status(p)) for p in purposes}
    restricted = {p.pk: Cell(purpose=p, status=Status.RESTRICTED) for p in purposes}
    settled_cells: dict[tuple[int, str], Cell] = {}
    cells = {}
    for pupil in facts:
        for purpose_id in ids:
            key = (pupil.pk, purpose_id)
            if pupil.restricted_now:
                cells[key] = restricted[purpose_id]
            elif key in unsettled:
                cells[key] = cell_for(
                    pupil=pupil, purpose=by_id[purpose_id], state=unsettled[key], on=on,
                    restricted=False, rule=rule,
                )  # fmt: skip
            elif key in settled:
                status = settled[key]
                cell = settled_cells.get((purpose_id, status))
                if cell is None:
                    cell = Cell(purpose=by_id[purpose_id], status=Status(status))
                    settled_cells[(purpose_id, status)] = cell
                cells[key] = cell
            else:
                cells[key] = defaults[purpose_id]
    return cells


def _default_status(purpose: Purpose) -> Status:
    return Status.NO_DECISION if purpose.needs_consent else Status.ALLOWED


def pupils_by_id(ids) -> dict[int, Pupil]:
    """The pupils to show, by id: one query."""
    return Pupil.objects.in_bulk(list(ids))


@dataclass
class Gap:
    pupil_id: int
    purposes: list[Purpose]
    pupil: Pupil | None = None  # loaded by `with_pupils` for what is shown


def with_pupils(items: list) -> list:
    """Attach each item's pupil (one query for all of them); the items, for chaining."""
    found = pupils_by_id({item.pupil_id for item in items})
    for item in items:
        item.pupil = found[item.pupil_id]
    return items


def gaps(school, on: dt.date, *, group: str | None = None) -> list[Gap]:
    """Current pupils with no decision on `on` for a consent purpose in use (restricted pupils
    and public-task purposes left out: nothing needs asking), in class and name order. Four
    queries; `with_pupils` loads the pupils of those shown.

    The database picks the pupils who may have a gap (not every consent purpose with a settled
    status other than no decision) and says, for each of them and each purpose, whether it has
    one; the states still changing (see `_changing`) are read in full and worked out cell by
    cell, as `school_cells` does."""
    purposes = [p for p in active_purposes(school) if p.needs_consent]
    if not purposes:
        return []
    rule = competence_rule(school)
    no_decision = {Status.NO_DECISION}
    states = ConsentState.objects.filter(school=school, purpose_id__in=[p.pk for p in purposes])
    clear = (
        states.filter(pupil=OuterRef("pk"))
        .exclude(_changing(school, on))
        .exclude(settled_status__in=sorted(no_decision))
    )
    pupils = _unrestricted_pupils(school, on).exclude(
        pk__in=_pupils_clear_of(school, purposes, on, no_decision)
    )
    if group is not None:
        pupils = pupils.filter(registration_group=group)
    flags = {f"clear_{p.pk}": Exists(clear.filter(purpose_id=p.pk)) for p in purposes}
    rows = (
        pupils.annotate(**flags)
        .order_by("registration_group", Lower("legal_surname"), Lower("legal_forename"), "pk")
        .values_list("pk", "date_of_birth", "leaving_date", *flags)
    )
    changing = states.filter(_changing(school, on))
    if group is not None:
        changing = changing.filter(pupil__registration_group=group)
    unsettled = {
        (pupil, purpose): (timeline, presumed)
        for pupil, purpose, timeline, presumed in changing.values_list(
            "pupil_id", "purpose_id", "timeline", "timeline_presumed"
        )
    }
    result = []
    for pk, date_of_birth, leaving_date, *clear_for in rows:
        pupil = PupilFacts(pk, date_of_birth, leaving_date, restricted_now=False)
        missing = [
            purpose
            for purpose, is_clear in zip(purposes, clear_for, strict=True)
            if not is_clear
            and (
                (pk, purpose.pk) not in unsettled
                or cell_for(
                    pupil=pupil, purpose=purpose, state=unsettled[(pk, purpose.pk)], on=on,
                    restricted=False, rule=rule,
                ).status == Status.NO_DECISION
            )
        ]  # fmt: skip
        if missing:
            result.append(Gap(pupil_id=pk, purposes=missing))
    return result


@dataclass
class Lapse:
    pupil_id: int
    purpose: Purpose
    on: dt.date  # the day the yes stops counting
    status: Status  # expired or needs re-confirming
    pupil: Pupil | None = None

    @property
    def last_day(self) -> dt.date:
        return self.on - dt.timedelta(days=1)


def _consent_cells(school, on: dt.date):
    """(pupil facts, cell) for every current pupil and consent purpose in use: three queries."""
    purposes = [p for p in active_purposes(school) if p.needs_consent]
    facts = pupil_facts(school, on)
    cells = school_cells(school, purposes, on, facts)
    for pupil in facts:
        for purpose in purposes:
            yield pupil, cells[(pupil.pk, purpose.pk)]


def lapsing(school, on: dt.date, *, within_days: int = EXPIRING_WITHIN_DAYS) -> list[Lapse]:
    """Yeses that stop counting (expire, or need re-confirming) within `within_days` after
    `on`, soonest first. Four queries; `with_pupils` loads the pupils."""
    until = on + dt.timedelta(days=within_days)
    result = [
        Lapse(pupil_id=pupil.pk, purpose=cell.purpose, on=cell.changes_on, status=cell.changes_to)
        for pupil, cell in _consent_cells(school, on)
        if cell.allowed
        and cell.changes_on is not None
        and cell.changes_on <= until
        and cell.changes_to in (Status.EXPIRED, Status.NEEDS_RECONFIRMING)
    ]
    return sorted(result, key=lambda lapse: lapse.on)


def needing_reconfirmation(school, on: dt.date) -> list[Lapse]:
    """Current pupils whose yes needs re-confirming on `on`, in class and name order. Three
    queries; `with_pupils` loads the pupils."""
    return [
        Lapse(pupil_id=pupil.pk, purpose=cell.purpose, on=on, status=cell.status)
        for pupil, cell in _consent_cells(school, on)
        if cell.status == Status.NEEDS_RECONFIRMING
    ]


# A consent purpose's yes that no longer counts, or was never given: the pupil may not appear.
MISSING_OR_EXPIRED = frozenset({Status.NO_DECISION, Status.EXPIRED, Status.NEEDS_RECONFIRMING})


def _unrestricted_pupils(school, on: dt.date) -> QuerySet[Pupil]:
    """The current pupils not restricted on `on` (whatever their states, they may not appear)."""
    return (
        current_pupils(school, on)
        .annotate(restricted_now=restriction_active_on(on))
        .filter(restricted_now=False)
    )


def _pupils_clear_of(school, purposes, on: dt.date, statuses) -> QuerySet:
    """The ids of the pupils whose state for each of `purposes` is settled on `on` with a status
    not in `statuses` (a subquery: one grouped pass over the school's states). Every other
    pupil has, for some purpose, a state still changing, a settled status in `statuses`, or no
    state (the default: no decision for a consent purpose)."""
    return (
        ConsentState.objects.filter(school=school, purpose_id__in=[p.pk for p in purposes])
        .exclude(_changing(school, on))
        .exclude(settled_status__in=sorted(statuses))
        .order_by()
        .values("pupil")
        # COUNT(*), not of the key: the covering index of the settled columns answers alone.
        .annotate(n=Count("*"))
        .filter(n=len(purposes))
        .values("pupil")
    )


def _pupils_changing(school, purposes, on: dt.date) -> QuerySet:
    """The ids of the pupils with a state for one of `purposes` whose status on `on` is not its
    settled one (see `_changing`), as a subquery."""
    return (
        ConsentState.objects.filter(school=school, purpose_id__in=[p.pk for p in purposes])
        .filter(_changing(school, on))
        .values("pupil")
    )


def _pupils_with_status_in(school, purposes, on: dt.date, statuses) -> int:
    """How many current pupils not restricted have, for some consent purpose of `purposes`, a
    status in `statuses` (which hold no decision, the default) on `on`: those whose states are
    settled counted by the database, the few changing ones cell by cell. Four queries."""
    if not purposes:
        return 0
    pupils = _unrestricted_pupils(school, on)
    changing = _pupils_changing(school, purposes, on)
    settled = (
        pupils.exclude(pk__in=_pupils_clear_of(school, purposes, on, statuses))
        .exclude(pk__in=changing)
        .count()
    )
    still_changing = pupils.filter(pk__in=changing)
    facts = pupil_facts(school, on, pupils=still_changing)
    cells = school_cells(school, purposes, on, facts, pupils=still_changing)
    found = {
        pupil.pk
        for pupil in facts
        for purpose in purposes
        if cells[(pupil.pk, purpose.pk)].status in statuses
    }
    return settled + len(found)


def pupils_missing_consent(school, on: dt.date) -> int:
    """How many current pupils have, for some consent purpose in use, no decision, an expired yes
    or a yes that needs re-confirming on `on` (restricted pupils left out, as in `gaps`): the
    leaders' summary strip. Counted by the database for the pupils whose every state is settled
    by `on` (a pupil is missing consent unless each purpose has a settled status that lets them
    appear); the few with a state still changing are worked out cell by cell, as the register
    does. Five queries, no pupil's row loaded but those few."""
    purposes = [p for p in active_purposes(school) if p.needs_consent]
    return _pupils_with_status_in(school, purposes, on, MISSING_OR_EXPIRED)


def pupils_with_gap(school, purposes, on: dt.date) -> int:
    """How many current pupils have no decision on `on` for some of `purposes` that needs
    consent (as many as `gaps` lists, without reading them): four queries."""
    return _pupils_with_status_in(
        school, [p for p in purposes if p.needs_consent], on, frozenset({Status.NO_DECISION})
    )


@dataclass(frozen=True)
class Attention:
    """What the register's keepers should act on, for one school on one date."""

    gaps: int  # current pupils with no decision for a consent purpose in use
    lapsing: int  # yeses that stop counting within EXPIRING_WITHIN_DAYS
    reconfirm: int  # yeses that need re-confirming now


def register_attention(school, on: dt.date) -> Attention:
    """One pass over the school's current pupils and states (three queries): the numbers the
    office's dashboard and reminders show."""
    until = on + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
    gap_pupils, lapsing_count, reconfirm = set(), 0, 0
    for pupil, cell in _consent_cells(school, on):
        if cell.status == Status.NO_DECISION:
            gap_pupils.add(pupil.pk)
        elif cell.status == Status.NEEDS_RECONFIRMING:
            reconfirm += 1
        elif (
            cell.allowed
            and cell.changes_on is not None
            and cell.changes_on <= until
            and cell.changes_to in (Status.EXPIRED, Status.NEEDS_RECONFIRMING)
        ):
            lapsing_count += 1
    return Attention(gaps=len(gap_pupils), lapsing=lapsing_count, reconfirm=reconfirm)


def pupils_waiting_for_competence(school, on: dt.date) -> QuerySet[Pupil]:
    """Current pupils who gave their own decision, with no competence assessment recorded."""
    own = ConsentDecision.objects.filter(pupil=OuterRef("pk"), given_by=GivenBy.PUPIL)
    assessed = CompetenceAssessment.objects.filter(pupil=OuterRef("pk"))
    return (
        current_pupils(school, on)
        .filter(Exists(own))
        .exclude(Exists(assessed))
        .order_by("registration_group", Lower("legal_surname"), "pk")
    )


# --- Counts (governors) ----------------------------------------------------------------------

# Governors see these groups of reasons, never a pupil; a restriction is counted within "may
# not appear" and never on its own (a small number could identify an adopted child).
COUNT_GROUPS = {
    Status.REFUSED: "refused, withdrawn or objected",
    Status.WITHDRAWN: "refused, withdrawn or objected",
    Status.OBJECTED: "refused, withdrawn or objected",
    Status.NO_DECISION: "no decision yet",
    Status.EXPIRED: "expired or needs re-confirming",
    Status.NEEDS_RECONFIRMING: "expired or needs re-confirming",
    Status.NOT_YET_EFFECTIVE: "other",
    Status.RESTRICTED: "other",
}
COUNT_GROUP_ORDER = [
    "refused, withdrawn or objected",
    "no decision yet",
    "expired or needs re-confirming",
    "other",
]


@dataclass
class PurposeCount:
    purpose: Purpose
    pupils: int
    allowed: int
    by_group: dict[str, int]

    @property
    def blocked(self) -> int:
        return self.pupils - self.allowed

    @property
    def percent(self) -> int:
        return round(100 * self.allowed / self.pupils) if self.pupils else 0

    @property
    def groups(self) -> list[tuple[str, int]]:
        return [(name, self.by_group.get(name, 0)) for name in COUNT_GROUP_ORDER]


ALL_YEARS = None  # the year group key of `StatusCounts` not counted by year group


@dataclass
class StatusCounts:
    """How many current pupils there are by year group (`pupils`), and how many have each
    status for each purpose (`cells`, by purpose id, year group and status); the year group is
    `ALL_YEARS` unless counted by year group."""

    pupils: Counter[int | None] = field(default_factory=Counter)
    cells: Counter[tuple[int, int | None, Status]] = field(default_factory=Counter)

    def of(self, purpose_id: int, year: int | None = ALL_YEARS) -> Counter[Status]:
        """The statuses of one purpose, of one year group or of every pupil."""
        found: Counter[Status] = Counter()
        for (purpose, in_year, status), n in self.cells.items():
            if purpose == purpose_id and (year is ALL_YEARS or in_year == year):
                found[status] += n
        return found


def status_counts(school, purposes, on: dt.date, *, by_year: bool = False) -> StatusCounts:
    """The statuses of the current pupils for `purposes` on `on`, counted (by year group if
    asked), as `school_cells` gives them: restricted pupils, and the states settled by `on` of
    the others, counted by the database (a pupil without a state has the purpose's default);
    the few pupils with a state still changing worked out cell by cell. Five queries (one with
    no purposes), no pupil's row loaded but those few."""
    counts = StatusCounts()
    year = ["year_group"] if by_year else []
    pupils = current_pupils(school, on)

    def per_year(**aggregates) -> list[dict]:
        if by_year:
            return list(pupils.order_by().values("year_group").annotate(**aggregates))
        return [pupils.aggregate(**aggregates)]

    if not purposes:
        for row in per_year(total=Count("pk")):
            counts.pupils[row.get("year_group", ALL_YEARS)] += row["total"]
        counts.pupils = +counts.pupils
        return counts
    # Both as subqueries the database reads once (not a look-up for each pupil).
    in_force = PhotoRestriction.objects.filter(starts_on__lte=on).filter(
        Q(lifted_on__isnull=True) | Q(lifted_on__gt=on)
    )
    restricted = Q(pk__in=in_force.values("pupil"))
    changing = Q(pk__in=_pupils_changing(school, purposes, on))
    by_year_rows = per_year(
        total=Count("pk"),
        restricted=Count("pk", filter=restricted),
        changing=Count("pk", filter=~restricted & changing),
    )
    # Pupils neither restricted nor changing: each has one settled status per purpose.
    settled_pupils: Counter[int | None] = Counter()
    for row in by_year_rows:
        in_year = row.get("year_group", ALL_YEARS)
        counts.pupils[in_year] += row["total"]
        settled_pupils[in_year] += row["total"] - row["restricted"] - row["changing"]
        for purpose in purposes:
            counts.cells[(purpose.pk, in_year, Status.RESTRICTED)] += row["restricted"]
    # From the pupils to their states (one join): asked from the states, with the pupils as a
    # subquery, PostgreSQL joined the pupils a second time for their year group, row by row
    # (17 ms against 6 ms for the large benchmark school). The school's purposes and pupils say
    # the school: filtered by it too, PostgreSQL takes the conditions as independent, expects a
    # few rows and sorts them to group.
    settled_rows = (
        pupils.exclude(restricted | changing)
        .filter(consent_states__purpose_id__in=[p.pk for p in purposes])
        .order_by()
        .values_list("consent_states__purpose_id", *year, "consent_states__settled_status")
        .annotate(n=Count("*"))
    )
    with_state: Counter[tuple[int, int | None]] = Counter()
    for purpose_id, *in_year, status, n in settled_rows:
        key = (purpose_id, in_year[0] if in_year else ALL_YEARS)
        counts.cells[(*key, Status(status))] += n
        with_state[key] += n
    for purpose in purposes:
        for in_year, n in settled_pupils.items():
            counts.cells[(purpose.pk, in_year, _default_status(purpose))] += (
                n - with_state[(purpose.pk, in_year)]
            )
    changing_pupils = pupils.exclude(restricted).filter(changing)
    facts = pupil_facts(school, on, pupils=changing_pupils)
    cells = school_cells(school, purposes, on, facts, pupils=changing_pupils)
    for pupil in facts:
        in_year = pupil.year_group if by_year else ALL_YEARS
        for purpose in purposes:
            counts.cells[(purpose.pk, in_year, cells[(pupil.pk, purpose.pk)].status)] += 1
    counts.pupils, counts.cells = +counts.pupils, +counts.cells  # without the zeros
    return counts


def consent_counts(school, on: dt.date) -> list[PurposeCount]:
    """Per purpose in use: how many current pupils may appear and, in groups, why others may
    not. Counts only (governors). Six queries (see `status_counts`)."""
    purposes = list(active_purposes(school))
    counts = status_counts(school, purposes, on)
    pupils = sum(counts.pupils.values())
    result = []
    for purpose in purposes:
        statuses = counts.of(purpose.pk)
        groups: Counter[str] = Counter()
        for status, n in statuses.items():
            if status != Status.ALLOWED and n:
                groups[COUNT_GROUPS.get(status, "other")] += n
        result.append(
            PurposeCount(
                purpose=purpose,
                pupils=pupils,
                allowed=statuses[Status.ALLOWED],
                by_group=dict(groups),
            )
        )
    return result


# --- Lists -----------------------------------------------------------------------------------


def pupil_list(
    visible: QuerySet[Pupil], *, school, on: dt.date, search: str = "", group: str | None = None,
    include_left: bool = False,
) -> QuerySet[Pupil]:  # fmt: skip
    """Pupils of `school` from the gateway's queryset, filtered, in class and name order."""
    pupils = visible.filter(school=school).annotate(restricted_now=restriction_active_on(on))
    if not include_left:
        pupils = pupils.filter(Q(leaving_date__isnull=True) | Q(leaving_date__gt=on))
    if group is not None:
        pupils = pupils.filter(registration_group=group)
    for word in search.split()[:5]:
        pupils = pupils.filter(
            Q(legal_forename__icontains=word)
            | Q(legal_surname__icontains=word)
            | Q(preferred_forename__icontains=word)
            | Q(preferred_surname__icontains=word)
            | Q(upn__iexact=word)
            | Q(admission_number__iexact=word)
        )
    return pupils.order_by(
        "registration_group", Lower("legal_surname"), Lower("legal_forename"), "pk"
    )


def year_group_label(value: int | None) -> str:
    if value is None:
        return ""
    return str(YearGroup(value).label)
