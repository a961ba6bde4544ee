"""notification_send: the in-app row at once, the e-mail only after commit, mail down harmless."""

import datetime as dt
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from celery.exceptions import Retry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.utils import timezone

from socialgov.celery import app
from socialgov.notifications import services
from socialgov.notifications.models import Notification
from socialgov.notifications.services import (
    notification_email_deliver,
    notification_mark_all_read,
    notification_mark_read,
    notification_send,
    notification_withdraw,
)
from socialgov.notifications.tasks import notification_email_send

MAIL_DOWN = "tests.notifications.backends.MailServerDownBackend"


def _send(recipient, school, **kwargs):
    kwargs.setdefault("kind", "notice")
    kwargs.setdefault("url", f"/schools/{school.pk}/")
    return notification_send(recipient=recipient, school=school, **kwargs)


def test_notification_is_stored_with_its_rendered_title(staff, school):
    notification = _send(staff, school)
    notification.refresh_from_db()
    assert notification.recipient == staff
    assert notification.school == school
    assert notification.title == "You have something new in SocialGov"
    assert notification.read_at is None and notification.emailed_at is None


def test_email_goes_only_after_the_transaction_commits(
    staff, school, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://socialgov.example.org.uk"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = _send(staff, school)
        assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["staff@willow.test"]
    assert email.subject == "You have something new in SocialGov"
    assert f"https://socialgov.example.org.uk/schools/{school.pk}/" in email.body
    assert "Sam Staff" in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.email_context == {}


def test_nothing_is_emailed_or_stored_when_the_callers_transaction_rolls_back(
    staff, school, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _send(staff, school)
        raise RuntimeError("the caller's own write failed")
    assert callbacks == []
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_mail_server_down_does_not_break_the_caller_and_the_notification_stays(
    staff, school, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = MAIL_DOWN
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(staff, school)  # runs the eager task: must not raise
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert notification.email_attempts == 1
    assert "waits for the sweep" in caplog.text
    from socialgov.outbox.models import OutboxTask

    assert OutboxTask.objects.get().args == [notification.pk]  # the outbox's sweep sends it


def test_in_a_worker_the_task_retries_a_mail_server_that_is_down(staff, school, settings):
    settings.EMAIL_BACKEND = MAIL_DOWN
    notification = _send(staff, school)
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False  # a real worker: the retry goes to the (in-memory) broker
    notification_email_send.push_request(
        id="retry-test",
        args=[notification.pk],
        kwargs={},
        retries=0,
        is_eager=False,
        called_directly=False,
    )
    try:
        with pytest.raises(Retry):
            notification_email_send.run(notification.pk)
    finally:
        notification_email_send.pop_request()
        app.conf.task_always_eager = saved
    assert notification_email_send.max_retries == 5


def test_the_sweep_sends_what_the_mail_server_refused_earlier(
    staff, school, settings, mailoutbox, django_capture_on_commit_callbacks
):
    start = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        settings.EMAIL_BACKEND = MAIL_DOWN
        with django_capture_on_commit_callbacks(execute=True):
            notification = _send(staff, school)
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        # Too young: the task's own retries still own it.
        assert services.notification_emails_send_pending() == 0
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        call_command("send_pending_notification_emails")
        assert services.notification_emails_send_pending() == 0  # sent once only
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at == start + dt.timedelta(hours=2)


def test_an_email_is_sent_once_even_when_delivered_twice(staff, school, mailoutbox):
    notification = _send(staff, school)  # no commit in a test transaction: not yet sent
    assert notification_email_deliver(notification_id=notification.pk) is True
    assert notification_email_deliver(notification_id=notification.pk) is False
    assert len(mailoutbox) == 1


def test_a_broker_that_is_down_does_not_break_the_caller(
    staff, school, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(notification_email_send, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _send(staff, school)
    assert Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).exists()
    from socialgov.outbox.models import OutboxTask

    assert OutboxTask.objects.get().last_error == "OperationalError"


def test_a_link_to_another_site_is_refused(staff, school):
    for url in ("https://evil.example.com/", "//evil.example.com/", "schools/1/"):
        with pytest.raises(ValidationError):
            _send(staff, school, url=url)
    assert not Notification.objects.exists()


def test_an_unknown_kind_is_refused_before_anything_is_stored(staff, school):
    with pytest.raises(TemplateDoesNotExist):
        _send(staff, school, kind="no_such_kind")
    assert not Notification.objects.exists()


def test_context_that_is_not_plain_values_is_refused(staff, school):
    with pytest.raises(ValidationError):
        _send(staff, school, context={"person": object()})


def test_mark_read_keeps_the_first_time_and_is_for_the_recipient_only(staff, office, school):
    notification = _send(staff, school)
    with pytest.raises(PermissionDenied):
        notification_mark_read(notification=notification, actor=office)
    first = timezone.now() - dt.timedelta(minutes=5)
    Notification.objects.filter(pk=notification.pk).update(read_at=first)
    notification_mark_read(notification=notification, actor=staff)
    notification.refresh_from_db()
    assert notification.read_at == first


def test_mark_all_read_marks_only_the_actors_own(staff, office, school):
    for _ in range(3):
        _send(staff, school)
    _send(office, school)
    assert notification_mark_all_read(actor=staff) == 3
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=office, read_at__isnull=True).count() == 1


def test_withdraw_removes_one_persons_notifications_about_a_page(staff, office, school):
    _send(staff, school, url="/incidents/7/")
    _send(office, school, url="/incidents/7/")
    _send(staff, school, url="/incidents/8/")
    assert notification_withdraw(url="/incidents/7/", recipients=[staff], actor=office) == 1
    assert list(Notification.objects.filter(recipient=staff).values_list("url", flat=True)) == [
        "/incidents/8/"
    ]
    assert Notification.objects.filter(recipient=office).count() == 1


def test_task_error_other_than_mail_is_not_swallowed(staff, school, monkeypatch):
    notification = _send(staff, school)

    def broken(**kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(services, "notification_email_deliver", broken)
    with pytest.raises(ZeroDivisionError):
        notification_email_send.apply(args=[notification.pk], throw=True)


def test_mail_server_error_class_is_an_oserror():
    # The task lists both; smtplib's errors being OSErrors keeps a socket timeout covered too.
    assert issubclass(SMTPServerDisconnected, OSError)
