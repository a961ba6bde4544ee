"""Someone who works in two schools gets each step waiting for them under each school, and the
dashboard's link opens the page in that school (issue 15: every school they belong to)."""

import datetime as dt

import pytest
from django.urls import reverse

from socialgov.needs_me import needs_me_for
from socialgov.people.roles import Role
from tests.factories import MembershipFactory
from tests.policies.declarations.factories import declaration_for, exception_for

pytestmark = pytest.mark.django_db


def test_a_dsl_in_two_schools_sees_each_schools_steps_under_it(
    client_for, school, sister_school, staff, headteacher, sister_head
):
    from tests.factories import person_in

    lead = person_in(school, Role.DSL, full_name="Dual Lead")
    MembershipFactory(user=lead, school=sister_school, roles=[Role.DSL])
    other_staff = person_in(sister_school, Role.STAFF, full_name="Elm Teacher")
    declaration_for(staff)
    declaration_for(other_staff, school=sister_school)
    declaration_for(other_staff, school=sister_school)
    needs = {n.school.pk: n.items for n in needs_me_for(type(lead).objects.get(pk=lead.pk))}
    ours = [i for i in needs[school.pk] if "declaration" in i.sentence and "decide" in i.sentence]
    theirs = [
        i for i in needs[sister_school.pk] if "declaration" in i.sentence and "decide" in i.sentence
    ]
    assert [i.count for i in ours] == [1] and [i.count for i in theirs] == [2]
    # The sister school's link switches to it and lists its two declarations only.
    response = client_for(lead).get(theirs[0].url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2
    assert client_for(lead).session["socialgov_school_id"] == sister_school.pk
    # Each school asks for this year's confirmation separately.
    prompts = [
        n.school.pk
        for n in needs_me_for(type(lead).objects.get(pk=lead.pk))
        for i in n.items
        if i.sentence.startswith("Confirm your declarations")
    ]
    assert sorted(prompts) == sorted([school.pk, sister_school.pk])


def test_an_exception_waits_for_the_headteacher_of_its_own_school_only(
    school, sister_school, dsl, headteacher, sister_head
):
    exception_for(dsl, ends_on=dt.date.today() + dt.timedelta(days=100))
    ours = needs_me_for(type(headteacher).objects.get(pk=headteacher.pk))[0].items
    theirs = needs_me_for(type(sister_head).objects.get(pk=sister_head.pk))[0].items
    assert any("to approve" in i.sentence for i in ours)
    assert not any("exception" in i.sentence for i in theirs)
    assert reverse("declarations_in_school", args=[school.pk, "exceptions"]) in ours[0].url or any(
        reverse("declarations_in_school", args=[school.pk, "exceptions"]) in i.url for i in ours
    )
