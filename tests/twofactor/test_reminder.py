"""The reminder kind for people who need two-factor and have not set it up."""

from django.urls import reverse

from socialgov.dates import today
from socialgov.notifications.services import notification_send
from socialgov.reminders import registry
from tests.twofactor.helpers import authenticator_for


def test_enrolment_reminder_is_registered():
    kind = registry.get("twofactor_enrolment")
    assert kind.label == "Two-factor enrolment outstanding"
    assert kind.notification_kind == "twofactor_enrolment"


def test_due_for_people_who_need_two_factor_and_have_not_enrolled(everyone, school):
    authenticator_for(everyone["dsl"])
    due = list(registry.get("twofactor_enrolment").due(today()))
    recipients = {reminder.recipient for reminder in due}
    assert everyone["headteacher"] in recipients and everyone["office"] in recipients
    assert everyone["dsl"] not in recipients  # enrolled
    assert everyone["staff"] not in recipients and everyone["governor"] not in recipients
    head = next(r for r in due if r.recipient == everyone["headteacher"])
    assert head.school == school
    assert head.subject_key == f"user:{everyone['headteacher'].pk}"
    assert head.url == reverse("twofactor_enrol")
    assert len({r.subject_key for r in due}) == len(due)


def test_an_unconfirmed_authenticator_does_not_count_as_enrolled(headteacher):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=headteacher, name="half set up", confirmed=False)
    due = registry.get("twofactor_enrolment").due(today())
    assert headteacher in {reminder.recipient for reminder in due}


def test_its_notification_renders_with_neutral_wording(
    headteacher, school, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            recipient=headteacher,
            kind="twofactor_enrolment",
            url=reverse("twofactor_enrol"),
            school=school,
        )
    assert notification.title == "Set up two-factor sign-in"
    [mail] = mailoutbox
    assert mail.subject == "Please finish setting up your SocialGov sign-in"
    assert reverse("twofactor_enrol") in mail.body and school.name in mail.body
