"""Lost-phone reset: the headteacher of the school (a superuser for a headteacher) removes a
person's authenticator and backup codes; recorded with history, shown, and the person is told."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialgov.notifications.models import Notification
from socialgov.people.roles import Role
from socialgov.twofactor.models import TwoFactorReset
from tests.conftest import sign_in_client
from tests.factories import MembershipFactory, UserFactory, person_in
from tests.twofactor.helpers import authenticator_for, code_for

REASON = "Phone dropped in the canal on the Year 6 trip"


def reset_url(person, school=None):
    membership = person.memberships.get(**({"school": school} if school else {}))
    return reverse("twofactor_reset", args=[membership.pk])


def enrol_fully(person):
    authenticator_for(person)
    static = StaticDevice.objects.create(user=person, name="Backup codes", confirmed=True)
    static.token_set.create(token="abcdefgh")


def test_headteacher_resets_a_person_of_their_school(
    client_for, headteacher, dsl, school, django_capture_on_commit_callbacks, mailoutbox
):
    enrol_fully(dsl)
    client = client_for(headteacher)
    assert client.get(reset_url(dsl)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reset_url(dsl), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == reverse("twofactor_people")

    assert not TOTPDevice.objects.filter(user=dsl).exists()
    assert not StaticDevice.objects.filter(user=dsl).exists()
    reset = TwoFactorReset.objects.get(person=dsl)
    assert (reset.school, reset.reset_by, reset.reason) == (school, headteacher, REASON)
    [record] = reset.history.all()
    assert record.history_type == "+" and record.history_user == headteacher

    notification = Notification.objects.get(recipient=dsl, kind="twofactor_reset")
    assert notification.url == reverse("twofactor_security")
    assert notification.school == school
    [mail] = mailoutbox
    assert mail.to == [dsl.email]
    assert mail.subject == "Your SocialGov sign-in settings have changed"
    assert headteacher.full_name in mail.body
    assert REASON not in mail.body and "canal" not in mail.subject


def test_the_reset_shows_on_the_persons_security_page(client_for, headteacher, dsl):
    enrol_fully(dsl)
    client_for(headteacher).post(reset_url(dsl), {"reason": REASON})
    page = client_for(dsl, verified=False)
    # Their devices are gone, so they enrol again before anything else opens.
    assert page.get("/").headers["Location"].startswith(reverse("twofactor_enrol"))
    assert page.get(reverse("twofactor_enrol")).status_code == 200
    pending = TOTPDevice.objects.get(user=dsl)
    page.post(reverse("twofactor_enrol"), {"code": code_for(pending)})
    security = page.get(reverse("twofactor_security")).content.decode()
    assert REASON in security and headteacher.full_name in security


def test_a_reset_ends_the_verified_session_of_the_person(client_for, headteacher, dsl):
    dsl_client = sign_in_client(Client(), dsl)
    assert dsl_client.get("/").status_code == 200
    client_for(headteacher).post(reset_url(dsl), {"reason": REASON})
    response = dsl_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor_enrol"))


@pytest.mark.parametrize("name", ["dsl", "office", "staff", "chair"])
def test_others_in_the_school_are_refused(client_for, request, name, network_manager):
    enrol_fully(network_manager)
    client = client_for(request.getfixturevalue(name))
    assert client.get(reset_url(network_manager)).status_code == 403
    assert client.post(reset_url(network_manager), {"reason": REASON}).status_code == 403
    assert TOTPDevice.objects.filter(user=network_manager).exists()
    assert not TwoFactorReset.objects.exists()


def test_headteacher_of_another_school_gets_404(client_for, outsider, dsl):
    enrol_fully(dsl)
    client = client_for(outsider)
    assert client.get(reset_url(dsl)).status_code == 404
    assert client.post(reset_url(dsl), {"reason": REASON}).status_code == 404
    assert TOTPDevice.objects.filter(user=dsl).exists()


def test_headteacher_cannot_reset_a_headteacher_or_themselves(client_for, headteacher, school):
    co_head = person_in(school, Role.HEADTEACHER)
    enrol_fully(co_head)
    client = client_for(headteacher)
    assert client.post(reset_url(co_head), {"reason": REASON}).status_code == 403
    assert client.post(reset_url(headteacher), {"reason": REASON}).status_code == 403
    assert TOTPDevice.objects.filter(user=co_head).exists()
    assert not TwoFactorReset.objects.exists()


def test_headteacher_cannot_reset_someone_who_is_headteacher_elsewhere(
    client_for, headteacher, school, other_school
):
    person = person_in(other_school, Role.HEADTEACHER)
    MembershipFactory(user=person, school=school, roles=[Role.STAFF])
    assert (
        client_for(headteacher).post(reset_url(person, school), {"reason": REASON}).status_code
        == 403
    )


def test_superuser_resets_a_headteacher(client_for, headteacher, school):
    enrol_fully(headteacher)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    response = client_for(superuser).post(reset_url(headteacher), {"reason": REASON})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=headteacher).exists()
    reset = TwoFactorReset.objects.get(person=headteacher)
    assert reset.reset_by == superuser and reset.school == school


def test_a_reason_is_required_and_nothing_is_written_without_one(client_for, headteacher, dsl):
    enrol_fully(dsl)
    response = client_for(headteacher).post(reset_url(dsl), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert TOTPDevice.objects.filter(user=dsl).exists()
    assert not TwoFactorReset.objects.exists()
    assert not Notification.objects.filter(kind="twofactor_reset").exists()


def test_an_overlong_reason_is_a_form_error(client_for, headteacher, dsl):
    response = client_for(headteacher).post(reset_url(dsl), {"reason": "x" * 501})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not TwoFactorReset.objects.exists()


def test_a_bad_membership_number_is_404(client_for, headteacher):
    client = client_for(headteacher)
    assert client.get("/two-factor/reset/999999/").status_code == 404


def test_headteacher_sees_who_has_set_up_two_factor(client_for, headteacher, dsl, staff):
    enrol_fully(dsl)
    response = client_for(headteacher).get(reverse("twofactor_people"))
    assert response.status_code == 200
    rows = {row.membership.user: row for row in response.context["people"]}
    assert rows[dsl].authenticator is not None and rows[dsl].needs_two_factor
    assert rows[staff].authenticator is None and not rows[staff].needs_two_factor
    assert rows[headteacher].reset_reserved and not rows[dsl].reset_reserved
    html = response.content.decode()
    assert reset_url(dsl) in html and reset_url(headteacher) not in html


@pytest.mark.parametrize("name", ["dsl", "staff", "office"])
def test_only_the_headteacher_sees_the_schools_two_factor_list(client_for, request, name):
    assert (
        client_for(request.getfixturevalue(name)).get(reverse("twofactor_people")).status_code
        == 403
    )


def test_school_list_query_count_does_not_grow_with_people(
    client_for, headteacher, school, django_assert_num_queries
):
    client = client_for(headteacher)
    for _ in range(3):
        enrol_fully(person_in(school, Role.DSL))
    with CaptureQueriesContext(connection) as small_run:
        assert client.get(reverse("twofactor_people")).status_code == 200
    for _ in range(30):
        enrol_fully(person_in(school, Role.SLT))
        person_in(school, Role.STAFF)
    # Middleware: session, user, memberships + roles, the verified device; the page: memberships,
    # roles, who needs two-factor, authenticators, who only a superuser may reset; the header:
    # trust memberships, unread notifications.
    with django_assert_num_queries(len(small_run.captured_queries)):
        client.get(reverse("twofactor_people"))


def test_headteacher_cannot_reset_someone_who_also_belongs_to_another_school(
    client_for, headteacher, school, other_school
):
    """Issue 7.2: the reset removes the authenticator for every school, so the headteacher of
    one of them may not do it; the person's other school never agreed."""
    person = person_in(other_school, Role.STAFF)
    MembershipFactory(user=person, school=school, roles=[Role.STAFF])
    enrol_fully(person)
    response = client_for(headteacher).post(reset_url(person, school), {"reason": REASON})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=person).exists()
    assert not TwoFactorReset.objects.exists()


def test_headteacher_of_every_school_of_the_person_may_reset(
    client_for, headteacher, school, sister_school, django_capture_on_commit_callbacks, mailoutbox
):
    person = person_in(school, Role.STAFF)
    MembershipFactory(user=person, school=sister_school, roles=[Role.STAFF])
    MembershipFactory(user=headteacher, school=sister_school, roles=[Role.HEADTEACHER])
    enrol_fully(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(headteacher).post(reset_url(person, school), {"reason": REASON})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert [m.to for m in mailoutbox] == [[person.email]]  # the person is told


def test_a_former_membership_elsewhere_does_not_count(
    client_for, headteacher, school, other_school
):
    import datetime as dt

    person = person_in(school, Role.STAFF)
    MembershipFactory(
        user=person,
        school=other_school,
        roles=[Role.STAFF],
        start_date=dt.date(2020, 9, 1),
        leaving_date=dt.date(2021, 7, 31),
    )
    enrol_fully(person)
    response = client_for(headteacher).post(reset_url(person, school), {"reason": REASON})
    assert response.status_code == 302


def test_the_gateway_allows_a_trust_executive_over_every_school_of_the_person(
    trust_executive, headteacher, school, sister_school, other_school
):
    from socialgov.twofactor.access import reset_allowed

    person = person_in(school, Role.STAFF)
    MembershipFactory(user=person, school=sister_school, roles=[Role.STAFF])
    membership = person.memberships.get(school=school)
    assert reset_allowed(trust_executive, membership)
    assert not reset_allowed(headteacher, membership)  # not headteacher of the sister school
    MembershipFactory(user=person, school=other_school, roles=[Role.STAFF])  # outside the trust
    person = type(person).objects.get(pk=person.pk)
    assert not reset_allowed(trust_executive, person.memberships.get(school=school))


# --- Issue 7.9: lifting a pause that wrong codes put on someone's two-factor -----------------


def _paused(person):
    import datetime as dt

    from django.utils import timezone

    device = authenticator_for(person)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=14, throttling_failure_timestamp=timezone.now()
    )
    device.refresh_from_db()
    assert not device.verify_is_allowed()[0]  # hours to wait
    assert device.verify_is_allowed()[1]["locked_until"] > timezone.now() + dt.timedelta(hours=1)
    return device


def test_headteacher_lifts_the_pause_and_the_person_can_enter_a_code_at_once(
    client_for, headteacher, dsl
):
    device = _paused(dsl)
    client = client_for(headteacher)
    page = client.get(reset_url(dsl))
    assert b"Lift the pause" in page.content
    membership = dsl.memberships.get()
    response = client.post(reverse("twofactor_throttle_clear", args=[membership.pk]))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.verify_is_allowed()[0]
    assert device.throttling_failure_count == 0
    assert TOTPDevice.objects.filter(pk=device.pk).exists()  # lifted, not reset


def test_superuser_lifts_a_headteachers_pause(client_for, headteacher):
    device = _paused(headteacher)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    membership = headteacher.memberships.get()
    response = client_for(superuser).post(reverse("twofactor_throttle_clear", args=[membership.pk]))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.verify_is_allowed()[0]


@pytest.mark.parametrize("name", ["dsl", "office", "staff"])
def test_others_cannot_lift_a_pause(client_for, request, name, colleague):
    device = _paused(colleague)
    client = client_for(request.getfixturevalue(name))
    membership = colleague.memberships.get()
    assert client.post(reverse("twofactor_throttle_clear", args=[membership.pk])).status_code in (
        403,
        404,
    )
    device.refresh_from_db()
    assert not device.verify_is_allowed()[0]
