"""Recording a leaver: access ends (at once when the date is today), nothing they recorded goes."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialgov.people import services
from socialgov.people.models import Membership, MembershipRole, User
from socialgov.people.roles import Role
from socialgov.sessions.models import PersonSession
from tests.factories import MembershipFactory, person_in

BACKEND = "socialgov.people.backends.MembershipBackend"


def uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def membership_of(user, school=None):
    memberships = Membership.objects.filter(user=user)
    if school is not None:
        memberships = memberships.filter(school=school)
    return memberships.get()


def sessions_of(user) -> int:
    """Sessions signed in as `user`, read from the session data itself (not the index)."""
    return sum(
        1
        for s in PersonSession.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    )


@pytest.fixture
def signed_in_leaver(staff):
    """Sam, signed in on their own browser."""
    own_client = Client()
    own_client.force_login(staff, backend=BACKEND)
    assert own_client.get("/").status_code == 200
    return own_client


def record_leaver(client, membership, day=None, reason=""):
    return client.post(
        reverse("person_leave", args=[membership.pk]),
        {"leaving_date": uk(day or timezone.localdate()), "reason": reason},
    )


def test_a_leaver_is_signed_out_at_once_and_cannot_sign_in_again(
    client_for, headteacher, staff, password, signed_in_leaver
):
    membership = membership_of(staff)
    assert sessions_of(staff) == 1

    response = record_leaver(client_for(headteacher), membership, reason="Moved away")

    assert response.status_code == 302
    assert sessions_of(staff) == 0
    response = signed_in_leaver.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in signed_in_leaver.session
    again = Client().post(reverse("login"), {"username": staff.email, "password": password})
    assert again.status_code == 200
    assert b"do not match an account with current access" in again.content


def test_a_leavers_records_remain(client_for, headteacher, staff, school):
    membership = membership_of(staff)
    record_leaver(client_for(headteacher), membership, reason="Retired")

    membership.refresh_from_db()
    assert membership.leaving_date == timezone.localdate()
    assert membership.leaving_reason == "Retired"
    assert not membership.is_current()
    assert MembershipRole.objects.filter(membership=membership, role=Role.STAFF).exists()
    assert User.objects.filter(pk=staff.pk, is_active=True).exists()  # the login is kept
    recorded = membership.history.latest()
    assert recorded.history_user == headteacher
    assert recorded.leaving_date == timezone.localdate()
    assert membership.history.count() >= 2  # joining and leaving both kept


def test_a_leaver_in_two_schools_stays_signed_in_with_the_other(
    client_for, headteacher, staff, school, other_school, signed_in_leaver
):
    MembershipFactory(user=staff, school=other_school, roles=[Role.STAFF])
    record_leaver(client_for(headteacher), membership_of(staff, school))

    assert sessions_of(staff) == 1
    response = signed_in_leaver.get("/")
    assert response.status_code == 200
    assert response.context["current_school"] == other_school
    assert [m.school for m in response.context["my_memberships"]] == [other_school]


def test_a_future_leaving_date_schedules_the_end_of_access(
    client_for, headteacher, staff, signed_in_leaver
):
    leaving = timezone.localdate() + dt.timedelta(days=14)
    response = record_leaver(client_for(headteacher), membership_of(staff), day=leaving)

    assert response.status_code == 302
    assert membership_of(staff).leaving_date == leaving
    assert signed_in_leaver.get("/").status_code == 200
    with time_machine.travel(dt.datetime.combine(leaving, dt.time(8, 0), tzinfo=dt.UTC)):
        response = signed_in_leaver.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_nobody_can_record_themselves_as_a_leaver(client_for, headteacher, office):
    for person in (headteacher, office):
        membership = membership_of(person)
        response = record_leaver(client_for(person), membership)
        assert response.status_code == 200
        assert b"You cannot record yourself as a leaver" in response.content
        assert membership_of(person).leaving_date is None


def test_the_only_headteacher_cannot_be_recorded_as_leaving(headteacher, school):
    # A second headteacher who leaves first does not keep the school covered.
    interim = person_in(school, Role.HEADTEACHER, full_name="Interim Head")
    interim_membership = membership_of(interim)
    interim_membership.leaving_date = timezone.localdate() + dt.timedelta(days=10)
    interim_membership.save()
    with pytest.raises(ValidationError) as error:
        services.membership_end(
            membership=membership_of(headteacher),
            actor=interim,
            leaving_date=timezone.localdate() + dt.timedelta(days=20),
        )
    assert "only headteacher" in error.value.messages[0]
    assert membership_of(headteacher).leaving_date is None


def test_a_headteacher_can_be_recorded_as_leaving_when_another_stays(
    client_for, headteacher, school
):
    successor = person_in(school, Role.HEADTEACHER, full_name="Next Head")
    response = record_leaver(client_for(successor), membership_of(headteacher))
    assert response.status_code == 302
    assert not membership_of(headteacher).is_current()


def test_office_may_record_staff_as_leavers_but_not_privileged_people(
    client_for, office, staff, dsl
):
    client = client_for(office)
    assert record_leaver(client, membership_of(staff)).status_code == 302
    assert not membership_of(staff).is_current()
    assert client.get(reverse("person_leave", args=[membership_of(dsl).pk])).status_code == 403
    assert record_leaver(client, membership_of(dsl)).status_code == 403
    assert membership_of(dsl).is_current()


def test_the_leaving_date_cannot_be_before_the_start_date(client_for, headteacher, staff):
    membership = membership_of(staff)
    membership.start_date = dt.date(2024, 9, 2)
    membership.save()
    response = record_leaver(client_for(headteacher), membership, day=dt.date(2024, 9, 1))
    assert response.status_code == 200
    assert b"cannot be before they started (02/09/2024)" in response.content
    assert membership_of(staff).leaving_date is None


def test_a_bad_date_is_a_form_error(client_for, headteacher, staff):
    response = client_for(headteacher).post(
        reverse("person_leave", args=[membership_of(staff).pk]), {"leaving_date": "tomorrow"}
    )
    assert response.status_code == 200
    assert b"Enter a date like 01/09/2026" in response.content


def test_recording_a_leaver_twice_is_refused_clearly(client_for, headteacher, staff):
    client = client_for(headteacher)
    membership = membership_of(staff)
    record_leaver(client, membership)
    response = record_leaver(client, membership, day=timezone.localdate() - dt.timedelta(days=1))
    assert response.status_code == 200
    assert b"left on" in response.content
    assert membership_of(staff).leaving_date == timezone.localdate()


def test_the_leave_form_suggests_today(client_for, headteacher, staff):
    response = client_for(headteacher).get(reverse("person_leave", args=[membership_of(staff).pk]))
    assert response.status_code == 200
    assert uk(timezone.localdate()).encode() in response.content


@pytest.mark.parametrize("who", ["staff", "dsl", "governor", "chair", "network_manager"])
def test_recording_leavers_is_refused_to_other_roles(request, client_for, who, office):
    client = client_for(request.getfixturevalue(who))
    membership = membership_of(office)
    assert client.get(reverse("person_leave", args=[membership.pk])).status_code == 403
    assert record_leaver(client, membership).status_code == 403
    assert membership_of(office).is_current()


def test_another_schools_headteacher_gets_not_found(client_for, outsider, staff):
    response = record_leaver(client_for(outsider), membership_of(staff))
    assert response.status_code == 404
    assert membership_of(staff).is_current()


def test_leavers_are_listed_only_when_asked(client_for, headteacher, staff):
    client = client_for(headteacher)
    client.get(record_leaver(client, membership_of(staff))["Location"])  # its message shown
    assert staff.full_name.encode() not in client.get(reverse("people_list")).content
    response = client.get(reverse("people_list") + "?leavers=1")
    assert staff.full_name.encode() in response.content
    assert uk(timezone.localdate()).encode() in response.content
