import datetime as dt

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from socialgov.people.models import Membership
from socialgov.people.roles import Role
from tests.factories import MembershipFactory, UserFactory, person_in

LOGIN = "/accounts/login/"


def sign_in(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_staff_member_signs_in_with_email_and_password(client, staff, password):
    response = sign_in(client, "STAFF@willow.test ", password)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.get("/").status_code == 200


def test_wrong_password_gives_a_clear_error_not_a_500(client, staff):
    response = sign_in(client, staff.email, "not-the-password")
    assert response.status_code == 200
    assert b"do not match an account with current access" in response.content


def test_person_whose_only_membership_has_ended_cannot_sign_in(client, school, password):
    user = UserFactory(email="left@willow.test")
    MembershipFactory(
        user=user, school=school, start_date=dt.date(2020, 9, 1), leaving_date=dt.date(2024, 8, 31)
    )
    response = sign_in(client, user.email, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_person_who_left_one_school_still_signs_in_to_the_other(
    client, school, other_school, password
):
    user = person_in(other_school, Role.STAFF, email="both@willow.test")
    MembershipFactory(
        user=user, school=school, start_date=dt.date(2020, 9, 1), leaving_date=dt.date(2024, 8, 31)
    )
    assert sign_in(client, user.email, password).status_code == 302
    response = client.get("/")
    assert response.context["current_school"] == other_school


def test_membership_not_yet_started_gives_no_access(client, school, password):
    user = UserFactory(email="future@willow.test")
    MembershipFactory(user=user, school=school, start_date=dt.date.today() + dt.timedelta(days=7))
    assert sign_in(client, user.email, password).status_code == 200


def test_open_session_stops_working_when_membership_ends(client_for, staff, school):
    client = client_for(staff)
    assert client.get("/").status_code == 200
    Membership.objects.filter(user=staff).update(leaving_date=dt.date.today())
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?ended=1"
    assert "_auth_user_id" not in client.session
    assert b"your access to the school has ended" in client.get(response["Location"]).content


def test_sign_in_is_throttled_after_repeated_failures(client, staff, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, staff.email, "wrong-password-123")
    # Even the right password is refused while locked out.
    response = sign_in(client, staff.email, password)
    assert response.status_code == 429
    assert b"Too many attempts to sign in" in response.content
    assert "_auth_user_id" not in client.session


def test_throttling_of_one_person_does_not_lock_out_another(client, staff, dsl, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, staff.email, "wrong-password-123")
    assert sign_in(client, dsl.email, password).status_code == 302


def test_sign_out_ends_the_session(client_for, staff):
    client = client_for(staff)
    session_key = client.session.session_key
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    from socialgov.sessions.models import PersonSession

    assert PersonSession.objects.filter(user=staff).exists() is False
    assert not PersonSession.objects.filter(session_key=session_key).exists()
    assert client.get("/").status_code == 302


def test_sign_out_needs_post(client_for, staff):
    client = client_for(staff)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_passwords_are_stored_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = UserFactory(password="a-long-enough-passphrase")
    assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.parametrize(
    "candidate,message",
    [
        ("short-pw1", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(candidate, message):
    with pytest.raises(ValidationError) as error:
        validate_password(candidate)
    assert message in " ".join(error.value.messages)


def test_password_reset_sends_a_neutral_email_with_a_link(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    from socialgov.outbox.services import outbox_tasks_hand_over

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password-reset/", {"email": staff.email})
    assert response.status_code == 302
    assert mailoutbox == []  # never sent inside the request: the outbox's sweep sends it
    assert outbox_tasks_hand_over() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Reset your SocialGov password"
    assert "/accounts/password-reset/" in message.body
