"""Blocked-content requests through the services: every step records who, when and why; the
rules of the issue (self-decision, reasons, never-unblock lists, URLs, expiry) hold."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from incidents.filtering import services
from incidents.filtering.models import RequestStatus, UnblockRequest
from socialgov.dates import today
from socialgov.notifications.models import Notification
from tests.incidents.filtering.helpers import approved, request_for, reviewed, unblocked

pytestmark = pytest.mark.django_db


def _kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://files.example.com/",
        "vbscript:msgbox",
        "//example.com/no-scheme",
        "https://",
        "https://user:secret@example.com/",
        "https://exa mple.com/",
        "https://example.com/\nSet-Cookie: x",
        "",
    ],
)
def test_urls_that_are_not_http_or_https_are_refused(url):
    with pytest.raises(ValidationError) as caught:
        services.normalise_url(url)
    assert caught.value.message_dict["url"]


def test_urls_are_normalised():
    assert services.normalise_url("  HTTPS://Video.Example.COM:443/Watch?v=1#t=30 ") == (
        "https://video.example.com/Watch?v=1"
    )
    assert services.normalise_url("http://example.com") == "http://example.com/"
    assert services.normalise_url("http://example.com:8080/a") == "http://example.com:8080/a"


def test_a_request_refuses_each_bad_field_with_its_own_message(school, staff):
    with pytest.raises(ValidationError) as caught:
        services.unblock_request_submit(
            school=school,
            requester=staff,
            submission_key=uuid.uuid4(),
            url="javascript:alert(1)",
            site_contents=" ",
            reasons="",
            risks="",
            control_measures="",
            scope="class",
            scope_detail="",
            end_date=today() - dt.timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {
        "url",
        "site_contents",
        "reasons",
        "risks",
        "control_measures",
        "scope_detail",
        "end_date",
    }
    assert not UnblockRequest.objects.exists()


def test_the_same_submission_twice_makes_one_request(school, staff):
    key = uuid.uuid4()
    first = request_for(school, staff, submission_key=key)
    again, created = services.unblock_request_submit(
        school=school,
        requester=staff,
        submission_key=key,
        url="https://video.example.com/",
        site_contents="x",
        reasons="x",
        risks="x",
        control_measures="x",
        scope="requester",
        end_date=today(),
    )
    assert (again, created) == (first, False)
    assert UnblockRequest.objects.count() == 1


def test_the_full_flow_records_who_when_and_why(school, staff, network_manager, headteacher):
    request = request_for(school, staff)
    assert request.reference.startswith("UNB-")
    assert "unblock_to_review" in _kinds(network_manager)
    request = reviewed(request, network_manager)
    assert request.status == RequestStatus.AWAITING_DECISION
    assert request.reviewed_by == network_manager and request.reviewed_at
    assert "unblock_to_decide" in _kinds(headteacher)
    request = services.unblock_request_decide(
        request=request,
        actor=headteacher,
        outcome="approved",
        reasons="Needed for the volcano lesson.",
        approved_until=today() + dt.timedelta(days=14),
    )
    assert request.status == RequestStatus.APPROVED
    assert (request.decided_by, request.decision_reasons) == (
        headteacher,
        "Needed for the volcano lesson.",
    )
    assert "unblock_decided" in _kinds(staff)
    assert "unblock_to_unblock" in _kinds(network_manager)
    request = services.unblock_request_confirm_unblocked(
        request=request, actor=network_manager, notes="Done."
    )
    assert request.status == RequestStatus.ACTIVE and request.unblocked_by == network_manager
    request = services.unblock_request_confirm_reblocked(
        request=request, actor=network_manager, notes="Blocked early: the lesson is over."
    )
    assert request.status == RequestStatus.REBLOCKED and request.reblocked_at
    assert request.history.count() == 5


def test_nobody_decides_their_own_request(school, headteacher, deputy_head, network_manager):
    request = reviewed(request_for(school, headteacher), network_manager)
    with pytest.raises(PermissionDenied):
        services.unblock_request_decide(
            request=request,
            actor=headteacher,
            outcome="approved",
            reasons="I need it.",
            approved_until=today(),
        )
    # The deputy decides the headteacher's own request.
    decided = services.unblock_request_decide(
        request=request, actor=deputy_head, outcome="refused", reasons="Use the offline copy."
    )
    assert decided.status == RequestStatus.REFUSED
    assert decided.decided_by == deputy_head


def test_the_database_refuses_a_self_decision_too(school, headteacher):
    request = request_for(school, headteacher)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        UnblockRequest.objects.filter(pk=request.pk).update(
            decided_by=headteacher, outcome="refused", decision_reasons="x"
        )


def test_a_decision_without_reasons_is_refused(school, staff, network_manager, headteacher):
    request = reviewed(request_for(school, staff), network_manager)
    with pytest.raises(ValidationError) as caught:
        services.unblock_request_decide(
            request=request,
            actor=headteacher,
            outcome="approved",
            reasons="   ",
            approved_until=today(),
        )
    assert "reasons" in caught.value.message_dict
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_DECISION and request.decided_by is None


def test_an_approval_needs_an_end_date_not_in_the_past(school, staff, network_manager, headteacher):
    request = reviewed(request_for(school, staff), network_manager)
    for until in (None, today() - dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as caught:
            services.unblock_request_decide(
                request=request,
                actor=headteacher,
                outcome="approved",
                reasons="Fine.",
                approved_until=until,
            )
        assert "approved_until" in caught.value.message_dict


@pytest.mark.parametrize("listed", ["iwf", "terrorism"])
def test_a_site_on_a_never_unblock_list_is_refused_outright_and_cannot_be_approved(
    school, staff, network_manager, headteacher, listed
):
    request = reviewed(request_for(school, staff), network_manager, never_unblock=listed)
    assert request.status == RequestStatus.REFUSED_OUTRIGHT
    assert "unblock_decided" in _kinds(staff)
    assert "unblock_to_decide" not in _kinds(headteacher)
    with pytest.raises(ValidationError) as caught:
        services.unblock_request_decide(
            request=request,
            actor=headteacher,
            outcome="approved",
            reasons="Override.",
            approved_until=today(),
        )
    assert "nobody can override" in str(caught.value)
    # Not even by forcing the status back: the database refuses the approval.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        UnblockRequest.objects.filter(pk=request.pk).update(
            outcome="approved", decision_reasons="x", approved_until=today(), decided_by=headteacher
        )


def test_only_the_network_manager_reviews_and_confirms(school, staff, headteacher):
    request = request_for(school, staff)
    with pytest.raises(PermissionDenied):
        services.unblock_request_review(request=request, actor=headteacher, technical_notes="x")
    with pytest.raises(PermissionDenied):
        services.unblock_request_confirm_unblocked(request=request, actor=staff)


def test_steps_out_of_order_are_refused(school, staff, network_manager, headteacher):
    request = request_for(school, staff)
    with pytest.raises(ValidationError):
        services.unblock_request_decide(
            request=request, actor=headteacher, outcome="refused", reasons="No."
        )
    with pytest.raises(ValidationError):
        services.unblock_request_confirm_unblocked(request=request, actor=network_manager)
    with pytest.raises(ValidationError):
        services.unblock_request_confirm_reblocked(request=request, actor=network_manager)
    reviewed(request, network_manager)
    with pytest.raises(ValidationError):
        reviewed(request, network_manager)


def test_expiry_fires_once_after_the_end_date(school, staff, network_manager, headteacher):
    request = unblocked(request_for(school, staff), network_manager, headteacher, days=3)
    end = request.approved_until
    assert services.unblock_requests_expire(end) == 0  # the last day it is open
    assert services.unblock_requests_expire(end + dt.timedelta(days=1)) == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED and request.expired_at
    assert _kinds(network_manager).count("unblock_expired") == 1
    assert services.unblock_requests_expire(end + dt.timedelta(days=2)) == 0
    assert _kinds(network_manager).count("unblock_expired") == 1
    services.unblock_request_confirm_reblocked(request=request, actor=network_manager)
    request.refresh_from_db()
    assert request.status == RequestStatus.REBLOCKED
    assert "unblock_reblocked" in _kinds(staff)


def test_an_approval_never_unblocked_expires_too(school, staff, network_manager, headteacher):
    request = approved(request_for(school, staff), network_manager, headteacher, days=1)
    with time_machine.travel(dt.datetime.combine(today() + dt.timedelta(days=5), dt.time(9))):
        assert services.unblock_requests_expire() == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
