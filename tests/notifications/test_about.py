"""Notifications about a record (`notification_send(..., about=obj)`): a person sees them only
while the record's app gateway lets them see the record (socialgov.notifications.registry)."""

import pytest
from django.db import IntegrityError

from socialgov.notifications import registry
from socialgov.notifications.models import Notification
from socialgov.notifications.selectors import notification_inbox, notification_unread_count
from socialgov.notifications.services import (
    notification_email_deliver,
    notification_send,
    notification_withdraw,
)
from socialgov.people.models import Membership


@pytest.fixture
def hide_office_membership():
    """A gateway as an app would register one: nobody may see the office's membership."""
    registry.register_gateway(
        Membership, lambda user: Membership.objects.exclude(user__email="office@willow.test")
    )
    yield
    registry.unregister_gateway(Membership)


def _about(recipient, school, record):
    return notification_send(
        recipient=recipient, school=school, kind="notice", url="/somewhere/", about=record
    )


def test_a_notification_remembers_what_it_is_about(staff, school, office):
    record = office.memberships.get()
    notification = _about(staff, school, record)
    notification.refresh_from_db()
    assert notification.about_type.model_class() is Membership
    assert notification.about_id == record.pk


def test_a_notification_about_a_hidden_record_is_not_listed_counted_or_opened(
    client_for, staff, school, office, hide_office_membership
):
    hidden = _about(staff, school, office.memberships.get())
    shown = _about(staff, school, staff.memberships.get())
    assert list(notification_inbox(staff)) == [shown]
    assert notification_unread_count(staff) == 1
    client = client_for(staff)
    assert client.get(f"/notifications/{hidden.pk}/open/").status_code == 404
    assert client.get(f"/notifications/{shown.pk}/open/").status_code == 302
    page = client.get("/notifications/").content.decode()
    assert f"/notifications/{hidden.pk}/open/" not in page


def test_without_a_registered_gateway_the_record_does_not_matter(staff, school, office):
    notification = _about(staff, school, office.memberships.get())
    assert list(notification_inbox(staff)) == [notification]


def test_no_email_goes_about_a_record_the_person_may_no_longer_see(
    staff, school, office, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        notification = _about(staff, school, office.memberships.get())
    registry.register_gateway(Membership, lambda user: Membership.objects.none())
    try:
        assert notification_email_deliver(notification_id=notification.pk) is False
    finally:
        registry.unregister_gateway(Membership)
    assert mailoutbox == []


def test_withdraw_by_record_removes_only_that_records_notifications(staff, office, school):
    record = office.memberships.get()
    _about(staff, school, record)
    _about(office, school, record)
    kept = _about(staff, school, staff.memberships.get())
    assert notification_withdraw(about=record, recipients=[staff], actor=office) == 1
    assert list(Notification.objects.filter(recipient=staff)) == [kept]
    assert Notification.objects.filter(recipient=office).count() == 1


def test_withdraw_needs_exactly_one_of_url_and_record(staff, office):
    with pytest.raises(ValueError):
        notification_withdraw(actor=office)
    with pytest.raises(ValueError):
        notification_withdraw(actor=office, url="/x/", about=staff.memberships.get())


def test_the_database_refuses_half_a_record_reference(staff, school):
    notification = notification_send(recipient=staff, school=school, kind="notice", url="/x/")
    with pytest.raises(IntegrityError):
        Notification.objects.filter(pk=notification.pk).update(about_id=5)


def test_the_unread_count_asks_only_the_gateways_of_what_unread_notifications_are_about(
    staff, school, office, hide_office_membership, django_assert_num_queries
):
    """The badge on every page: nothing unread is one small query; otherwise only the kinds
    of record the unread notifications are about are checked, and hidden ones still not counted."""
    from tests.gateway_spy import gateways_asked

    with django_assert_num_queries(1):
        assert notification_unread_count(staff) == 0
    _about(staff, school, office.memberships.get())  # hidden
    shown = _about(staff, school, staff.memberships.get())
    notification_send(recipient=staff, school=school, kind="notice", url="/x/")  # about nothing
    with gateways_asked() as asked:
        assert notification_unread_count(staff) == 2
    assert asked == [Membership]
    Notification.objects.filter(pk=shown.pk).update(read_at="2026-12-01T10:00:00Z")
    assert notification_unread_count(staff) == 1
