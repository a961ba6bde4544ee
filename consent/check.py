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
- Two queries whatever the number of pupils: the pupils (with their school's settings and
  whether a restriction is active that day) and their stored states for the purpose.
- It reads only: call it inside your own transaction to see that transaction's writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

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


def presumed_from(pupil: Pupil) -> dt.date | None:
    """The day the pupil's own word starts to be presumed to count, or None (the school does
    not presume competence). Needs `pupil.school` with `consent_settings` loaded (or absent)."""
    school = pupil.school
    settings = getattr(school, "consent_settings", None)
    if settings is None or not settings.presume_competence:
        return None
    return rules.competence_birthday(pupil.date_of_birth, school.pupil_competence_age)


def status_from_state(
    *, pupil: Pupil, purpose: Purpose, state: ConsentState | None, on: dt.date, restricted: bool
) -> Status:
    """One pupil's status from already loaded rows (the check, the grid and the lookup)."""
    if restricted:
        return Status.RESTRICTED
    if pupil.has_left(on):
        return Status.LEFT
    if state is None:
        timeline = rules.default_timeline(consent_basis=purpose.needs_consent)
    else:
        timeline = rules.effective_timeline(
            state.timeline, state.timeline_presumed, presumed_from(pupil)
        )
    return rules.read_timeline(timeline, on)


def pupils_for_check(pupil_ids: Iterable[int], on: dt.date):
    """Pupils with their school's settings and `restricted_now` for `on` (one query)."""
    return (
        Pupil.objects.filter(pk__in=list(pupil_ids))
        .select_related("school", "school__consent_settings")
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
    states = {
        state.pupil_id: state
        for state in ConsentState.objects.filter(pupil_id__in=ids, purpose=purpose)
    }
    for pupil in loaded:
        result.results[pupil.pk] = PupilCheck(
            pupil=pupil,
            status=status_from_state(
                pupil=pupil,
                purpose=purpose,
                state=states.get(pupil.pk),
                on=on,
                restricted=pupil.restricted_now,
            ),
        )
    return result
