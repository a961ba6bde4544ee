"""The notifications page, the header bell, opening and marking notifications read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialgov.notifications.models import Notification
from socialgov.notifications.services import notification_send
from tests.factories import MembershipFactory

LIST = "/notifications/"


def _send(recipient, school, url=None):
    return notification_send(
        recipient=recipient, school=school, kind="notice", url=url or f"/schools/{school.pk}/"
    )


def test_the_list_shows_only_my_own_notifications(client_for, staff, office, school):
    mine = _send(staff, school, url="/mine/")
    theirs = _send(office, school, url="/theirs/")
    response = client_for(staff).get(LIST)
    assert response.status_code == 200
    page = list(response.context["page"].object_list)
    assert page == [mine]
    assert theirs not in page
    body = response.content.decode()
    assert reverse("notification_open", args=[mine.pk]) in body
    assert reverse("notification_open", args=[theirs.pk]) not in body


def test_the_list_is_newest_first_and_marks_unread(client_for, staff, school):
    older = _send(staff, school)
    newer = _send(staff, school)
    Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
    response = client_for(staff).get(LIST)
    assert list(response.context["page"].object_list) == [newer, older]
    body = response.content.decode()
    assert body.count(">New</span>") == 1
    assert body.count("Mark as read<span") == 1


def test_notifications_of_a_school_i_have_left_are_not_listed(client_for, staff, school):
    from tests.factories import SchoolFactory

    left = SchoolFactory(name="Old School")
    old = MembershipFactory(user=staff, school=left)
    gone = _send(staff, left)
    kept = _send(staff, school)
    old.leaving_date = old.start_date
    old.save()
    response = client_for(staff).get(LIST)
    assert list(response.context["page"].object_list) == [kept]
    assert client_for(staff).get(reverse("notification_open", args=[gone.pk])).status_code == 404


def test_a_trust_executive_sees_notifications_of_the_trusts_schools(trust, school, other_school):
    from socialgov.notifications.access import notification_visible_to
    from tests.factories import TrustMembershipFactory

    executive = TrustMembershipFactory(trust=trust).user
    ours = _send(executive, school)
    _send(executive, other_school)  # not a school of the trust
    assert list(notification_visible_to(executive)) == [ours]


def test_the_header_bell_shows_my_unread_count(client_for, staff, office, school):
    for _ in range(3):
        _send(staff, school)
    _send(office, school)
    read = _send(staff, school)
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    body = client_for(staff).get(reverse("dashboard")).content.decode()
    assert "Notifications, 3 unread" in body


def test_the_header_bell_says_none_unread(client_for, staff):
    body = client_for(staff).get(reverse("dashboard")).content.decode()
    assert "Notifications, 0 unread" in body


def test_signed_out_pages_have_no_bell(client):
    body = client.get(reverse("login")).content.decode()
    assert "unread" not in body


def test_opening_marks_read_and_goes_to_the_link(client_for, staff, school):
    notification = _send(staff, school, url=f"/schools/{school.pk}/")
    response = client_for(staff).get(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/schools/{school.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("who", ["office", "headteacher", "outsider"])
def test_nobody_else_can_open_or_mark_my_notification(request, client_for, staff, school, who):
    notification = _send(staff, school)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("notification_open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notification_open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notification_read", args=[notification.pk])).status_code == 404
    client.post(reverse("notification_read_all"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_one_read_without_opening(client_for, staff, school):
    notification = _send(staff, school)
    other = _send(staff, school)
    response = client_for(staff).post(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None
    assert other.read_at is None


def test_marking_read_needs_a_post(client_for, staff, school):
    notification = _send(staff, school)
    response = client_for(staff).get(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None
    assert client_for(staff).get(reverse("notification_read_all")).status_code == 405


def test_mark_all_read(client_for, staff, school):
    for _ in range(4):
        _send(staff, school)
    response = client_for(staff).post(reverse("notification_read_all"), follow=True)
    assert "4 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()
    assert "Notifications, 0 unread" in response.content.decode()


def test_a_bad_page_number_shows_a_page_not_an_error(client_for, staff, school):
    _send(staff, school)
    for page in ("abc", "999", "-1"):
        assert client_for(staff).get(LIST, {"page": page}).status_code == 200


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_page_queries_do_not_grow_with_notifications(
    client_for, staff, school, django_assert_num_queries
):
    # 8 queries: session, user, memberships, their roles, trust memberships, the bell's unread
    # COUNT (reused by "Mark all as read"), the paginator's COUNT, one page of notifications
    # with their schools joined.
    client = client_for(staff)
    for _ in range(5):
        _send(staff, school)
    client.get(LIST)  # warm up the session
    at_five = _count_queries(client, LIST)
    for _ in range(45):
        _send(staff, school)
    with django_assert_num_queries(at_five):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 25
