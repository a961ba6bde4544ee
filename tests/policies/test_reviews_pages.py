"""Recording reviews and asking for one: who may, what it changes, what is refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import Policy, PolicyReview
from socialgov.notifications.models import Notification
from tests.policies.factories import policy_for


@pytest.fixture
def policy(school, headteacher, dsl):
    return policy_for(school, headteacher, owner=dsl, next_review_on=dt.date(2026, 9, 1))


def test_headteacher_records_a_review_with_uk_dates_and_the_next_date_follows_the_cycle(
    client_for, policy, headteacher, dsl
):
    response = client_for(headteacher).post(
        reverse("policy_review_create", args=[policy.pk]),
        {
            "reviewed_on": "14/10/2026",
            "reviewers": [headteacher.pk, dsl.pk],
            "outcome": "minor_update",
            "notes": "Updated the contact details.",
            "next_review_on": "",
        },
    )
    assert response.status_code == 302
    review = PolicyReview.objects.get(policy=policy)
    assert review.reviewed_on == dt.date(2026, 10, 14)
    assert review.next_review_on == dt.date(2027, 10, 14)  # annual cycle
    assert set(review.reviewers.all()) == {headteacher, dsl}
    policy.refresh_from_db()
    assert policy.next_review_on == dt.date(2027, 10, 14)

    page = client_for(dsl).get(reverse("policy_review_list", args=[policy.pk]))
    assert b"14/10/2026" in page.content and b"Minor update" in page.content


def test_a_review_dated_in_the_future_is_refused_and_nothing_is_written(
    client_for, policy, headteacher
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(headteacher).post(
        reverse("policy_review_create", args=[policy.pk]),
        {
            "reviewed_on": tomorrow.strftime("%d/%m/%Y"),
            "reviewers": [headteacher.pk],
            "outcome": "no_change",
        },
    )
    assert response.status_code == 200
    assert "cannot be in the future" in str(response.context["form"].errors["reviewed_on"])
    assert not PolicyReview.objects.exists()


def test_reviewers_must_be_members_of_the_school(policy, headteacher, outsider):
    with pytest.raises(Exception, match="current members"):
        services.policy_review_record(
            policy=policy,
            actor=headteacher,
            reviewed_on=timezone.localdate(),
            reviewer_ids=[outsider.pk],
            outcome="no_change",
        )
    assert not PolicyReview.objects.exists()


def test_who_may_see_and_record_reviews(client_for, policy, headteacher, staff, governor, outsider):
    reviews = reverse("policy_review_list", args=[policy.pk])
    new = reverse("policy_review_create", args=[policy.pk])
    assert client_for(staff).get(reviews).status_code == 200
    assert client_for(governor).get(reviews).status_code == 200
    assert client_for(staff).get(new).status_code == 403
    assert client_for(headteacher).get(new).status_code == 200
    for url in (reviews, new, reverse("policy_review_request", args=[policy.pk])):
        assert client_for(outsider).get(url).status_code in (404, 405)
        assert client_for(outsider).post(url, {"reason": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.policy_review_record(
            policy=policy,
            actor=staff,
            reviewed_on=timezone.localdate(),
            reviewer_ids=[staff.pk],
            outcome="no_change",
        )


def test_any_member_can_request_a_review_and_the_owner_and_headteacher_are_told(
    client_for, policy, headteacher, dsl, staff
):
    response = client_for(staff).post(
        reverse("policy_review_request", args=[policy.pk]),
        {"reason": "The debrief after last week's incident found the policy unclear."},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.review_requested_by == staff
    assert policy.review_request_reason.startswith("The debrief")
    assert policy.review_requested_at is not None
    told = Notification.objects.filter(kind="policy_review_requested")
    assert {n.recipient for n in told} == {headteacher, dsl}
    assert all("incident" not in n.title for n in told)  # the reason stays in the app

    page = client_for(headteacher).get(reverse("policy_review_list", args=[policy.pk]))
    assert b"Review requested" in page.content
    assert b"Sam Staff" in page.content and b"found the policy unclear" in page.content


def test_a_request_without_a_reason_is_refused(client_for, policy, staff):
    response = client_for(staff).post(
        reverse("policy_review_request", args=[policy.pk]), {"reason": "  "}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert Policy.objects.get(pk=policy.pk).review_requested_at is None


def test_the_service_other_apps_call_refuses_outsiders(policy, outsider):
    with pytest.raises(PermissionDenied):
        services.policy_review_request(policy=policy, actor=outsider, reason="Not yours")


def test_recording_a_review_clears_the_request(policy, headteacher, staff):
    services.policy_review_request(policy=policy, actor=staff, reason="Out of date")
    services.policy_review_record(
        policy=policy,
        actor=headteacher,
        reviewed_on=timezone.localdate(),
        reviewer_ids=[headteacher.pk],
        outcome="no_change",
    )
    policy.refresh_from_db()
    assert policy.review_requested_at is None and policy.review_request_reason == ""


def test_the_dashboard_shows_overdue_reviews_to_editors_only(
    client_for, policy, headteacher, staff
):
    assert f"Review of {policy.title}".encode() in client_for(headteacher).get("/").content
    assert f"Review of {policy.title}".encode() not in client_for(staff).get("/").content
