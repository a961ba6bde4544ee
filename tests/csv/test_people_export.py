"""The people list as CSV: same rule as the list, same rows, constant queries."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialgov.people.models import Membership
from socialgov.people.roles import Role
from tests.factories import person_in

URL = reverse("people_export")


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body, newline="")))


def test_office_downloads_the_people_of_their_school(client_for, office, staff, outsider):
    membership = Membership.objects.get(user=staff)
    membership.start_date = dt.date(2025, 9, 1)
    membership.save()
    response = client_for(office).get(URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="people-')
    rows = rows_of(response)
    assert rows[0] == ["Name", "E-mail", "Staff group", "Roles", "Start date", "Leaving date"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Sam Staff"] == [
        "Sam Staff",
        "staff@willow.test",
        "Teacher",
        "Staff",
        "01/09/2025",
        "",
    ]
    assert "Olive Office" in by_name
    assert "Oscar Outsider" not in by_name  # another school's headteacher


def test_leavers_are_included_only_when_asked(client_for, office, staff):
    membership = Membership.objects.get(user=staff)
    membership.start_date = dt.date(2024, 9, 1)
    membership.leaving_date = dt.date(2025, 7, 31)
    membership.save()
    client = client_for(office)
    assert "Sam Staff" not in [row[0] for row in rows_of(client.get(URL))]
    leavers = {row[0]: row for row in rows_of(client.get(URL, {"leavers": "1"}))}
    assert leavers["Sam Staff"][-2:] == ["01/09/2024", "31/07/2025"]


def test_formula_in_a_name_is_neutralised(client_for, office, school):
    person_in(school, Role.STAFF, full_name='=HYPERLINK("http://evil","x")', email="x@willow.test")
    names = [row[0] for row in rows_of(client_for(office).get(URL))]
    assert '\'=HYPERLINK("http://evil","x")' in names


@pytest.mark.parametrize("person", ["staff", "governor", "dsl"])
def test_people_without_the_people_list_get_403(request, client_for, person):
    user = request.getfixturevalue(person)
    assert client_for(user).get(URL).status_code == 403


def test_headteacher_may_export(client_for, headteacher):
    assert client_for(headteacher).get(URL).status_code == 200


def test_anonymous_visitor_is_sent_to_sign_in(client, school):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _export_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
        rows = rows_of(response)  # streamed: the queries run while the body is produced
    return len(queries), len(rows)


def test_query_count_is_the_same_for_5_and_50_people(client_for, office, school):
    client = client_for(office)
    for n in range(4):
        person_in(school, Role.STAFF, Role.SLT, full_name=f"Person {n}")
    small, small_rows = _export_queries(client)
    for n in range(4, 49):
        person_in(school, Role.STAFF, full_name=f"Person {n}")
    large, large_rows = _export_queries(client)
    assert (small_rows, large_rows) == (1 + 5, 1 + 50)
    # Today 7 queries: session, user, the office's memberships and their roles (middleware), the
    # two-factor device check, then the school's memberships with their users and one prefetch
    # of all their roles. None of them is per person.
    assert small == large


def test_people_list_links_to_the_export(client_for, office):
    html = client_for(office).get(reverse("people_list")).content.decode()
    assert f'href="{URL}"' in html
    html = client_for(office).get(reverse("people_list"), {"leavers": "1"}).content.decode()
    assert f'href="{URL}?leavers=1"' in html
