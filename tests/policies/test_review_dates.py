"""Review dates (issue 9.7): a published policy always has a next review date; a review recorded in
error is withdrawn with a reason and kept; a review asking for changes offers the new version,
filled in; the same review posted twice is recorded once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from policies import services
from policies.models import ChangeSize, PolicyReview, ReviewOutcome
from tests.policies.factories import policy_for, published_version_for

pytestmark = pytest.mark.django_db


def record(policy, actor, on, outcome=ReviewOutcome.NO_CHANGE, **kw):
    return services.policy_review_record(
        policy=policy,
        actor=actor,
        reviewed_on=on,
        reviewer_ids=[actor.pk],
        outcome=outcome,
        **kw,
    )


def test_publishing_sets_the_next_review_from_the_cycle_when_none_was_typed(school, headteacher):
    policy = policy_for(school, headteacher, review_cycle_months=36)
    assert policy.next_review_on is None
    published_version_for(policy, headteacher)
    policy.refresh_from_db()
    today = timezone.localdate()
    assert policy.next_review_on == services.default_next_review_on(policy, today)
    assert policy.next_review_on.year == today.year + 3


def test_publishing_keeps_a_typed_review_date(school, headteacher):
    typed = timezone.localdate() + dt.timedelta(days=100)
    policy = policy_for(school, headteacher, next_review_on=typed)
    published_version_for(policy, headteacher)
    policy.refresh_from_db()
    assert policy.next_review_on == typed


# Withdrawing -----------------------------------------------------------------------------------


@pytest.fixture
def policy(school, headteacher):
    policy = policy_for(school, headteacher)
    published_version_for(policy, headteacher)
    policy.refresh_from_db()
    return policy


def test_a_review_recorded_in_error_is_withdrawn_and_the_date_goes_back(policy, headteacher):
    before = policy.next_review_on
    review = record(policy, headteacher, timezone.localdate() - dt.timedelta(days=40))
    policy.refresh_from_db()
    assert policy.next_review_on != before
    services.policy_review_withdraw(review=review, actor=headteacher, reason="Wrong policy.")
    review.refresh_from_db()
    policy.refresh_from_db()
    assert review.is_withdrawn and review.withdrawal_reason == "Wrong policy."
    assert review.withdrawn_by == headteacher
    assert policy.next_review_on == before
    assert PolicyReview.objects.filter(pk=review.pk).exists()  # kept, never deleted
    assert review.history.count() == 2


def test_withdrawing_the_latest_review_restores_the_one_before(policy, headteacher):
    today = timezone.localdate()
    earlier = record(policy, headteacher, today - dt.timedelta(days=30))
    latest = record(policy, headteacher, today, next_review_on=today + dt.timedelta(days=10))
    services.policy_review_withdraw(review=latest, actor=headteacher, reason="Recorded twice.")
    policy.refresh_from_db()
    assert policy.next_review_on == earlier.next_review_on


def test_withdrawing_an_older_review_keeps_the_current_date(policy, headteacher):
    today = timezone.localdate()
    earlier = record(policy, headteacher, today - dt.timedelta(days=30))
    latest = record(policy, headteacher, today)
    services.policy_review_withdraw(review=earlier, actor=headteacher, reason="Wrong date.")
    policy.refresh_from_db()
    assert policy.next_review_on == latest.next_review_on


def test_a_withdrawal_needs_a_reason(policy, headteacher):
    review = record(policy, headteacher, timezone.localdate())
    with pytest.raises(ValidationError, match="Say why"):
        services.policy_review_withdraw(review=review, actor=headteacher, reason="  ")
    review.refresh_from_db()
    assert not review.is_withdrawn


def test_staff_cannot_withdraw_a_review(client_for, policy, headteacher, staff):
    review = record(policy, headteacher, timezone.localdate())
    url = reverse("policy_review_withdraw", args=[policy.pk, review.pk])
    assert client_for(staff).post(url, {"reason": "x"}).status_code == 403
    review.refresh_from_db()
    assert not review.is_withdrawn


def test_withdrawing_through_the_page_keeps_the_review_in_the_list(client_for, policy, dsl):
    review = record(policy, dsl, timezone.localdate())
    client = client_for(dsl)
    url = reverse("policy_review_withdraw", args=[policy.pk, review.pk])
    assert client.get(url).status_code == 405  # a GET is refused
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Say why the review is being withdrawn." in response.content.decode()
    response = client.post(url, {"reason": "Recorded for the wrong policy."}, follow=True)
    body = response.content.decode()
    assert "The review was withdrawn." in body
    assert "Withdrawn" in body and "Recorded for the wrong policy." in body
    # Once withdrawn, the same day can be recorded again.
    assert record(policy, dsl, timezone.localdate()).pk != review.pk


def test_a_review_of_another_policy_is_not_found(client_for, school, policy, headteacher):
    other = policy_for(school, headteacher, title="Other")
    review = record(other, headteacher, timezone.localdate())
    url = reverse("policy_review_withdraw", args=[policy.pk, review.pk])
    assert client_for(headteacher).post(url, {"reason": "x"}).status_code == 404


# The same review twice ------------------------------------------------------------------------


def test_the_same_review_posted_twice_is_recorded_once(policy, headteacher):
    first = record(policy, headteacher, timezone.localdate())
    assert record(policy, headteacher, timezone.localdate()) == first
    assert PolicyReview.objects.count() == 1


def test_a_different_review_on_the_same_day_is_explained(policy, headteacher):
    record(policy, headteacher, timezone.localdate())
    with pytest.raises(ValidationError, match="already recorded"):
        record(policy, headteacher, timezone.localdate(), outcome=ReviewOutcome.MAJOR_REWRITE)


# Starting the new version ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "outcome,change",
    [(ReviewOutcome.MINOR_UPDATE, ChangeSize.MINOR), (ReviewOutcome.MAJOR_REWRITE, "major")],
)
def test_a_review_asking_for_changes_offers_the_new_version_filled_in(
    client_for, policy, headteacher, outcome, change
):
    client = client_for(headteacher)
    response = client.post(
        reverse("policy_review_create", args=[policy.pk]),
        {
            "reviewed_on": timezone.localdate().strftime("%d/%m/%Y"),
            "reviewers": [headteacher.pk],
            "outcome": outcome,
            "notes": "Add the new messaging apps.",
        },
        follow=True,
    )
    review = PolicyReview.objects.get()
    start = reverse("version_start", args=[policy.pk]) + f"?review={review.pk}"
    assert "Start the new version" in response.content.decode()
    assert start.replace("&", "&amp;") in response.content.decode()
    form = client.get(start).context["form"]
    assert form.initial["change"] == change
    assert "Add the new messaging apps." in form.initial["change_summary"]
    assert form.initial["copy_published"] is True


def test_no_offer_after_a_review_with_no_change(client_for, policy, headteacher):
    record(policy, headteacher, timezone.localdate())
    page = client_for(headteacher).get(reverse("policy_review_list", args=[policy.pk]))
    assert "Start the new version" not in page.content.decode()


def test_a_made_up_review_id_prefills_nothing(client_for, policy, headteacher):
    client = client_for(headteacher)
    for value in ("x", "99999", "1" * 40, "²"):
        response = client.get(reverse("version_start", args=[policy.pk]), {"review": value})
        assert response.status_code == 200
        assert "change_summary" not in response.context["form"].initial
