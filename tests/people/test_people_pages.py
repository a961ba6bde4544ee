"""The people list and a person's page: what they show, to whom, and at what cost in queries."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from socialgov.people import services
from socialgov.people.models import Membership
from socialgov.people.roles import Role, StaffGroup
from tests.factories import MembershipFactory, UserFactory, person_in


def add_people(school, headteacher, n):
    """n people of every kind the list shows: current with a password, invited, and leavers."""
    for k in range(n):
        kind = k % 3
        if kind == 0:
            person_in(school, Role.STAFF, Role.GOVERNOR)
        elif kind == 1:
            services.membership_invite(
                school=school,
                actor=headteacher,
                full_name=f"Invited {k}",
                email=f"invited{k}-{Membership.objects.count()}@willow.test",
                staff_group=StaffGroup.SUPPORT,
                roles=[Role.STAFF],
                start_date=timezone.localdate(),
            )
        else:
            MembershipFactory(
                user=UserFactory(),
                school=school,
                start_date=dt.date(2020, 9, 1),
                leaving_date=dt.date(2023, 7, 31),
                roles=[Role.STAFF],
            )


@pytest.mark.parametrize("leavers", ["", "?leavers=1"], ids=["current", "with-leavers"])
def test_people_list_query_count_is_the_same_for_5_and_50_people(
    client_for, headteacher, school, leavers
):
    client = client_for(headteacher)
    url = reverse("people_list") + leavers

    def queries_with(n):
        add_people(school, headteacher, n - Membership.objects.filter(school=school).count())
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as run:
            response = client.get(url)
        assert response.status_code == 200
        return len(run.captured_queries), response

    small, _ = queries_with(5)
    large, response = queries_with(50)
    # 9 queries, none per person: session, user, the user's memberships and roles, two-factor
    # device, trust memberships, unread-notification count, the list's memberships with users,
    # and their roles.
    assert small == large
    shown = 50 if leavers else Membership.objects.current().filter(school=school).count()
    assert len(re.findall(rb'href="/people/\d+/"', response.content)) == shown


def test_people_list_links_to_each_person_and_offers_invite_and_import(
    client_for, headteacher, staff
):
    response = client_for(headteacher).get(reverse("people_list"))
    content = response.content.decode()
    assert reverse("person_detail", args=[Membership.objects.get(user=staff).pk]) in content
    assert reverse("people_invite") in content
    assert reverse("people_import") in content


def test_invited_people_are_marked_in_the_list(client_for, headteacher, school):
    services.membership_invite(
        school=school,
        actor=headteacher,
        full_name="Ivy Invited",
        email="ivy@willow.test",
        staff_group=StaffGroup.TEACHER,
        roles=[Role.STAFF],
        start_date=timezone.localdate(),
    )
    content = client_for(headteacher).get(reverse("people_list")).content.decode()
    assert "Ivy Invited</a> <span" in content and ">Invited</span>" in content


@pytest.mark.parametrize("who", ["headteacher", "office"])
def test_person_page_shows_details_to_headteacher_and_office(request, client_for, who, staff):
    membership = Membership.objects.get(user=staff)
    membership.job_title = "Year 6 teacher"
    membership.start_date = dt.date(2021, 9, 1)
    membership.save()
    response = client_for(request.getfixturevalue(who)).get(
        reverse("person_detail", args=[membership.pk])
    )
    assert response.status_code == 200
    content = response.content.decode()
    for text in (staff.full_name, staff.email, "Teacher", "Year 6 teacher", "Staff", "01/09/2021"):
        assert text in content
    assert reverse("person_edit", args=[membership.pk]) in content
    assert reverse("person_leave", args=[membership.pk]) in content


@pytest.mark.parametrize("who", ["staff", "dsl", "governor", "chair", "network_manager"])
def test_person_page_is_refused_to_other_roles_of_the_school(request, client_for, who, office):
    membership = Membership.objects.get(user=office)
    response = client_for(request.getfixturevalue(who)).get(
        reverse("person_detail", args=[membership.pk])
    )
    assert response.status_code == 403


@pytest.mark.parametrize("view", ["person_detail", "person_edit", "person_leave"])
def test_person_pages_are_not_found_for_another_schools_headteacher(
    client_for, outsider, staff, view
):
    membership = Membership.objects.get(user=staff)
    response = client_for(outsider).get(reverse(view, args=[membership.pk]))
    assert response.status_code == 404


def test_a_person_unknown_anywhere_is_not_found(client_for, headteacher):
    response = client_for(headteacher).get(reverse("person_detail", args=[999999]))
    assert response.status_code == 404


def test_office_sees_no_change_buttons_for_privileged_people(client_for, office, dsl):
    membership = Membership.objects.get(user=dsl)
    content = client_for(office).get(reverse("person_detail", args=[membership.pk])).content
    assert reverse("person_edit", args=[membership.pk]).encode() not in content
    assert reverse("person_leave", args=[membership.pk]).encode() not in content


def test_a_person_page_in_another_of_my_schools_switches_to_it(
    client_for, headteacher, other_school
):
    MembershipFactory(user=headteacher, school=other_school, roles=[Role.OFFICE])
    colleague = person_in(other_school, Role.STAFF, full_name="Hilltop Colleague")
    client = client_for(headteacher)
    membership = Membership.objects.get(user=colleague)
    response = client.get(reverse("person_detail", args=[membership.pk]))
    assert response.status_code == 200
    assert response.context["current_school"] == other_school
