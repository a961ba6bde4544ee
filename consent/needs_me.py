"""The consent register's 'needs me now' panels (registered in ConsentConfig.ready;
socialgov.needs_me). Each reads through the consent gateway and selectors and runs a fixed number
of queries whatever the size of the school (tests/consent/test_needs_me.py):

- the office and the DPO (who keep the register): pupils with no decision for a purpose that
  needs consent, yeses that need re-confirming now (an alert), and yeses that stop counting within
  30 days — also sent as reminders (consent/reminders.py);
- the DSL team and the headteacher (who are asked to assess): pupils whose own decision waits for
  a competence assessment — also a notification when such a decision is recorded.

Links go through `consent_in_school`, which switches to the panel's school first.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from consent import access as consent_access
from consent import selectors
from socialgov.needs_me import NeedsMe, Panel


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def in_school(school, page: str) -> str:
    return reverse("consent_in_school", args=[school.pk, page])


def _register(membership) -> list[NeedsMe]:
    """What the register's keepers should act on."""
    user, school = membership.user, membership.school
    if not consent_access.can_write_register(user, school):
        return []
    found = selectors.register_attention(school, timezone.localdate())
    items = []
    if found.reconfirm:
        items.append(
            NeedsMe(
                found.reconfirm,
                f"{found.reconfirm} image "
                f"{_plural(found.reconfirm, 'consent needs', 'consents need')} re-confirming "
                "before the pupil may appear",
                in_school(school, "coming-up"),
                "alert",
            )
        )
    if found.gaps:
        items.append(
            NeedsMe(
                found.gaps,
                f"{found.gaps} {_plural(found.gaps, 'pupil has', 'pupils have')} no image consent "
                "decision for a purpose that needs one",
                in_school(school, "gaps"),
            )
        )
    if found.lapsing:
        items.append(
            NeedsMe(
                found.lapsing,
                f"{found.lapsing} image {_plural(found.lapsing, 'consent stops', 'consents stop')} "
                f"counting within {selectors.EXPIRING_WITHIN_DAYS} days",
                in_school(school, "coming-up"),
            )
        )
    return items


def _competence(membership) -> list[NeedsMe]:
    """Pupils' own decisions waiting for a competence assessment (the people asked to assess)."""
    school = membership.school
    if not membership.role_names & consent_access.COMPETENCE_ASKED:
        return []
    waiting = selectors.pupils_waiting_for_competence(school, timezone.localdate()).count()
    if not waiting:
        return []
    return [
        NeedsMe(
            waiting,
            f"{waiting} {_plural(waiting, 'pupil’s', 'pupils’')} own image consent "
            f"{_plural(waiting, 'decision waits', 'decisions wait')} for a competence assessment",
            in_school(school, "competence"),
        )
    ]


PANELS = [
    Panel("consent.register", _register, order=300),
    Panel("consent.competence", _competence, order=310),
]
