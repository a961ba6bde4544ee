"""End to end with a real reminder kind: two-factor enrolment (socialgov.twofactor registers it)."""

import io

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialgov.dates import today
from socialgov.notifications.models import Notification
from socialgov.reminders import registry
from socialgov.reminders.models import ReminderLog


@pytest.fixture
def only_twofactor_reminders():
    with registry.only(registry.get("twofactor_enrolment")):
        yield


def test_a_privileged_person_without_an_authenticator_gets_one_reminder_for_two_runs(
    db,
    only_twofactor_reminders,
    headteacher,
    dsl,
    staff,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    TOTPDevice.objects.create(user=dsl, name="Phone", confirmed=True)  # enrolled already

    outputs = []
    for _ in range(2):  # the people's memberships start today, so today is the date to run for
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--date", today().isoformat(), stdout=out)
        outputs.append(out.getvalue())

    assert [m.to for m in mailoutbox] == [[headteacher.email]]
    assert "two-factor" in mailoutbox[0].body.lower()
    log = ReminderLog.objects.get()
    assert (log.kind, log.recipient, log.status) == ("twofactor_enrolment", headteacher, "sent")
    assert Notification.objects.filter(recipient=headteacher).count() == 1
    assert "Two-factor enrolment outstanding: 1 due, 1 sent, 0 already sent" in outputs[0]
    assert "Two-factor enrolment outstanding: 1 due, 0 sent, 1 already sent" in outputs[1]
