"""Notifying many people of the same thing: one in-app row each, e-mails after commit in batches
over one mail-server connection each."""

from smtplib import SMTPServerDisconnected

import pytest

from socialgov.notifications import services
from socialgov.notifications.models import Notification
from tests.factories import person_in

pytestmark = pytest.mark.django_db


def test_each_person_is_notified_once_and_e_mailed_after_commit(
    school, staff, governor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = services.notification_send_many(
            recipients=[staff, governor, staff],
            kind="notice",
            url="/policies/",
            school=school,
            context={"message": "Hello"},
        )
        assert mailoutbox == []
    assert len(created) == 2
    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == [
        "governor@willow.test",
        "staff@willow.test",
    ]
    for callback in callbacks:
        callback()
    assert sorted(email.to[0] for email in mailoutbox) == [
        "governor@willow.test",
        "staff@willow.test",
    ]
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_nobody_to_tell_sends_nothing(school, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.notification_send_many(recipients=[], kind="notice", url="/x/") == []
    assert callbacks == [] and mailoutbox == []


def test_a_mail_server_that_is_down_leaves_the_batch_for_the_sweep(
    school, settings, django_capture_on_commit_callbacks
):
    people = [person_in(school, email=f"p{n}@willow.test") for n in range(3)]
    settings.EMAIL_BACKEND = "tests.notifications.backends.MailServerDownBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send_many(recipients=people, kind="notice", url="/x/", school=school)
    # The page did not fail; every row waits, unsent, for the sweep.
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 3


def test_the_batch_raises_for_the_task_to_retry(school, staff, settings):
    (notification,) = services.notification_send_many(
        recipients=[staff], kind="notice", url="/x/", school=school
    )
    settings.EMAIL_BACKEND = "tests.notifications.backends.MailServerDownBackend"
    with pytest.raises(SMTPServerDisconnected):
        services.notification_emails_deliver_batch(notification_ids=[notification.pk])
