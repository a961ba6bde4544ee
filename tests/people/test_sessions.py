"""The person → session index (socialgov.sessions): each saved session records whose it is, so a
leaver's sessions end with one indexed query instead of decoding every session of the site."""

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from socialgov.people.services import user_sessions_end
from socialgov.sessions.models import PersonSession
from tests.factories import person_in


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="socialgov.people.backends.MembershipBackend")
    return client


def test_signing_in_records_whose_session_it_is(client, staff, password):
    client.get(reverse("login"))  # a visitor's session (the CSRF cookie needs none, but may)
    response = client.post(reverse("login"), {"username": staff.email, "password": password})
    assert response.status_code == 302
    session = PersonSession.objects.get(session_key=client.session.session_key)
    assert session.user_id == staff.pk
    assert session.get_decoded()[SESSION_KEY] == str(staff.pk)


def test_a_session_without_a_signed_in_person_names_nobody(client, db):
    session = client.session
    session["note"] = "visitor"
    session.save()
    assert PersonSession.objects.get(session_key=session.session_key).user_id is None


def test_ending_a_persons_sessions_leaves_everyone_elses(staff, colleague):
    mine = [_signed_in(staff), _signed_in(staff)]
    theirs = _signed_in(colleague)
    assert user_sessions_end(user=staff) == 2
    for client in mine:
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert theirs.get("/").status_code == 200


def test_ending_sessions_is_one_query_however_many_sessions_the_site_has(
    school, staff, django_assert_num_queries
):
    for _ in range(20):
        _signed_in(person_in(school))
    _signed_in(staff)
    # One DELETE by the indexed person column: no session is read or decoded.
    with django_assert_num_queries(1):
        assert user_sessions_end(user=staff) == 1
