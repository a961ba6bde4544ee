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
def test_people_list_query_count_is_the_same_for_12_and_120_people(
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

    small, _ = queries_with(12)
    large, response = queries_with(120)
    # 10 queries, none per person: session, user, the user's memberships and roles, two-factor
    # device, trust memberships, unread-notification count, the paginator's count, one page of
    # memberships with their users, and their roles.
    assert small == large
    listed = Membership.objects.filter(school=school)
    listed = listed if leavers else listed.current()
    assert response.context["page"].paginator.count == listed.count()
    assert len(re.findall(rb'href="/people/\d+/"', response.content)) == 50


def test_the_people_list_is_paginated_50_a_page_in_name_order(client_for, headteacher, school):
    for n in range(60):
        person_in(school, Role.STAFF, full_name=f"Person {n:02d}")
    client = client_for(headteacher)
    first = client.get(reverse("people_list"))
    names = [m.user.full_name for m in first.context["page"].object_list]
    assert len(names) == 50 and names == sorted(names)
    content = first.content.decode()
    assert "61 people, 1–50 shown" in content and "?page=2" in content
    second = client.get(reverse("people_list"), {"page": "2"})
    rest = [m.user.full_name for m in second.context["page"].object_list]
    assert len(rest) == 11 and not set(rest) & set(names)
    # A page past the end, or not a number, shows a real page rather than an error.
    for page in ("99", "x", "-1"):
        assert client.get(reverse("people_list"), {"page": page}).status_code == 200


def test_the_people_list_searches_names_and_e_mail_addresses(
    client_for, headteacher, staff, dsl, school
):
    person_in(school, Role.STAFF, full_name="Samira Khan", email="sk@willow.test")
    client = client_for(headteacher)

    def found(**params):
        response = client.get(reverse("people_list"), params)
        assert response.status_code == 200
        return sorted(m.user.full_name for m in response.context["page"].object_list)

    assert found(q="sam") == ["Sam Staff", "Samira Khan"]
    assert found(q=" DSL@WILLOW ") == ["Dev Singh"]
    assert found(q="nobody") == []
    assert (
        "Nobody matches these filters."
        in client.get(reverse("people_list"), {"q": "nobody"}).content.decode()
    )


def test_the_people_list_filters_by_staff_group_and_role(
    client_for, headteacher, office, staff, governor, school
):
    client = client_for(headteacher)

    def found(**params):
        response = client.get(reverse("people_list"), params)
        return sorted(m.user.full_name for m in response.context["page"].object_list)

    assert found(staff_group=StaffGroup.SUPPORT) == ["Olive Office"]
    assert found(role=Role.GOVERNOR) == ["Gwen Governor"]
    assert found(staff_group=StaffGroup.TEACHER, role=Role.STAFF) == ["Sam Staff"]
    assert found(staff_group=StaffGroup.TEACHER, role=Role.HEADTEACHER, q="hannah") == [
        "Hannah Head"
    ]


def test_leavers_are_found_by_the_filters_only_when_included(client_for, headteacher, school):
    former = person_in(school, Role.STAFF, full_name="Fay Former")
    Membership.objects.filter(user=former).update(
        start_date=dt.date(2020, 9, 1), leaving_date=dt.date(2023, 7, 31)
    )
    client = client_for(headteacher)
    url = reverse("people_list")
    assert client.get(url, {"q": "Fay"}).context["page"].paginator.count == 0
    assert client.get(url, {"q": "Fay", "leavers": "on"}).context["page"].paginator.count == 1


@pytest.mark.parametrize(
    "params",
    [
        {"staff_group": "astronaut"},
        {"role": "wizard"},
        {"q": "x" * 5000},
        {"leavers": "maybe"},
        {"page": "9" * 30},
    ],
)
def test_a_bad_filter_value_is_left_out_not_an_error(client_for, headteacher, staff, params):
    response = client_for(headteacher).get(reverse("people_list"), params)
    assert response.status_code == 200


def test_a_nul_byte_in_the_search_is_refused_at_the_door(client_for, headteacher, staff):
    # The request guard refuses any URL with a NUL byte (400) before a view sees it.
    response = client_for(headteacher).get(reverse("people_list"), {"q": "a\x00b"})
    assert response.status_code == 400


def test_the_export_keeps_the_lists_filters(client_for, headteacher, office, staff, school):
    client = client_for(headteacher)
    page = client.get(reverse("people_list"), {"staff_group": StaffGroup.SUPPORT, "page": "1"})
    assert f'href="{reverse("people_export")}?staff_group=support"' in page.content.decode()
    response = client.get(reverse("people_export"), {"staff_group": StaffGroup.SUPPORT})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Olive Office" in body and "Sam Staff" not in body and "Hannah Head" not in body


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
