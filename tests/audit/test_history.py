"""Per-object history pages: who changed what and when, shown only to those allowed."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialgov.audit.history import history_rows
from socialgov.people.models import MembershipRole
from socialgov.people.roles import Role, StaffGroup
from tests.factories import TrustFactory

# 10:30 UTC on 1 July 2030 is 11:30 in Europe/London (British Summer Time).
EDIT_TIME = dt.datetime(2030, 7, 1, 10, 30, tzinfo=dt.UTC)  # after the fixtures are made


def _school_form(school, **changes):
    data = {
        "name": school.name,
        "urn": school.urn,
        "address": school.address,
        "email_domains": school.email_domains,
        "pupil_competence_age": school.pupil_competence_age,
    }
    data.update(changes)
    return data


def _history_url(school):
    return reverse("school_history", args=[school.pk])


def test_an_edit_through_the_school_page_shows_who_when_and_old_to_new(
    client_for, headteacher, school
):
    with time_machine.travel(EDIT_TIME, tick=False):
        client = client_for(headteacher)
        response = client.post(
            reverse("school_edit", args=[school.pk]),
            _school_form(school, name="Willow Bank Primary Academy", pupil_competence_age=13),
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("school_detail", args=[school.pk])
        response = client.get(_history_url(school))
    assert response.status_code == 200
    newest = response.context["page"].object_list[0]
    assert newest.who == "Hannah Head"
    assert newest.action == "changed"
    changes = {c.label: (c.old, c.new) for c in newest.changes}
    assert changes["Name"] == ("Willow Bank Primary School", "Willow Bank Primary Academy")
    assert changes["Pupil competence age"] == ("12", "13")
    assert "Urn" not in changes and "URN" not in changes  # unchanged fields are not listed
    body = response.content.decode()
    assert "01/07/2030 11:30" in body
    assert "Hannah Head" in body
    assert "Willow Bank Primary School</del>" in body
    assert "Willow Bank Primary Academy</ins>" in body


def test_creation_is_listed_with_its_first_values_by_system(client_for, headteacher, school):
    rows = history_rows(school)
    assert [r.action for r in rows] == ["created"]
    created = rows[0]
    assert created.who == "System"  # made by a factory, outside any request
    values = {c.label: c.new for c in created.changes}
    assert values["Name"] == "Willow Bank Primary School"
    assert values["Trust"] == "Fenland Schools Trust"  # related objects by name, not number
    assert all(c.old is None for c in created.changes)


def test_related_objects_and_yes_no_are_shown_in_words(headteacher, school):
    school.trust = TrustFactory(name="Marshland Trust")
    school.require_two_factor_for_all = True
    school._history_user = headteacher
    school.save()
    changes = {c.label: (c.old, c.new) for c in history_rows(school)[0].changes}
    assert changes["Trust"] == ("Fenland Schools Trust", "Marshland Trust")
    assert changes["Require two factor for all"] == ("No", "Yes")


def test_hidden_fields_are_never_shown(headteacher, school):
    school.address = "2 Secret Lane"
    school.save()
    rows = history_rows(school, hidden_fields=["address"])
    assert all(c.label != "Address" for row in rows for c in row.changes)
    assert "2 Secret Lane" not in str(rows)


def test_a_users_password_never_appears(headteacher):
    headteacher.set_password("a-new-long-password-2025")
    headteacher.full_name = "Hannah Head-Smith"
    headteacher.save()
    rows = history_rows(headteacher)
    labels = {c.label for row in rows for c in row.changes}
    assert "Full name" in labels
    assert "Password" not in labels and "Last login" not in labels


@pytest.mark.parametrize("who", ["headteacher", "office"])
def test_headteacher_and_office_see_school_history(request, client_for, school, who):
    response = client_for(request.getfixturevalue(who)).get(_history_url(school))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["staff", "dsl", "governor", "chair", "network_manager"])
def test_others_in_the_school_may_not_see_school_history(request, client_for, school, who):
    response = client_for(request.getfixturevalue(who)).get(_history_url(school))
    assert response.status_code == 403


def test_history_of_another_schools_object_is_a_404(client_for, outsider, school, staff):
    client = client_for(outsider)
    assert client.get(_history_url(school)).status_code == 404
    membership = staff.memberships.get()
    assert client.get(reverse("membership_history", args=[membership.pk])).status_code == 404


def test_history_link_shows_only_for_those_allowed(client_for, school, headteacher, office, staff):
    link = _history_url(school)
    for person, shown in ((headteacher, True), (office, True), (staff, False)):
        body = client_for(person).get(reverse("school_detail", args=[school.pk])).content
        assert (link in body.decode()) is shown, person


def test_membership_history_shows_its_roles_being_added_and_removed(
    client_for, headteacher, school, staff
):
    membership = staff.memberships.get()
    with time_machine.travel(EDIT_TIME, tick=False):
        membership.staff_group = StaffGroup.SUPPORT
        membership._history_user = headteacher
        membership.save()
    with time_machine.travel(EDIT_TIME + dt.timedelta(minutes=1), tick=False):
        role = MembershipRole(membership=membership, role=Role.NETWORK_MANAGER)
        role._history_user = headteacher
        role.save()
    with time_machine.travel(EDIT_TIME + dt.timedelta(hours=1), tick=False):
        role._history_user = headteacher
        role.delete()

    with time_machine.travel(EDIT_TIME + dt.timedelta(hours=2), tick=False):
        client = client_for(headteacher)
        response = client.get(reverse("membership_history", args=[membership.pk]))
    assert response.status_code == 200
    rows = response.context["page"].object_list
    summaries = [r.summary for r in rows]
    assert summaries[:3] == ["Membership role removed", "Membership role added", "Changed"]
    added = rows[1]
    assert [(c.label, c.new) for c in added.changes] == [("Role", "Network manager")]
    assert added.who == "Hannah Head"
    changed = {c.label: (c.old, c.new) for c in rows[2].changes}
    assert changed["Staff group"] == ("Teacher", "Support staff")
    # Another membership's roles are not mixed in.
    assert all("Headteacher" not in c.new for r in rows for c in r.changes)


@pytest.mark.parametrize("who,status", [("office", 200), ("staff", 403), ("dsl", 403)])
def test_who_may_see_membership_history(request, client_for, school, staff, who, status):
    membership = staff.memberships.get()
    url = reverse("membership_history", args=[membership.pk])
    assert client_for(request.getfixturevalue(who)).get(url).status_code == status


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _rename(school, actor, times):
    for n in range(times):
        school.name = f"Willow Bank {n}"
        school._history_user = actor
        school.save()


def test_school_history_queries_do_not_grow_with_changes(
    client_for, headteacher, school, django_assert_num_queries
):
    # session, user, memberships, roles, two-factor device, trust memberships, the school
    # (gateway), its historical records with who made them, the trusts named in them, the
    # unread bell, and the session save (a savepoint around it).
    client = client_for(headteacher)
    _rename(school, headteacher, 3)
    client.get(_history_url(school))
    at_three = _queries(client, _history_url(school))
    _rename(school, headteacher, 27)
    with django_assert_num_queries(at_three):
        response = client.get(_history_url(school))
    assert len(response.context["page"].object_list) == 31


def test_membership_history_queries_do_not_grow_with_role_changes(
    client_for, headteacher, staff, django_assert_num_queries
):
    # As for the school, plus the membership's role history and the people and school named in
    # the first record (one query each, however many records there are).
    client = client_for(headteacher)
    membership = staff.memberships.get()
    url = reverse("membership_history", args=[membership.pk])

    def churn(times):
        for n in range(times):
            role = MembershipRole.objects.create(membership=membership, role=Role.GOVERNOR)
            role.delete()
            membership.job_title = f"Teacher {n}"
            membership._history_user = headteacher
            membership.save()

    churn(2)
    client.get(url)
    at_two = _queries(client, url)
    churn(20)
    with django_assert_num_queries(at_two):
        client.get(url)


def test_a_bad_page_number_is_not_an_error(client_for, headteacher, school):
    assert client_for(headteacher).get(_history_url(school), {"page": "x"}).status_code == 200
