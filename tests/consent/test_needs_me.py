"""The register's 'needs me now' panels: what waits for the office (gaps, re-confirming, ending
soon) and for the DSL team and headteacher (competence assessments), in every school of the
person, with a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consent import services
from consent.models import Outcome
from consent.needs_me import PANELS as CONSENT_PANELS
from socialgov.needs_me import PANELS, needs_me_for
from socialgov.people.roles import Role
from tests.consent.factories import add_pupils, pupil_for, record, social_media
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_consent_panels():
    with PANELS.only(*CONSENT_PANELS):
        yield


def sentences(user):
    return {school.school.name: [i.sentence for i in school.items] for school in needs_me_for(user)}


def test_the_office_sees_gaps_and_what_ends_soon(school, office, headteacher):
    purpose = social_media(school)
    pupil_for(school, office)
    ending = pupil_for(school, office)
    soon = dt.date.today() + dt.timedelta(days=10)
    record(ending, purpose, office, received_on=dt.date(2026, 9, 1), expires_on=soon)
    items = needs_me_for(office)[0].items
    assert [i.sentence for i in items] == [
        "2 pupils have no image consent decision for a purpose that needs one",
        "1 image consent stops counting within 30 days",
    ]
    assert items[0].url == reverse("consent_in_school", args=[school.pk, "gaps"])
    assert sentences(headteacher) == {school.name: []}


def test_a_yes_needing_reconfirmation_is_an_alert(school, office, headteacher):
    purpose = social_media(school)
    services.purpose_update(purpose=purpose, actor=headteacher, valid_for_years=1)
    purpose.refresh_from_db()
    pupil = pupil_for(school, office)
    record(pupil, purpose, office, received_on=dt.date(2025, 9, 10))
    first = needs_me_for(office)[0].items[0]
    assert first.tone == "alert"
    assert first.sentence.startswith("1 image consent needs re-confirming")


def test_the_dsl_team_and_headteacher_see_pupils_waiting_for_an_assessment(
    school, office, dsl, deputy_dsl, headteacher, staff
):
    purpose = social_media(school)
    pupil = pupil_for(school, office, date_of_birth=dt.date(2012, 1, 1))
    record(pupil, purpose, office, Outcome.REFUSED, by_pupil=True)
    expected = "1 pupil’s own image consent decision waits for a competence assessment"
    for person in (dsl, deputy_dsl, headteacher):
        assert expected in sentences(person)[school.name]
    assert sentences(staff) == {school.name: []}
    services.competence_assessment_record(
        pupil=pupil, actor=dsl, assessed_by=dsl, assessed_on=dt.date.today(), competent=True,
        note="Understands.",
    )  # fmt: skip
    assert expected not in sentences(dsl)[school.name]


def test_a_person_of_two_schools_sees_each_schools_items(school, sister_school, office):
    MembershipFactory(user=office, school=sister_school, roles=[Role.OFFICE])
    for each in (school, sister_school):
        social_media(each)
        pupil_for(each)
    found = sentences(type(office).objects.get(pk=office.pk))
    assert set(found) == {school.name, sister_school.name}
    assert all(items for items in found.values())


def _panel_queries(user) -> int:
    user = type(user).objects.get(pk=user.pk)
    needs_me_for(user)  # the memberships, cached
    with CaptureQueriesContext(connection) as captured:
        needs_me_for(user)
    return len(captured)


def test_the_panels_run_the_same_queries_for_30_and_300_pupils(school, office, dsl):
    purpose = social_media(school)
    for person in (office, dsl):
        pupils = add_pupils(school, 30, group="5A", start=200_000 if person == office else 300_000)
        for pupil in pupils[::5]:
            record(pupil, purpose, office)
    small = {p: _panel_queries(p) for p in (office, dsl)}
    pupils = add_pupils(school, 300, group="5B", start=400_000)
    for pupil in pupils[::50]:
        record(pupil, purpose, office)
    large = {p: _panel_queries(p) for p in (office, dsl)}
    # Office: purposes, pupils with settings and restrictions, states. DSL: one count.
    assert small == large
