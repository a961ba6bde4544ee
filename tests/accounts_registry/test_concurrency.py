"""Identical POSTs at the same moment (PostgreSQL): one request, one post, one step, no 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts_registry.models import AccountRequest, Post, PostEvent, PostStatus
from tests.accounts_registry.factories import account_for, accounts_aup, draft, sign_aup
from tests.concurrency import post_concurrently
from tests.consent.factories import social_media

pytestmark = [pytest.mark.integration]


@pytest.fixture
def running(transactional_db, school, headteacher, staff, colleague):
    account = account_for(school, headteacher, [staff, colleague])
    sign_aup(accounts_aup(school, headteacher), staff, colleague)
    return account


def test_one_request_from_the_same_form_sent_twice(
    transactional_db, client_for, school, staff, colleague
):
    data = {
        "submission_key": "5c8d2b1f-0a9e-4e4b-8a1f-2d3c4b5a6f70",
        "platform": "youtube", "proposed_name": "Willow Bank Music", "team": "Music",
        "moderator": staff.pk, "purpose": "Concerts.", "consent_purpose": social_media(school).pk,
        "aims": "Share concerts.", "proposed_content": "Recordings.", "audience": ["families"],
        "administrators": [staff.pk, colleague.pk], "host": "Google", "go_live_on": "01/09/2027",
        "security_measures": "Two-factor.", "risk_assessment": "Comments off.",
    }  # fmt: skip
    responses = post_concurrently(client_for(staff), reverse("accounts_request_create"), data)
    assert all(r.status_code in (200, 302) for r in responses)
    assert AccountRequest.objects.count() == 1


def test_one_draft_from_the_same_form_sent_twice(client_for, running, staff):
    data = {
        "submission_key": "8a1f5c8d-0a9e-4e4b-2b1f-2d3c4b5a6f70",
        "text": "Concert tonight",
        "planned_on": timezone.localdate().strftime("%d/%m/%Y"),
    }
    url = reverse("accounts_post_create", args=[running.pk])
    responses = post_concurrently(client_for(staff), url, data)
    assert all(r.status_code in (200, 302) for r in responses)
    assert Post.objects.count() == 1


def test_one_submit_from_the_button_pressed_twice(client_for, running, staff):
    post = draft(running, staff)
    url = reverse("accounts_post_step", args=[post.pk, "submit"])
    responses = post_concurrently(client_for(staff), url)
    assert all(r.status_code in (200, 302) for r in responses)
    post.refresh_from_db()
    assert post.status == PostStatus.SUBMITTED
    assert PostEvent.objects.filter(post=post).count() == 1
