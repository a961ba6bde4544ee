"""The school-wide reads (gaps, counts, the dashboard) read settled states from four small
columns and only the changing ones in full: they must give exactly what the full reading gives."""

import datetime as dt

import pytest

from consent import selectors, services
from consent.models import Outcome
from tests.consent.factories import default_purposes, pupil_for, record

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize("presume", [False, True])
def test_school_cells_agree_with_reading_each_timeline_in_full(
    school, office, dsl, headteacher, presume
):
    services.consent_settings_update(school=school, actor=headteacher, presume_competence=presume)
    purposes = list(default_purposes(school).values())
    website, social, press, displays = (
        next(p for p in purposes if p.kind == kind)
        for kind in ("website", "social_media", "press", "displays")
    )
    services.purpose_update(purpose=press, actor=headteacher, valid_for_years=1)
    press.refresh_from_db()
    pupils = [pupil_for(school, office, date_of_birth=D(2012, 5, 1)) for _ in range(6)]
    record(pupils[0], website, office, received_on=D(2025, 9, 1))
    record(pupils[0], social, office, received_on=D(2025, 9, 1), expires_on=D(2026, 12, 20))
    record(pupils[1], website, office, received_on=D(2025, 9, 1))
    record(pupils[1], website, office, Outcome.WITHDRAWN, received_on=D(2026, 11, 30),
           effective_on=D(2026, 12, 10))  # fmt: skip
    record(pupils[2], press, office, received_on=D(2025, 9, 3))
    record(pupils[3], website, office, received_on=D(2025, 9, 1))
    record(pupils[3], website, office, Outcome.REFUSED, received_on=D(2025, 9, 9), by_pupil=True)
    record(pupils[4], displays, office, Outcome.OBJECTED, received_on=D(2025, 9, 1))
    services.photo_restriction_set(pupil=pupils[5], actor=dsl, reason="Court order")
    rule = selectors.competence_rule(type(school).objects.get(pk=school.pk))
    for on in (D(2025, 8, 31), D(2025, 9, 5), D(2026, 9, 1), D(2026, 12, 1), D(2026, 12, 15)):
        facts = selectors.pupil_facts(school, on)
        fast = selectors.school_cells(type(school).objects.get(pk=school.pk), purposes, on, facts)
        states = selectors.states_for(pupils, purposes)
        for pupil in facts:
            for purpose in purposes:
                full = selectors.cell_for(
                    pupil=pupil, purpose=purpose, state=states.get((pupil.pk, purpose.pk)),
                    on=on, restricted=pupil.restricted_now, rule=rule,
                )  # fmt: skip
                assert fast[(pupil.pk, purpose.pk)].status == full.status, (on, pupil, purpose)


@pytest.mark.parametrize("presume", [False, True])
def test_pupils_missing_consent_agrees_with_reading_each_timeline_in_full(
    school, office, dsl, headteacher, presume
):
    """The summary strip's count (settled pupils counted by the database, changing ones cell
    by cell) equals the count from every pupil's full timelines, on days before, during and
    after changes: no decision, an expired yes, a withdrawal to come, a pupil's own refusal,
    a restriction, a leaver."""
    services.consent_settings_update(school=school, actor=headteacher, presume_competence=presume)
    purposes = list(default_purposes(school).values())
    website, social, press = (
        next(p for p in purposes if p.kind == kind) for kind in ("website", "social_media", "press")
    )
    services.purpose_update(purpose=press, actor=headteacher, valid_for_years=1)
    purposes = list(default_purposes(school).values())
    pupils = [pupil_for(school, office, date_of_birth=D(2012, 5, 1)) for _ in range(7)]
    for pupil in pupils[:5]:  # every purpose granted for the first five
        for purpose in purposes:
            if purpose.needs_consent:
                record(pupil, purpose, office, received_on=D(2025, 9, 1))
    record(pupils[0], social, office, received_on=D(2025, 9, 1), expires_on=D(2026, 12, 20))
    record(pupils[1], website, office, Outcome.WITHDRAWN, received_on=D(2026, 11, 30),
           effective_on=D(2026, 12, 10))  # fmt: skip
    record(pupils[2], website, office, Outcome.REFUSED, received_on=D(2025, 9, 9), by_pupil=True)
    services.photo_restriction_set(pupil=pupils[3], actor=dsl, reason="Court order")
    record(pupils[5], website, office, received_on=D(2025, 9, 1))  # the rest: no decision
    type(pupils[4]).objects.filter(pk=pupils[4].pk).update(leaving_date=D(2026, 12, 5))

    fresh = type(school).objects.get(pk=school.pk)
    rule = selectors.competence_rule(fresh)
    needing = [p for p in purposes if p.needs_consent]
    counts = []
    for on in (D(2025, 8, 31), D(2025, 9, 5), D(2026, 9, 1), D(2026, 12, 1), D(2026, 12, 15),
               D(2027, 1, 1)):  # fmt: skip
        facts = selectors.pupil_facts(fresh, on)
        states = selectors.states_for(pupils, purposes)
        full = sum(
            not pupil.restricted_now
            and any(
                selectors.cell_for(
                    pupil=pupil,
                    purpose=purpose,
                    state=states.get((pupil.pk, purpose.pk)),
                    on=on,
                    restricted=False,
                    rule=rule,
                ).status
                in selectors.MISSING_OR_EXPIRED  # fmt: skip
                for purpose in needing
            )
            for pupil in facts
        )
        assert selectors.pupils_missing_consent(type(school).objects.get(pk=school.pk), on) == full
        counts.append(full)
    assert max(counts) >= 3 and len(set(counts)) > 1, counts  # the fixture tells days apart
