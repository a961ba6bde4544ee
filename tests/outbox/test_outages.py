"""Outages never hang a page, and nothing is lost (issue 7, item 7).

A closed Redis port (the broker is down) and a closed SMTP port (the mail server is down): the
page answers within 2 s, the work waits in the outbox, and the sweep does it once the service is
back.
"""

import socket
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from socialgov.celery import app
from socialgov.outbox.models import OutboxTask
from socialgov.outbox.services import outbox_tasks_hand_over
from socialgov.people.models import Membership
from socialgov.people.roles import Role, StaffGroup
from socialgov.reminders.schedule import every_job

FAST = 2.0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def _broker_pools_reset():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_down(celery_conf):
    _broker_pools_reset()
    celery_conf(
        broker_url=f"redis://127.0.0.1:{_closed_port()}/0",
        task_always_eager=False,
    )
    yield
    _broker_pools_reset()


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_USE_TLS = False


def _service_back(settings, celery_conf):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _broker_pools_reset()
    celery_conf(broker_url="memory://localhost/", task_always_eager=True)


def _invite(client, email="nina@example.org.uk"):
    client.get(reverse("people_invite"))  # warm (templates, URLconf): only the outage is timed
    return client.post(
        reverse("people_invite"),
        {
            "full_name": "Nina New",
            "email": email,
            "staff_group": StaffGroup.TEACHER,
            "roles": [Role.STAFF],
            "start_date": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_the_sweep_is_a_scheduled_job():
    names = {name: task for name, task, _at, _description in every_job()}
    assert names["Waiting tasks"] == "socialgov.outbox.tasks.outbox_tasks_hand_over"


def test_with_redis_down_an_invitation_page_answers_at_once_and_the_email_goes_later(
    client_for,
    headteacher,
    redis_down,
    settings,
    celery_conf,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds = _timed(lambda: _invite(client_for(headteacher)))
    assert response.status_code == 302
    assert seconds < FAST
    assert Membership.objects.filter(user__email="nina@example.org.uk").exists()
    waiting = OutboxTask.objects.get()
    assert waiting.task_name == "socialgov.people.tasks.invitation_emails_send"
    assert waiting.last_error == "OperationalError"
    assert mailoutbox == []

    _service_back(settings, celery_conf)
    assert outbox_tasks_hand_over() == 1
    assert [m.to for m in mailoutbox] == [["nina@example.org.uk"]]
    assert f"{settings.SITE_URL}/invitations/" in mailoutbox[0].body
    assert not OutboxTask.objects.exists()


def test_with_redis_down_the_sweep_keeps_the_task_and_stops(redis_down, headteacher):
    from socialgov.outbox.services import task_hand_over
    from socialgov.tasks import ping

    started = time.monotonic()
    assert task_hand_over(ping, args=[], kwargs={}) is False
    assert outbox_tasks_hand_over() == 0  # still down: kept, attempt counted
    assert time.monotonic() - started < FAST
    waiting = OutboxTask.objects.get()
    assert waiting.attempts == 1 and waiting.last_error == "OperationalError"


def test_with_the_mail_server_down_an_invitation_page_answers_and_the_email_goes_later(
    client_for,
    headteacher,
    smtp_down,
    settings,
    celery_conf,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds = _timed(lambda: _invite(client_for(headteacher)))
    assert response.status_code == 302
    assert seconds < FAST
    follow = client_for(headteacher).get(response["Location"])
    assert b"will be e-mailed to nina@example.org.uk shortly" in follow.content
    assert OutboxTask.objects.get().last_error == "ServiceDown"

    assert outbox_tasks_hand_over() == 0  # still down: it waits
    assert OutboxTask.objects.get().attempts == 1

    _service_back(settings, celery_conf)
    assert outbox_tasks_hand_over() == 1
    assert [m.to for m in mailoutbox] == [["nina@example.org.uk"]]


def test_with_the_mail_server_down_a_notification_email_waits_and_goes_later(
    staff,
    school,
    smtp_down,
    settings,
    celery_conf,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    from socialgov.notifications.services import notification_send

    with django_capture_on_commit_callbacks(execute=True):
        started = time.monotonic()
        notification_send(
            recipient=staff,
            kind="school_joined",
            url="/",
            school=school,
            context={"school_name": school.name},
        )
        assert time.monotonic() - started < FAST
    assert OutboxTask.objects.get().task_name.endswith("notification_email_send")

    _service_back(settings, celery_conf)
    assert outbox_tasks_hand_over() == 1
    assert [m.to for m in mailoutbox] == [[staff.email]]


def test_with_the_mail_server_down_password_reset_answers_and_the_email_goes_later(
    client,
    staff,
    smtp_down,
    settings,
    celery_conf,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds = _timed(
            lambda: client.post(reverse("password_reset"), {"email": staff.email})
        )
    assert response.status_code == 302 and seconds < FAST
    assert outbox_tasks_hand_over() == 0  # the mail server is still down
    _service_back(settings, celery_conf)
    assert outbox_tasks_hand_over() == 1
    assert [m.to for m in mailoutbox] == [[staff.email]]


def test_with_redis_down_signing_answers_at_once_and_the_signed_pdf_is_rendered_later(
    client_for,
    staff,
    school,
    headteacher,
    redis_down,
    settings,
    celery_conf,
    django_capture_on_commit_callbacks,
):
    from policies.models import Signature
    from tests.policies.factories import policy_for, published_version_for

    version = published_version_for(policy_for(school, headteacher), headteacher)
    client = client_for(staff)
    url = reverse("version_sign", kwargs={"pk": version.pk})
    client.get(url)  # warm: only the outage is timed
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds = _timed(
            lambda: client.post(url, {"agreed": "on", "typed_name": "Sam Staff"})
        )
    assert response.status_code == 302
    assert seconds < FAST
    signature = Signature.objects.get(signer=staff)
    assert signature.pdf_id is None
    waiting = OutboxTask.objects.get()
    assert waiting.task_name == "policies.tasks.signature_pdf_render_task"
    assert waiting.args == [signature.pk]

    _service_back(settings, celery_conf)
    assert outbox_tasks_hand_over() == 1
    signature.refresh_from_db()
    assert signature.pdf_id is not None
    assert not OutboxTask.objects.exists()
