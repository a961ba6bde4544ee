"""The current school is kept in the session, which is written only when it changes: opening a
page of the school one is already in writes nothing (under SQLite a write waits on the lock)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialgov.access import SESSION_SCHOOL_KEY
from socialgov.people.roles import Role
from tests.factories import MembershipFactory


def writes(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_opening_a_page_of_the_current_school_writes_nothing(client_for, headteacher, staff):
    client = client_for(headteacher)
    url = reverse("person_detail", args=[staff.memberships.get().pk])
    client.get(url)  # the first visit may note the school and the activity time
    assert writes(client, url) == []
    assert writes(client, reverse("school_detail", args=[staff.memberships.get().school_id])) == []


def test_opening_a_page_of_another_of_ones_schools_switches_to_it(
    client_for, headteacher, school, sister_school, sister_head
):
    MembershipFactory(user=headteacher, school=sister_school, roles=[Role.HEADTEACHER])
    client = client_for(headteacher)
    client.post(reverse("school_switch"), {"school": school.pk})
    assert client.session[SESSION_SCHOOL_KEY] == school.pk
    sql = writes(client, reverse("person_detail", args=[sister_head.memberships.get().pk]))
    assert any("session" in statement.lower() for statement in sql)
    assert client.session[SESSION_SCHOOL_KEY] == sister_school.pk
    assert writes(client, reverse("person_detail", args=[sister_head.memberships.get().pk])) == []
