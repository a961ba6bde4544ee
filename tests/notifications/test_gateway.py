"""The notifications gateway (socialgov.notifications.access), tested directly: each person sees
their own notifications, for the schools they still belong to."""

import datetime as dt

import pytest
from django.http import Http404

from socialgov.notifications.access import notification_get_for_user, notification_visible_to
from socialgov.notifications.services import notification_send
from tests.factories import MembershipFactory


def _send(recipient, school):
    return notification_send(recipient=recipient, kind="notice", url="/", school=school)


def test_a_notification_is_visible_to_its_recipient_only(
    school, staff, colleague, headteacher, outsider
):
    mine = _send(staff, school)
    assert list(notification_visible_to(staff)) == [mine]
    assert notification_get_for_user(staff, mine.pk) == mine
    # Same school (even its headteacher), or another school: never someone else's notification.
    for other in (colleague, headteacher, outsider):
        assert mine not in notification_visible_to(other)
        with pytest.raises(Http404):
            notification_get_for_user(other, mine.pk)


def test_a_notification_of_a_school_the_person_has_left_is_hidden(school, sister_school, staff):
    MembershipFactory(user=staff, school=sister_school)
    notification = _send(staff, school)
    elsewhere = _send(staff, sister_school)
    membership = staff.memberships.get(school=school)
    membership.leaving_date = dt.date.today()
    membership.save()
    staff = type(staff).objects.get(pk=staff.pk)
    assert list(notification_visible_to(staff)) == [elsewhere]
    with pytest.raises(Http404):
        notification_get_for_user(staff, notification.pk)


def test_a_trust_executive_sees_their_notifications_about_the_trusts_schools(
    school, other_school, trust_executive
):
    about_school = _send(trust_executive, school)
    about_other = _send(trust_executive, other_school)
    without_school = notification_send(recipient=trust_executive, kind="notice", url="/")
    assert set(notification_visible_to(trust_executive)) == {about_school, without_school}
    assert about_other not in notification_visible_to(trust_executive)
