"""The check: may these pupils appear for this purpose on this date? (DESIGN §4 consent)

    result = consent_check(pupils=[...], purpose=purpose, on=date)
    if not result.allowed:
        for blocked in result.blocking:
            blocked.pupil, blocked.reason   # reason: a consent.rules.Status, e.g. WITHDRAWN

Contract (official accounts' posts build on it; keep it stable):
- `pupils`: Pupil instances or primary keys, all of the purpose's school (anything else is a
  ValueError: a post of one school can never be cleared by another school's register).
  Pupils are read afresh from the database, so a leaving date or restriction recorded a moment
  ago counts.
- `purpose`: a `Purpose` (its lawful basis decides: consent needs a recorded yes; public task
  allows unless someone objects).
- `on`: the date asked about (a post's publication date, a trip's date).
- Returns a `ConsentCheck`: `allowed` (every pupil may appear), `blocking` (each pupil who may
  not, with the reason, in name order) and `results` (every pupil's `PupilCheck`, by pupil id).
  An empty list of pupils is allowed.
- Reasons, in the order they win: restricted (a photo restriction: say only "may not appear —
  speak to the DSL", never why), left the school, then the register's: refused, withdrawn,
  objected, expired, needs re-confirming, not yet effective, no decision.
- At most three queries whatever the number of pupils: the pupils (with whether a restriction is
  active that day), their stored states for the purpose, and the school's competence setting
  (none when the purpose's school was loaded and asked before).
- It reads only: call it inside your own transaction to see that transaction's writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Exists, OuterRef, Q

from consent import rules
from consent.models import ConsentState, PhotoRestriction, Pupil, Purpose
from consent.rules import Status


@dataclass(frozen=True)
class PupilCheck:
    pupil: Pupil
    status: Status

    @property
    def allowed(self) -> bool:
        return self.status == Status.ALLOWED

    @property
    def reason(self) -> Status | None:
        """Why the pupil may not appear (None when they may)."""
        return None if self.allowed else self.status


@dataclass(frozen=True)
class ConsentCheck:
    purpose: Purpose
    on: dt.date
    results: dict[int, PupilCheck] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        return all(result.allowed for result in self.results.values())

    @property
    def blocking(self) -> list[PupilCheck]:
        return [result for result in self.results.values() if not result.allowed]

    def for_pupil(self, pupil: Pupil | int) -> PupilCheck:
        return self.results[getattr(pupil, "pk", pupil)]


def restriction_active_on(on: dt.date):
    """An `Exists()` for annotating pupils: a photo restriction is in force on `on`."""
    return Exists(
        PhotoRestriction.objects.filter(pupil=OuterRef("pk"), starts_on__lte=on).filter(
            Q(lifted_on__isnull=True) | Q(lifted_on__gt=on)
        )
    )


Timelines = tuple[rules.Timeline, "rules.Timeline | None"]  # (assessed, presumed) as stored


class PupilLike(Protocol):
    """What a status needs of a pupil (a `Pupil`, or the plain facts selectors read in bulk)."""

    @property
    def pk(self) -> Any: ...

    @property
    def date_of_birth(self) -> dt.date: ...

    @property
    def leaving_date(self) -> dt.date | None: ...

    def has_left(self, on: dt.date) -> bool: ...


@dataclass(frozen=True)
class CompetenceRule:
    """A school's reading of a pupil's own word: from which age it is presumed to count (only
    where the school presumes competence, as in Scotland)."""

    presume: bool
    age: int

    def presumed_from(self, date_of_birth: dt.date) -> dt.date | None:
        if not self.presume:
            return None
        return rules.competence_birthday(date_of_birth, self.age)


def competence_rule(school) -> CompetenceRule:
    """The school's rule (one query the first time; kept on the school object afterwards)."""
    from consent.models import SchoolConsentSettings

    cached = getattr(school, "_consent_competence_rule", None)
    if cached is None:
        presume = SchoolConsentSettings.objects.filter(
            school_id=school.pk, presume_competence=True
        ).exists()
        cached = CompetenceRule(presume=presume, age=school.pupil_competence_age)
        school._consent_competence_rule = cached
    return cached


def load_states(pupil_ids, purpose_ids) -> dict[tuple[int, int], Timelines]:
    """The stored timelines of pupils × purposes by (pupil id, purpose id): one query, plain
    tuples (no model objects: the register's big pages read thousands)."""
    pupil_ids, purpose_ids = list(pupil_ids), list(purpose_ids)
    if not pupil_ids or not purpose_ids:
        return {}
    rows = ConsentState.objects.filter(
        pupil_id__in=pupil_ids, purpose_id__in=purpose_ids
    ).values_list("pupil_id", "purpose_id", "timeline", "timeline_presumed")
    return {(pupil, purpose): (timeline, presumed) for pupil, purpose, timeline, presumed in rows}


def effective_timeline(
    *, pupil: PupilLike, purpose: Purpose, state: Timelines | None, rule: CompetenceRule
) -> rules.Timeline:
    """The timeline that applies to the pupil (the purpose's default when nothing is stored)."""
    if state is None:
        return rules.default_timeline(consent_basis=purpose.needs_consent)
    timeline, presumed = state
    return rules.effective_timeline(timeline, presumed, rule.presumed_from(pupil.date_of_birth))


def status_from_state(
    *,
    pupil: PupilLike,
    purpose: Purpose,
    state: Timelines | None,
    on: dt.date,
    restricted: bool,
    rule: CompetenceRule,
) -> Status:
    """One pupil's status from already loaded rows (the check, the grid and the lookup)."""
    if restricted:
        return Status.RESTRICTED
    if pupil.has_left(on):
        return Status.LEFT
    return rules.read_timeline(
        effective_timeline(pupil=pupil, purpose=purpose, state=state, rule=rule), on
    )


def pupils_for_check(pupil_ids: Iterable[int], on: dt.date):
    """Pupils with `restricted_now` for `on` (one query)."""
    return (
        Pupil.objects.filter(pk__in=list(pupil_ids))
        .annotate(restricted_now=restriction_active_on(on))
        .order_by("legal_surname", "legal_forename", "pk")
    )


def consent_check(*, pupils: Iterable[Pupil | int], purpose: Purpose, on: dt.date) -> ConsentCheck:
    """Whether every pupil may appear for `purpose` on `on`, and why not for each who may not."""
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise TypeError("consent_check needs a date (on=...)")
    ids = [getattr(pupil, "pk", pupil) for pupil in pupils]
    result = ConsentCheck(purpose=purpose, on=on)
    if not ids:
        return result
    loaded = list(pupils_for_check(ids, on))
    if len(loaded) != len(set(ids)):
        raise ValueError("consent_check was given pupils that do not exist")
    if any(pupil.school_id != purpose.school_id for pupil in loaded):
        raise ValueError("consent_check was given pupils of another school than the purpose's")
    states = load_states(ids, [purpose.pk])
    rule = _rule_for_purpose(purpose)
    for pupil in loaded:
        result.results[pupil.pk] = PupilCheck(
            pupil=pupil,
            status=status_from_state(
                pupil=pupil,
                purpose=purpose,
                state=states.get((pupil.pk, purpose.pk)),
                on=on,
                restricted=pupil.restricted_now,
                rule=rule,
            ),
        )
    return result


def _rule_for_purpose(purpose: Purpose) -> CompetenceRule:
    """The purpose's school's rule, in one query (the school and its settings together) unless
    the purpose's school is already loaded."""
    from socialgov.people.models import School

    school = purpose._state.fields_cache.get("school")
    if school is not None:
        return competence_rule(school)
    school = School.objects.select_related("consent_settings").get(pk=purpose.school_id)
    settings = getattr(school, "consent_settings", None)
    rule = CompetenceRule(
        presume=bool(settings and settings.presume_competence), age=school.pupil_competence_age
    )
    school._consent_competence_rule = rule
    return rule
