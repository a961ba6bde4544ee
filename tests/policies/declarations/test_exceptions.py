"""Policy exceptions: asking, approval by someone else, expiry on the end date, the register,
the dashboard and the reminders (issue 15)."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from policies.declarations import services
from policies.declarations.models import ExceptionStatus, PolicyException
from socialgov.dates import today
from socialgov.notifications.models import Notification
from tests.policies.declarations.factories import PDF, exception_for

pytestmark = pytest.mark.django_db


def _form(**fields):
    return {
        "submission_key": str(uuid.uuid4()),
        "for_kind": "pupil",
        "for_name": "Year 4 pupil with diabetes",
        "rule": "Pupils hand in their phones at the start of the day.",
        "reason": "Her phone reads her glucose monitor.",
        "risk_assessment": "Phone on silent; apps limited by parents; teacher aware.",
        "conditions": "Phone stays in her bag except to check readings.",
        "starts_on": today().strftime("%d/%m/%Y"),
        "ends_on": (today() + dt.timedelta(days=200)).strftime("%d/%m/%Y"),
        **fields,
    }


def test_staff_ask_for_an_exception_with_a_written_agreement(
    client_for, school, staff, headteacher
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _form(agreement=SimpleUploadedFile("agreement.pdf", PDF, "application/pdf"))
    response = client_for(staff).post(reverse("exception_create"), data)
    exception = PolicyException.objects.get()
    assert response.status_code == 302
    assert exception.status == ExceptionStatus.REQUESTED and exception.agreement is not None
    assert Notification.objects.filter(recipient=headteacher, kind="exception_requested").exists()
    download = client_for(headteacher).get(reverse("exception_agreement", args=[exception.pk]))
    assert download.status_code == 200


def test_bad_input_is_refused_per_field_and_nothing_is_written(client_for, school, staff):
    response = client_for(staff).post(
        reverse("exception_create"),
        _form(for_kind="x", rule="", risk_assessment="", ends_on=today().strftime("%d/%m/%Y")),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {
        "for_kind",
        "rule",
        "risk_assessment",
        "ends_on",
    }
    assert not PolicyException.objects.exists()


def test_an_exception_cannot_be_approved_by_its_requester(client_for, school, headteacher, dsl):
    exception = exception_for(headteacher)
    response = client_for(headteacher).post(reverse("exception_approve", args=[exception.pk]))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.exception_approve(exception=exception, actor=headteacher)
    exception.refresh_from_db()
    assert exception.status == ExceptionStatus.REQUESTED


def test_the_headteacher_approves_and_the_requester_is_told(client_for, school, headteacher, dsl):
    exception = exception_for(dsl)
    response = client_for(headteacher).post(reverse("exception_approve", args=[exception.pk]))
    assert response.status_code == 302
    exception.refresh_from_db()
    assert exception.status == ExceptionStatus.APPROVED and exception.decided_by == headteacher
    assert Notification.objects.filter(recipient=dsl, kind="exception_decided").exists()
    # Approving twice changes nothing.
    with pytest.raises(ValidationError):
        services.exception_approve(exception=exception, actor=headteacher)


def test_declining_needs_a_reason(client_for, school, headteacher, dsl):
    exception = exception_for(dsl)
    url = reverse("exception_decline", args=[exception.pk])
    response = client_for(headteacher).post(url, {"decline_reason": " "})
    assert response.status_code == 200 and "decline_reason" in response.context["form"].errors
    client_for(headteacher).post(url, {"decline_reason": "Use a school tablet instead."})
    exception.refresh_from_db()
    assert exception.status == ExceptionStatus.DECLINED


def test_an_exception_expires_on_its_end_date(client_for, school, headteacher, dsl):
    exception = exception_for(
        dsl, starts_on=today() - dt.timedelta(days=10), ends_on=today() + dt.timedelta(days=5)
    )
    services.exception_approve(exception=exception, actor=headteacher)
    exception.refresh_from_db()
    end = exception.ends_on
    assert exception.in_force(end - dt.timedelta(days=1))
    assert not exception.in_force(end) and exception.expired(end)
    assert exception.state_label(end) == "Expired"
    from policies.declarations import selectors

    current = selectors.exceptions_for_register(headteacher, school, show="current", on=end)
    expired = selectors.exceptions_for_register(headteacher, school, show="expired", on=end)
    assert not current.exists() and list(expired) == [exception]
    before = selectors.exceptions_for_register(
        headteacher, school, show="current", on=end - dt.timedelta(days=1)
    )
    assert list(before) == [exception]


def test_the_register_is_for_leadership_and_others_see_their_own(
    client_for, school, headteacher, dsl, colleague, staff
):
    exception = exception_for(dsl)
    services.exception_approve(exception=exception, actor=headteacher)
    page = client_for(headteacher).get(reverse("exception_list")).context["page"]
    assert [e.pk for e in page.object_list] == [exception.pk]
    page = client_for(colleague).get(reverse("exception_list")).context["page"]
    assert list(page.object_list) == []
    assert client_for(colleague).get(reverse("exception_export")).status_code == 403
    body = b"".join(client_for(headteacher).get(reverse("exception_export")).streaming_content)
    assert b"Visiting speech therapist" in body


def test_approvals_and_endings_are_on_the_dashboard(client_for, school, headteacher, dsl):
    exception = exception_for(dsl, ends_on=today() + dt.timedelta(days=20))
    assert b"1 policy exception to approve" in client_for(headteacher).get("/").content
    services.exception_approve(exception=exception, actor=headteacher)
    assert b"1 policy exception ends within 30 days" in client_for(headteacher).get("/").content
    assert b"1 policy exception ends within 30 days" in client_for(dsl).get("/").content


def test_reminders_go_before_the_end_date_once(school, headteacher, dsl):
    from policies.declarations.reminders import ENDING
    from socialgov.reminders import registry
    from socialgov.reminders.services import reminders_send_due

    exception = exception_for(dsl, ends_on=today() + dt.timedelta(days=60))
    services.exception_approve(exception=exception, actor=headteacher)
    with registry.only(ENDING):
        for day in (29, 30, 30, 53):
            reminders_send_due(on=today() + dt.timedelta(days=day))
    told = Notification.objects.filter(kind="exception_ending")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [headteacher.pk, dsl.pk, headteacher.pk, dsl.pk]
    )


def test_history_is_kept_for_every_exception(client_for, school, headteacher, dsl):
    exception = exception_for(dsl)
    services.exception_approve(exception=exception, actor=headteacher)
    assert list(exception.history.values_list("status", flat=True)) == ["approved", "requested"]
    assert exception.history.latest().history_user == headteacher
    assert (
        client_for(headteacher).get(reverse("exception_history", args=[exception.pk])).status_code
        == 200
    )


def _staff_exception(requester, colleague, **fields):
    return exception_for(
        requester,
        for_kind="staff",
        for_name="",
        staff_member=colleague,
        rule="Staff do not use personal devices for school work.",
        **fields,
    )


def test_an_exception_for_a_member_of_staff_ends_on_their_leaving_date(
    client_for, school, headteacher, dsl, staff
):
    from socialgov.people.services import membership_end

    exception = _staff_exception(
        dsl,
        staff,
        starts_on=today() - dt.timedelta(days=30),
        ends_on=today() + dt.timedelta(days=200),
    )
    services.exception_approve(exception=exception, actor=headteacher)
    other = exception_for(dsl)  # for a visitor: untouched
    services.exception_approve(exception=other, actor=headteacher)
    leaving = today() + dt.timedelta(days=10)
    membership_end(membership=staff.memberships.get(), actor=headteacher, leaving_date=leaving)

    exception.refresh_from_db()
    assert exception.ends_on == leaving
    assert exception.ended_early_because == (
        f"{staff.full_name} left the school on {leaving:%-d %B %Y}"
    )
    assert exception.in_force(leaving - dt.timedelta(days=1))
    assert not exception.in_force(leaving)
    assert exception.state_label(leaving) == "Ended"
    other.refresh_from_db()
    assert other.ends_on == today() + dt.timedelta(days=90) and not other.ended_early
    # The history keeps the planned end date and who recorded the leaving.
    first, last = exception.history.order_by("history_id")[1:3]
    assert first.ends_on == today() + dt.timedelta(days=200)
    assert last.ends_on == leaving and last.history_user == headteacher

    import time_machine

    with time_machine.travel(dt.datetime.combine(leaving, dt.time(12)), tick=False):
        page = client_for(headteacher).get(reverse("exception_list") + "?show=expired")
        assert [e.pk for e in page.context["page"].object_list] == [exception.pk]
        assert b"Ended (" in page.content and b"left the school on" in page.content
        detail = client_for(headteacher).get(reverse("exception_detail", args=[exception.pk]))
        assert b"Ended" in detail.content and b"ends early on" in detail.content
        current = client_for(headteacher).get(reverse("exception_list"))
        assert [e.pk for e in current.context["page"].object_list] == [other.pk]


def test_a_request_for_a_leaver_ends_unanswered_and_cannot_be_approved(
    client_for, school, headteacher, dsl, staff
):
    from socialgov.people.services import membership_end

    exception = _staff_exception(
        dsl,
        staff,
        starts_on=today() + dt.timedelta(days=5),
        ends_on=today() + dt.timedelta(days=60),
    )
    assert b"1 policy exception to approve" in client_for(headteacher).get("/").content
    membership_end(membership=staff.memberships.get(), actor=headteacher, leaving_date=today())

    exception.refresh_from_db()
    assert exception.ends_on == today() and exception.ended_early  # before it was to start
    assert exception.state_label(today()) == "Ended"
    assert b"policy exception to approve" not in client_for(headteacher).get("/").content
    with pytest.raises(ValidationError):
        services.exception_approve(exception=exception, actor=headteacher)
    exception.refresh_from_db()
    assert exception.status == ExceptionStatus.REQUESTED


def test_losing_roles_without_leaving_does_not_end_an_exception(school, headteacher, dsl, staff):
    from socialgov.people.services import membership_update

    exception = _staff_exception(dsl, staff)
    services.exception_approve(exception=exception, actor=headteacher)
    membership = staff.memberships.get()
    for roles in (["staff", "office"], ["staff"]):  # the second change takes a role away
        membership_update(
            membership=membership,
            actor=headteacher,
            roles=roles,
            staff_group=membership.staff_group,
        )
    exception.refresh_from_db()
    assert not exception.ended_early and exception.ends_on == today() + dt.timedelta(days=90)
