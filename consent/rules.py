"""How a pupil's image consent for one purpose reads on a date: pure functions, no database.

The rules (DESIGN §4 consent):
- Each person who has said something counts separately: every person with parental
  responsibility, and the pupil when their own word counts (a competence assessment says they
  are competent; or the school presumes competence from its competence age and no assessment
  says they are not).
- For a date, each person's word is their most recently received decision that is in force on
  that date (effective on or before it). A person whose decisions all start later is "not yet
  effective". A yes reads as "expired" after its expiry date, and as "needs re-confirming" from
  the start of the academic year after the purpose's validity (N academic years) runs out.
- The most restrictive word wins: any refusal, withdrawal or objection blocks, whatever the
  lawful basis. For a consent purpose someone's current yes is then needed (otherwise the
  reason is, in order: expired, needs re-confirming, not yet effective, no decision). For a
  public-task purpose the pupil may appear unless someone objects.
- A correction replaces the decision it corrects; a decision corrected as "recorded in error"
  no longer counts at all.

The state is stored as a timeline — a list of `[first day (ISO date) or None, status]`, each
status holding from its first day until the next entry's, None meaning "since always" — so one
row answers for any date. Restrictions and leaving are not in the timeline: the check adds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models

from socialgov.terms.selectors import academic_year_of

PUPIL = "pupil"  # the person key of the pupil's own decisions


class Status(models.TextChoices):
    """What the check says for one pupil on one date: allowed, or why not."""

    ALLOWED = "allowed", "may appear"
    NO_DECISION = "no_decision", "no decision"
    NOT_YET_EFFECTIVE = "not_yet_effective", "not yet effective"
    REFUSED = "refused", "refused"
    WITHDRAWN = "withdrawn", "withdrawn"
    OBJECTED = "objected", "objected"
    EXPIRED = "expired", "expired"
    NEEDS_RECONFIRMING = "needs_reconfirming", "needs re-confirming"
    RESTRICTED = "restricted", "may not appear — speak to the DSL"
    LEFT = "left", "left the school"


# Any of these from anyone blocks, most restrictive first (the reason shown when several apply).
HARD_NO = (Status.REFUSED, Status.WITHDRAWN, Status.OBJECTED)
# Without a current yes, a consent purpose gives the first of these that applies.
SOFT_NO = (Status.EXPIRED, Status.NEEDS_RECONFIRMING, Status.NOT_YET_EFFECTIVE)
_GRANTED = "granted"  # a person's current yes (not a Status: the combination decides)
_NEUTRAL = "neutral"  # a person's word that is neither a yes nor a no


@dataclass(frozen=True)
class DecisionFact:
    pk: int
    person: str  # "carer:<id>" or PUPIL
    outcome: str  # consent.models.Outcome
    received_on: dt.date
    effective_on: dt.date
    expires_on: dt.date | None
    corrects_id: int | None
    recorded_at: dt.datetime

    @property
    def order(self) -> tuple:
        return (self.received_on, self.recorded_at, self.pk)


@dataclass(frozen=True)
class AssessmentFact:
    assessed_on: dt.date
    competent: bool
    recorded_at: dt.datetime
    pk: int = 0

    @property
    def order(self) -> tuple:
        return (self.assessed_on, self.recorded_at, self.pk)


Timeline = list[list]  # [[iso date or None, status], ...]


def reconfirm_from(effective_on: dt.date, valid_for_years: int | None) -> dt.date | None:
    """First day a yes needs re-confirming: 1 September after `valid_for_years` academic years
    (a yes from 10/09/2025 valid for 1 year needs re-confirming from 01/09/2026)."""
    if not valid_for_years:
        return None
    return dt.date(academic_year_of(effective_on) + valid_for_years, 9, 1)


def counted_decisions(decisions: Iterable[DecisionFact]) -> list[DecisionFact]:
    """Decisions that count: neither corrected by a later one nor themselves "recorded in error"."""
    decisions = list(decisions)
    corrected = {d.corrects_id for d in decisions if d.corrects_id}
    return [d for d in decisions if d.pk not in corrected and d.outcome != "void"]


def pupil_counts_on(on: dt.date, assessments: Sequence[AssessmentFact], *, presumed: bool) -> bool:
    """Does the pupil's own word count on `on`? The latest assessment on or before that day
    decides; with no assessment, only where competence is presumed."""
    earlier = [a for a in assessments if a.assessed_on <= on]
    latest = max(earlier, key=lambda a: a.order, default=None)
    if latest is None:
        return presumed
    return latest.competent


def _person_word(decision: DecisionFact, on: dt.date, *, consent_basis: bool, valid_for_years):
    outcome = decision.outcome
    if outcome == "granted":
        if not consent_basis:
            return _NEUTRAL
        if decision.expires_on is not None and on > decision.expires_on:
            return Status.EXPIRED
        lapse = reconfirm_from(decision.effective_on, valid_for_years)
        if lapse is not None and on >= lapse:
            return Status.NEEDS_RECONFIRMING
        return _GRANTED
    if outcome == "refused":
        return Status.REFUSED
    if outcome == "withdrawn":
        return Status.WITHDRAWN
    if outcome == "objected":
        return Status.OBJECTED
    return _NEUTRAL  # objection withdrawn


def status_on(
    on: dt.date,
    *,
    decisions: Sequence[DecisionFact],
    assessments: Sequence[AssessmentFact] = (),
    consent_basis: bool,
    valid_for_years: int | None = None,
    presumed: bool = False,
) -> Status:
    """The status on one date, from decisions already filtered by `counted_decisions`."""
    pupil_counts = pupil_counts_on(on, assessments, presumed=presumed)
    by_person: dict[str, list[DecisionFact]] = {}
    for decision in decisions:
        if decision.person == PUPIL and not pupil_counts:
            continue
        by_person.setdefault(decision.person, []).append(decision)
    words = set()
    for person_decisions in by_person.values():
        in_force = [d for d in person_decisions if d.effective_on <= on]
        if not in_force:
            words.add(Status.NOT_YET_EFFECTIVE)
            continue
        latest = max(in_force, key=lambda d: d.order)
        words.add(
            _person_word(latest, on, consent_basis=consent_basis, valid_for_years=valid_for_years)
        )
    for status in HARD_NO:
        if status in words:
            return status
    if not consent_basis or _GRANTED in words:
        return Status.ALLOWED
    for status in SOFT_NO:
        if status in words:
            return status
    return Status.NO_DECISION


def _change_days(decisions, assessments, valid_for_years) -> list[dt.date]:
    days = set()
    for decision in decisions:
        days.add(decision.effective_on)
        if decision.expires_on is not None:
            days.add(decision.expires_on + dt.timedelta(days=1))
        lapse = reconfirm_from(decision.effective_on, valid_for_years)
        if decision.outcome == "granted" and lapse is not None:
            days.add(lapse)
    days.update(a.assessed_on for a in assessments)
    return sorted(days)


def timeline_for(
    *,
    decisions: Iterable[DecisionFact],
    assessments: Sequence[AssessmentFact] = (),
    consent_basis: bool,
    valid_for_years: int | None = None,
    presumed: bool = False,
) -> Timeline:
    """The status for every date, as a timeline (see the module docstring)."""
    counted = counted_decisions(decisions)
    days = _change_days(counted, assessments, valid_for_years)
    kwargs = {
        "decisions": counted,
        "assessments": assessments,
        "consent_basis": consent_basis,
        "valid_for_years": valid_for_years,
        "presumed": presumed,
    }
    # Before the first change day nothing is in force yet: read it the day before.
    first = days[0] - dt.timedelta(days=1) if days else dt.date(2000, 1, 1)
    timeline: Timeline = [[None, str(status_on(first, **kwargs))]]
    for day in days:
        status = str(status_on(day, **kwargs))
        if status != timeline[-1][1]:
            timeline.append([day.isoformat(), status])
    return timeline


def default_timeline(*, consent_basis: bool) -> Timeline:
    """The timeline of a pupil nobody has said anything about."""
    return [[None, str(Status.NO_DECISION if consent_basis else Status.ALLOWED)]]


def read_timeline(timeline: Timeline, on: dt.date) -> Status:
    """The status a timeline gives for `on`."""
    day = on.isoformat()
    status = timeline[0][1]
    for start, entry in timeline:
        if start is not None and start > day:
            break
        status = entry
    return Status(status)


def next_change(timeline: Timeline, on: dt.date) -> tuple[dt.date, Status] | None:
    """The first change after `on` (e.g. when a yes expires), or None."""
    day = on.isoformat()
    for start, entry in timeline:
        if start is not None and start > day:
            return dt.date.fromisoformat(start), Status(entry)
    return None


def competence_birthday(date_of_birth: dt.date, age: int) -> dt.date:
    """The day a pupil reaches `age` (29 February birthdays count from 1 March)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + age)
    except ValueError:
        return dt.date(date_of_birth.year + age, 3, 1)


def effective_timeline(
    timeline: Timeline, timeline_presumed: Timeline | None, presumed_from: dt.date | None
) -> Timeline:
    """The timeline that applies to a pupil: the presumed one from the day competence is
    presumed (`presumed_from`, None where the school presumes nothing), the assessed one before."""
    if presumed_from is None or not timeline_presumed:
        return timeline
    cut = presumed_from.isoformat()
    merged: Timeline = [entry for entry in timeline if entry[0] is None or entry[0] < cut]
    merged.append([cut, read_timeline(timeline_presumed, presumed_from).value])
    merged.extend(entry for entry in timeline_presumed if entry[0] is not None and entry[0] > cut)
    # Drop entries that repeat the status before them.
    result: Timeline = []
    for entry in merged:
        if not result or result[-1][1] != entry[1]:
            result.append(entry)
    return result


def newly_blocked_from(old: Timeline, new: Timeline) -> dt.date | None | bool:
    """The first day on which `old` allowed and `new` does not: a date, None for "since always",
    or False when no day became blocked (listeners are told only when something did)."""
    days = sorted({e[0] for e in old + new if e[0] is not None})
    points: list[str | None] = [None, *days]
    for point in points:
        on = dt.date(1900, 1, 1) if point is None else dt.date.fromisoformat(point)
        was = read_timeline(old, on)
        now = read_timeline(new, on)
        if was == Status.ALLOWED and now != Status.ALLOWED:
            return None if point is None else on
    return False
