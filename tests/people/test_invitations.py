"""Inviting people from the app: the invitation e-mail, choosing a password, and who may invite."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from socialgov.people import services
from socialgov.people.models import Invitation, Membership, MembershipRole, User
from socialgov.people.roles import Role, StaffGroup
from socialgov.people.services.invitations import invitation_create
from tests.factories import person_in

NEW_PASSWORD = "Kettle-orchard-lantern-42"
LINK = re.compile(r"https?://[^/\s]+(/invitations/([\w-]+)/)")


def invite_data(**overrides):
    data = {
        "full_name": "Nina Newcomer",
        "email": "nina.newcomer@willow.test",
        "staff_group": StaffGroup.TEACHER,
        "job_title": "Year 3 teacher",
        "roles": [Role.STAFF],
        "start_date": timezone.localdate().strftime("%d/%m/%Y"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def school_domains(school):
    school.email_domains = "willow.test"
    school.save()
    return school


@pytest.fixture
def post_invite(client_for, django_capture_on_commit_callbacks, school_domains):
    """post_invite(actor, **overrides) -> response (after-commit e-mails sent)."""

    def post(actor, **overrides):
        client = client_for(actor)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("people_invite"), invite_data(**overrides))

    return post


def counts():
    return (
        User.objects.count(),
        Membership.objects.count(),
        MembershipRole.objects.count(),
        Invitation.objects.count(),
    )


def link_in(mail) -> tuple[str, str]:
    match = LINK.search(mail.body)
    assert match, mail.body
    return match.group(1), match.group(2)


def test_headteacher_invites_a_new_person_who_chooses_a_password_and_is_signed_in(
    post_invite, headteacher, school, mailoutbox
):
    response = post_invite(headteacher)

    user = User.objects.get(email="nina.newcomer@willow.test")
    membership = Membership.objects.get(user=user, school=school)
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[membership.pk])
    assert not user.has_usable_password()
    assert membership.role_names == {Role.STAFF}
    assert membership.job_title == "Year 3 teacher"
    assert membership.start_date == timezone.localdate()
    invitation = Invitation.objects.get(membership=membership)
    assert invitation.created_by == headteacher
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
    assert invitation.accepted_at is None

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["nina.newcomer@willow.test"]
    assert mail.subject == "Set up your SocialGov account"
    path, token = link_in(mail)
    # Only a hash of the token is stored.
    assert invitation.token_hash != token
    assert invitation.token_hash == services.invitation_token_hash(token)
    assert token not in str(list(Invitation.history.values()))

    invitee = Client()
    page = invitee.get(path)
    assert page.status_code == 200
    assert b"Choose a password" in page.content
    response = invitee.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert invitee.session["_auth_user_id"] == str(user.pk)
    assert invitee.get("/").status_code == 200
    # And they can sign in again later with the password they chose.
    assert (
        Client()
        .post(reverse("login"), {"username": user.email, "password": NEW_PASSWORD})
        .status_code
        == 302
    )


def test_an_invitation_link_works_only_once(post_invite, headteacher, mailoutbox):
    post_invite(headteacher)
    path, _ = link_in(mailoutbox[0])
    Client().post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    second = Client()
    response = second.get(path)
    assert response.status_code == 410
    assert b"already been used" in response.content
    response = second.post(
        path, {"new_password1": "Another-long-phrase-77", "new_password2": "Another-long-phrase-77"}
    )
    assert response.status_code == 410
    assert "_auth_user_id" not in second.session
    assert User.objects.get(email="nina.newcomer@willow.test").check_password(NEW_PASSWORD)


def test_an_expired_invitation_is_refused(post_invite, headteacher, mailoutbox):
    post_invite(headteacher)
    path, _ = link_in(mailoutbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        client = Client()
        response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert b"It has expired" in response.content
    assert not User.objects.get(email="nina.newcomer@willow.test").has_usable_password()


def test_an_invitation_still_works_just_before_it_expires(post_invite, headteacher, mailoutbox):
    post_invite(headteacher)
    path, _ = link_in(mailoutbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(days=6, hours=23)):
        assert Client().get(path).status_code == 200


@pytest.mark.parametrize(
    "password,message",
    [
        ("short-one", b"at least 12 characters"),
        ("password12345", b"too common"),
    ],
)
def test_weak_passwords_are_refused_and_the_link_keeps_working(
    post_invite, headteacher, mailoutbox, password, message
):
    post_invite(headteacher)
    path, _ = link_in(mailoutbox[0])
    client = Client()
    response = client.post(path, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in response.content
    assert "_auth_user_id" not in client.session
    assert Invitation.objects.get().accepted_at is None


def test_a_made_up_token_gets_a_clear_page(client, db):
    response = client.get(reverse("invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert b"This invitation link does not work" in response.content


def test_accepting_twice_at_once_sets_the_password_once(post_invite, headteacher, mailoutbox):
    post_invite(headteacher)
    _, token = link_in(mailoutbox[0])
    invitation = services.invitation_for_token(token)
    services.invitation_accept(invitation=invitation, new_password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, new_password="Different-phrase-1234")
    assert User.objects.get(pk=invitation.membership.user_id).check_password(NEW_PASSWORD)


def test_inviting_a_person_from_another_school_reuses_their_login(
    post_invite, headteacher, school, other_school, password, mailoutbox
):
    teacher = person_in(
        other_school, Role.STAFF, full_name="Tariq Both", email="tariq@hilltop.test"
    )
    response = post_invite(headteacher, full_name="T. Both", email="TARIQ@hilltop.test")

    assert response.status_code == 302
    assert User.objects.filter(email="tariq@hilltop.test").count() == 1
    # An existing login is asked (issue 7.2): they join when they accept.
    from socialgov.people.models import JoinInvitation

    join = JoinInvitation.objects.get(user=teacher, school=school)
    assert not Membership.objects.filter(user=teacher, school=school).exists()
    services.join_invitation_accept(invitation=join, actor=teacher)
    assert set(Membership.objects.filter(user=teacher).values_list("school", flat=True)) == {
        school.pk,
        other_school.pk,
    }
    teacher.refresh_from_db()
    assert teacher.full_name == "Tariq Both"  # one login, one name
    assert teacher.check_password(password)  # their password is not touched
    # They can already sign in: no password link, a notification inviting them to join.
    assert not Invitation.objects.exists()
    assert len(mailoutbox) == 1
    assert "/invitations/" not in mailoutbox[0].body
    assert f"/joining/{join.pk}/" in mailoutbox[0].body
    assert school.name in mailoutbox[0].body
    client = Client()
    client.post(reverse("login"), {"username": teacher.email, "password": password})
    response = client.get("/")
    assert {m.school for m in response.context["my_memberships"]} == {school, other_school}


def test_inviting_someone_already_in_the_school_is_a_form_error_and_writes_nothing(
    post_invite, headteacher, staff, mailoutbox
):
    post_invite(headteacher)
    before, sent = counts(), len(mailoutbox)

    response = post_invite(headteacher)  # a double submit
    assert response.status_code == 200
    assert b"is already on the people list of this school" in response.content
    response = post_invite(headteacher, email=staff.email.upper())
    assert b"is already on the people list of this school" in response.content
    assert counts() == before
    assert len(mailoutbox) == sent


def test_a_former_member_is_rejoined_with_the_new_roles(post_invite, headteacher, school):
    former = person_in(school, Role.DSL, email="back@willow.test")
    membership = Membership.objects.get(user=former)
    membership.start_date = dt.date(2019, 9, 1)
    membership.leaving_date = dt.date(2022, 7, 31)
    membership.leaving_reason = "Moved"
    membership.save()

    response = post_invite(headteacher, email="back@willow.test", roles=[Role.STAFF])

    assert response.status_code == 302
    # They can sign in (a password of their own): asked first, as any existing login is.
    from socialgov.people.models import JoinInvitation

    services.join_invitation_accept(
        invitation=JoinInvitation.objects.get(user=former), actor=former
    )
    membership.refresh_from_db()
    assert Membership.objects.filter(user=former, school=school).count() == 1
    assert membership.leaving_date is None and membership.leaving_reason == ""
    assert membership.start_date == timezone.localdate()
    assert membership.role_names == {Role.STAFF}
    # The earlier spell is in the history.
    assert membership.history.filter(leaving_date=dt.date(2022, 7, 31)).exists()


def test_office_may_invite_staff_and_governors(post_invite, office, school):
    response = post_invite(office, roles=[Role.STAFF, Role.GOVERNOR])
    assert response.status_code == 302
    assert Membership.objects.get(user__email="nina.newcomer@willow.test").role_names == {
        Role.STAFF,
        Role.GOVERNOR,
    }


@pytest.mark.parametrize("role", [Role.HEADTEACHER, Role.DSL, Role.OFFICE, Role.CLERK])
def test_office_cannot_give_a_privileged_role(post_invite, office, mailoutbox, role):
    before = counts()
    response = post_invite(office, roles=[Role.STAFF, role])
    assert response.status_code == 200
    assert b"Only the headteacher can give or take away these roles" in response.content
    assert counts() == before
    assert mailoutbox == []


def test_the_privileged_role_rule_is_enforced_by_the_service_itself(office, school):
    with pytest.raises(ValidationError) as error:
        services.membership_invite(
            school=school,
            actor=office,
            full_name="Someone",
            email="someone@willow.test",
            staff_group=StaffGroup.TEACHER,
            roles=[Role.HEADTEACHER],
            start_date=timezone.localdate(),
        )
    assert "roles" in error.value.error_dict
    assert not User.objects.filter(email="someone@willow.test").exists()


def test_headteacher_may_give_a_privileged_role(post_invite, headteacher):
    assert post_invite(headteacher, roles=[Role.DSL]).status_code == 302
    assert Membership.objects.get(user__email="nina.newcomer@willow.test").role_names == {Role.DSL}


@pytest.mark.parametrize("who", ["staff", "dsl", "governor", "chair"])
def test_invite_form_is_refused_to_other_roles(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("people_invite")).status_code == 403
    assert client.post(reverse("people_invite"), invite_data()).status_code == 403
    assert not User.objects.filter(email="nina.newcomer@willow.test").exists()


@pytest.mark.parametrize("who", ["headteacher", "office"])
def test_invite_form_opens_for_headteacher_and_office(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get(reverse("people_invite"))
    assert response.status_code == 200
    assert b"Send the invitation" in response.content


def test_a_service_caller_who_does_not_keep_the_people_list_is_refused(staff, school):
    with pytest.raises(PermissionDenied):
        services.membership_invite(
            school=school,
            actor=staff,
            full_name="Someone",
            email="someone@willow.test",
            staff_group=StaffGroup.TEACHER,
            roles=[Role.STAFF],
            start_date=timezone.localdate(),
        )


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"email": "not-an-address"}, b"Enter a valid email address"),
        ({"full_name": ""}, b"This field is required"),
        ({"roles": []}, b"Choose at least one role"),
        ({"roles": ["emperor"]}, b"Select a valid choice"),
        ({"staff_group": "pirate"}, b"Select a valid choice"),
        ({"start_date": "31/02/2026"}, b"Enter a date like 01/09/2026"),
    ],
)
def test_bad_input_gives_form_errors_not_a_500(post_invite, headteacher, overrides, message):
    before = counts()
    response = post_invite(headteacher, **overrides)
    assert response.status_code == 200
    assert message in response.content
    assert counts() == before


def test_an_address_outside_the_school_domains_is_invited_with_a_warning(
    post_invite, headteacher, client_for
):
    response = post_invite(headteacher, email="nina@gmail.example")
    assert response.status_code == 302
    assert User.objects.filter(email="nina@gmail.example").exists()
    page = client_for(headteacher).get(response["Location"])
    assert b"is not on one of the school&#x27;s e-mail domains" in page.content


def test_an_address_on_the_school_domain_gives_no_warning(post_invite, headteacher, client_for):
    response = post_invite(headteacher)
    page = client_for(headteacher).get(response["Location"])
    assert b"e-mail domains" not in page.content


def test_resending_makes_the_earlier_link_stop_working(
    post_invite, headteacher, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    post_invite(headteacher)
    old_path, _ = link_in(mailoutbox[0])
    membership = Membership.objects.get(user__email="nina.newcomer@willow.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(headteacher).post(
            reverse("person_invitation_resend", args=[membership.pk])
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    new_path, _ = link_in(mailoutbox[1])
    assert new_path != old_path
    old = Client().get(old_path)
    assert old.status_code == 410 and b"A newer invitation has been sent" in old.content
    assert Client().get(new_path).status_code == 200
    assert Invitation.objects.filter(membership=membership).count() == 2


def test_resending_is_refused_once_a_password_is_chosen(client_for, headteacher, staff):
    membership = Membership.objects.get(user=staff)
    response = client_for(headteacher).post(
        reverse("person_invitation_resend", args=[membership.pk]), follow=True
    )
    assert b"already chosen a password" in response.content
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["staff", "governor"])
def test_resending_is_refused_to_other_roles(request, client_for, post_invite, headteacher, who):
    post_invite(headteacher)
    membership = Membership.objects.get(user__email="nina.newcomer@willow.test")
    client = client_for(request.getfixturevalue(who))
    response = client.post(reverse("person_invitation_resend", args=[membership.pk]))
    assert response.status_code == 403
    assert Invitation.objects.count() == 1


def test_office_cannot_resend_the_invitation_of_someone_with_a_privileged_role(
    client_for, post_invite, headteacher, office
):
    """Who sets the password of a DSL's login is the headteacher's to decide (may_manage): the
    page and the service both refuse."""
    post_invite(headteacher, roles=[Role.DSL])
    membership = Membership.objects.get(user__email="nina.newcomer@willow.test")
    response = client_for(office).post(reverse("person_invitation_resend", args=[membership.pk]))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.invitation_resend(membership=membership, actor=office)
    assert Invitation.objects.count() == 1


def test_a_leaver_cannot_use_their_invitation(post_invite, headteacher, client_for, mailoutbox):
    post_invite(headteacher)
    path, _ = link_in(mailoutbox[0])
    membership = Membership.objects.get(user__email="nina.newcomer@willow.test")
    client_for(headteacher).post(
        reverse("person_leave", args=[membership.pk]),
        {"leaving_date": timezone.localdate().strftime("%d/%m/%Y")},
    )
    response = Client().get(path)
    assert response.status_code == 410


def test_someone_starting_later_sets_a_password_but_is_not_signed_in_yet(
    post_invite, headteacher, mailoutbox
):
    start = timezone.localdate() + dt.timedelta(days=10)
    post_invite(headteacher, start_date=start.strftime("%d/%m/%Y"))
    path, _ = link_in(mailoutbox[0])
    client = Client()
    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert User.objects.get(email="nina.newcomer@willow.test").check_password(NEW_PASSWORD)


def test_accepting_closes_invitations_from_other_schools(
    headteacher, outsider, school, other_school, django_capture_on_commit_callbacks, mailoutbox
):
    for actor, where in ((headteacher, school), (outsider, other_school)):
        with django_capture_on_commit_callbacks(execute=True):
            services.membership_invite(
                school=where,
                actor=actor,
                full_name="Pat Twice",
                email="pat@twice.test",
                staff_group=StaffGroup.TEACHER,
                roles=[Role.STAFF],
                start_date=timezone.localdate(),
            )
    assert (
        Invitation.objects.filter(accepted_at__isnull=True, withdrawn_at__isnull=True).count() == 1
    )
    first_path, _ = link_in(mailoutbox[0])
    second_path, _ = link_in(mailoutbox[1])
    # The second school's invitation replaced the first (one open invitation per person).
    assert Client().get(first_path).status_code == 410
    Client().post(second_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user = User.objects.get(email="pat@twice.test")
    assert check_password(NEW_PASSWORD, user.password)
    assert not Invitation.objects.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)
    assert Membership.objects.filter(user=user).count() == 2


def test_the_database_keeps_one_open_invitation_per_membership(headteacher, staff):
    membership = Membership.objects.get(user=staff)
    now = timezone.now()
    fields = {"membership": membership, "created_by": headteacher, "created_at": now}
    Invitation.objects.create(token_hash="a" * 64, expires_at=now + dt.timedelta(days=7), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            token_hash="b" * 64, expires_at=now + dt.timedelta(days=7), **fields
        )
    # A withdrawn one does not count as open.
    Invitation.objects.update(withdrawn_at=now)
    Invitation.objects.create(token_hash="c" * 64, expires_at=now + dt.timedelta(days=7), **fields)


def test_each_invitation_in_one_batch_of_emails_has_its_own_working_link(
    headteacher, school, mailoutbox
):
    """The link is reversed once for a batch of e-mails (invitation_link_maker): each e-mail
    still carries its own token, which opens that person's invitation and no other."""
    people = [person_in(school, Role.STAFF, full_name=f"New Person {n}") for n in range(3)]
    invitations = [
        invitation_create(
            membership=Membership.objects.get(user=person, school=school), actor=headteacher
        )[0]
        for person in people
    ]
    sent = services.invitations_email(invitation_ids=[i.pk for i in invitations])
    assert sent == 3 and len(mailoutbox) == 3
    opened = {}
    for mail in mailoutbox:
        path, token = link_in(mail)
        assert path == reverse("invitation_accept", args=[token])
        opened[mail.to[0]] = services.invitation_for_token(token).membership.user.email
    assert opened == {p.email: p.email for p in people}
    assert len({link_in(mail)[1] for mail in mailoutbox}) == 3
