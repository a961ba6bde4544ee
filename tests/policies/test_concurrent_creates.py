"""Every create form of policies survives identical POSTs at the same moment (issue 9.7): threads
on PostgreSQL, one record each and no 500 (tests/concurrency.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from policies.models import Policy, PolicyReview, Ratification, Signature
from tests.concurrency import post_concurrently
from tests.policies.factories import policy_for, published_version_for

pytestmark = pytest.mark.integration

OK = (200, 302)


def test_the_same_review_posted_at_once_is_recorded_once(
    transactional_db, client_for, school, headteacher
):
    policy = policy_for(school, headteacher, title="Reviewed")
    responses = post_concurrently(
        client_for(headteacher),
        reverse("policy_review_create", args=[policy.pk]),
        {
            "reviewed_on": timezone.localdate().strftime("%d/%m/%Y"),
            "reviewers": [headteacher.pk],
            "outcome": "no_change",
        },
        times=3,
    )
    assert all(r.status_code in OK for r in responses)
    assert PolicyReview.objects.filter(policy=policy).count() == 1


def test_the_same_ratification_posted_at_once_is_recorded_once(
    transactional_db, client_for, school, headteacher, clerk
):
    version = published_version_for(policy_for(school, headteacher, title="Ratified"), headteacher)
    responses = post_concurrently(
        client_for(clerk),
        reverse("version_ratify", args=[version.pk]),
        {"meeting_date": timezone.localdate().strftime("%d/%m/%Y"), "minute_reference": "FGB 1"},
        times=3,
    )
    assert all(r.status_code in OK for r in responses)
    assert Ratification.objects.filter(version=version).count() == 1


def test_the_same_correction_posted_at_once_is_recorded_once(
    transactional_db, client_for, school, headteacher, clerk
):
    from policies import services

    version = published_version_for(policy_for(school, headteacher, title="Corrected"), headteacher)
    first = services.version_ratify(
        version=version, actor=clerk, meeting_date=timezone.localdate(), minute_reference="FGB 1"
    )
    responses = post_concurrently(
        client_for(clerk),
        reverse("ratification_correct", args=[version.pk]),
        {
            "ratification": first.pk,
            "meeting_date": timezone.localdate().strftime("%d/%m/%Y"),
            "minute_reference": "FGB 11",
            "reason": "Wrong minute.",
        },
        times=3,
    )
    assert all(r.status_code in OK for r in responses)
    assert Ratification.objects.filter(version=version).count() == 2
    assert Ratification.objects.filter(version=version, superseded_at__isnull=True).count() == 1


def test_the_same_signature_posted_at_once_is_recorded_once(
    transactional_db, client_for, school, headteacher, staff
):
    version = published_version_for(policy_for(school, headteacher, title="Signed"), headteacher)
    responses = post_concurrently(
        client_for(staff),
        reverse("version_sign", kwargs={"pk": version.pk}),
        {"agreed": "on", "typed_name": "sam staff"},
        times=3,
    )
    assert all(r.status_code in OK for r in responses)
    assert Signature.objects.filter(version=version, signer=staff).count() == 1


def test_the_same_new_policy_posted_at_once_is_added_once(
    transactional_db, client_for, school, headteacher
):
    responses = post_concurrently(
        client_for(headteacher),
        reverse("policy_create"),
        {
            "kind": "social_media",
            "title": "Social media policy",
            "owner": headteacher.pk,
            "review_cycle_months": 12,
            "signer_groups": ["teacher"],
        },
        times=3,
    )
    assert all(r.status_code in OK for r in responses)
    assert Policy.objects.filter(school=school, title="Social media policy").count() == 1
    refused = [r for r in responses if r.status_code == 200]
    for response in refused:  # the others are told why, on the form
        assert "already has a policy with this title" in response.content.decode()


def test_the_same_new_version_posted_at_once_starts_one_draft(
    transactional_db, client_for, school, headteacher
):
    policy = policy_for(school, headteacher, title="Versioned")
    published_version_for(policy, headteacher)
    responses = post_concurrently(
        client_for(headteacher),
        reverse("version_start", args=[policy.pk]),
        {"change": "minor", "change_summary": "", "copy_published": "on"},
        times=3,
    )
    assert all(r.status_code in OK for r in responses)
    assert policy.versions.count() == 2
