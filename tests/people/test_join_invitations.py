"""Adding someone who already has a login (another school's member) is an invitation they must
accept (issue 7, item 2): no school takes over an existing login, or resets its two-factor,
without its owner agreeing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from socialgov.notifications.models import Notification
from socialgov.people import services
from socialgov.people.models import JoinInvitation, Membership
from socialgov.people.roles import Role, StaffGroup
from socialgov.twofactor.access import reset_allowed
from tests.factories import person_in


def invite_data(email, **overrides):
    data = {
        "full_name": "Someone Else",
        "email": email,
        "staff_group": StaffGroup.TEACHER,
        "roles": [Role.STAFF],
        "start_date": timezone.localdate().strftime("%d/%m/%Y"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def elsewhere(other_school):
    return person_in(other_school, Role.STAFF, full_name="Private Name", email="pn@x.test")


@pytest.fixture
def invite(client_for, headteacher, django_capture_on_commit_callbacks):
    def post(email, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(headteacher).post(
                reverse("people_invite"), invite_data(email, **overrides)
            )

    return post


def test_inviting_a_login_of_another_school_adds_nothing_until_they_accept(
    invite, elsewhere, school, headteacher, mailoutbox, client_for
):
    response = invite(elsewhere.email)
    assert response.status_code == 302 and response["Location"] == reverse("people_list")
    assert not Membership.objects.filter(user=elsewhere, school=school).exists()
    invitation = JoinInvitation.objects.get(user=elsewhere, school=school)
    # The school cannot reach their two-factor: they are not its member.
    assert not Membership.objects.filter(user=elsewhere, school=school).exists()
    # They are told, in the app and by e-mail, with a link to the invitation.
    notification = Notification.objects.get(recipient=elsewhere, kind="school_join_invitation")
    assert notification.url == reverse("join_invitation", args=[invitation.pk])
    [mail] = mailoutbox
    assert mail.to == [elsewhere.email]
    assert school.name in mail.body
    # The office hears only what happens here, nothing about the login.
    page = client_for(headteacher).get(response["Location"])
    assert b"will be e-mailed to pn@x.test shortly" in page.content
    assert b"Private Name" not in page.content


def test_accepting_joins_the_school_with_the_roles_it_chose(
    invite, elsewhere, school, client_for, headteacher
):
    invite(elsewhere.email, roles=[Role.STAFF, Role.DSL], job_title="DSL")
    invitation = JoinInvitation.objects.get(user=elsewhere)
    client = client_for(elsewhere)
    page = client.get(reverse("join_invitation", args=[invitation.pk]))
    assert page.status_code == 200 and b"Accept and join" in page.content
    response = client.post(reverse("join_invitation", args=[invitation.pk]), {"answer": "accept"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=elsewhere, school=school)
    assert membership.role_names == {Role.STAFF, Role.DSL}
    assert membership.job_title == "DSL"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # A second submit joins once.
    again = client.post(reverse("join_invitation", args=[invitation.pk]), {"answer": "accept"})
    assert again.status_code == 302
    assert Membership.objects.filter(user=elsewhere, school=school).count() == 1


def test_declining_leaves_everything_as_it_was(invite, elsewhere, school, client_for):
    invite(elsewhere.email)
    invitation = JoinInvitation.objects.get(user=elsewhere)
    client_for(elsewhere).post(
        reverse("join_invitation", args=[invitation.pk]), {"answer": "decline"}
    )
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert not Membership.objects.filter(user=elsewhere, school=school).exists()
    with pytest.raises(ValidationError):
        services.join_invitation_accept(invitation=invitation, actor=elsewhere)


def test_only_the_person_invited_sees_or_answers_the_invitation(
    invite, elsewhere, client_for, headteacher, staff
):
    invite(elsewhere.email)
    invitation = JoinInvitation.objects.get(user=elsewhere)
    url = reverse("join_invitation", args=[invitation.pk])
    for other in (headteacher, staff):
        assert client_for(other).get(url).status_code == 404
        assert client_for(other).post(url, {"answer": "accept"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.join_invitation_accept(invitation=invitation, actor=headteacher)
    assert not JoinInvitation.objects.filter(accepted_at__isnull=False).exists()


def test_the_headteacher_cannot_reset_the_two_factor_of_someone_only_invited(
    invite, elsewhere, school, headteacher
):
    """The attack of issue 7.2: add another school's login, then use the lost-phone reset."""
    invite(elsewhere.email)
    membership = elsewhere.memberships.get()
    assert membership.school != school
    assert not reset_allowed(headteacher, membership)


def test_a_new_address_is_still_invited_to_choose_a_password(invite, school, mailoutbox):
    response = invite("brand.new@example.org.uk")
    membership = Membership.objects.get(user__email="brand.new@example.org.uk", school=school)
    assert response["Location"] == reverse("person_detail", args=[membership.pk])
    assert not JoinInvitation.objects.exists()
    assert "/invitations/" in mailoutbox[0].body


def test_an_open_invitation_is_on_the_dashboard_until_it_is_answered(
    invite, elsewhere, school, client_for
):
    invite(elsewhere.email)
    invitation = JoinInvitation.objects.get(user=elsewhere)
    client = client_for(elsewhere)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"An invitation to join {school.name}" in page
    assert reverse("join_invitation", args=[invitation.pk]) in page

    client.post(reverse("join_invitation", args=[invitation.pk]), {"answer": "decline"})
    assert (
        f"An invitation to join {school.name}"
        not in client.get(reverse("dashboard")).content.decode()
    )


def test_an_expired_invitation_leaves_the_dashboard(invite, elsewhere, school, client_for):
    invite(elsewhere.email)
    JoinInvitation.objects.filter(user=elsewhere).update(expires_at=timezone.now())
    page = client_for(elsewhere).get(reverse("dashboard")).content.decode()
    assert "An invitation to join" not in page


def test_the_same_invitation_submitted_twice_is_one_invitation_and_one_message(
    invite, elsewhere, school
):
    first = invite(elsewhere.email)
    second = invite(elsewhere.email)
    assert first.status_code == second.status_code == 302
    assert JoinInvitation.objects.filter(user=elsewhere, school=school).count() == 1
    assert (
        Notification.objects.filter(recipient=elsewhere, kind="school_join_invitation").count() == 1
    )


def test_inviting_again_with_other_roles_replaces_the_open_invitation(invite, elsewhere, school):
    invite(elsewhere.email)
    invite(elsewhere.email, roles=[Role.STAFF, Role.DSL])
    invitations = JoinInvitation.objects.filter(user=elsewhere, school=school)
    assert invitations.count() == 2
    [open_one] = [i for i in invitations if i.withdrawn_at is None]
    assert sorted(open_one.roles) == sorted([Role.STAFF, Role.DSL])


@pytest.mark.integration
def test_the_same_invitation_posted_at_once_is_one_open_invitation(
    transactional_db, client_for, school, headteacher, other_school
):
    from tests.concurrency import post_concurrently

    elsewhere = person_in(other_school, Role.STAFF, full_name="Private Name", email="pn@x.test")
    responses = post_concurrently(
        client_for(headteacher), reverse("people_invite"), invite_data(elsewhere.email), times=3
    )
    assert all(r.status_code in (200, 302) for r in responses)
    assert JoinInvitation.objects.filter(user=elsewhere, school=school).count() == 1
