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
