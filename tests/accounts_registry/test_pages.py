"""The pages, through the client: each role's journey, refusals shown as messages, bad input
never a 500, nothing half-written."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts_registry.models import (
    AccountRequest,
    OfficialAccount,
    Post,
    PostStatus,
    TakedownTask,
)
from consent.models import Outcome
from tests.accounts_registry.factories import draft, published, through
from tests.consent.factories import record, social_media

pytestmark = pytest.mark.django_db


def _request_form(school, admins, moderator, **overrides):
    data = {
        "submission_key": "2b1f0a9e-5c8d-4e4b-8a1f-2d3c4b5a6f70",
        "platform": "facebook",
        "proposed_name": "Willow Bank PTA",
        "team": "Parents' association",
        "moderator": moderator.pk,
        "purpose": "News for families.",
        "consent_purpose": social_media(school).pk,
        "aims": "Keep families informed.",
        "proposed_content": "Events, fundraising, photos of stalls.",
        "audience": ["families"],
        "administrators": [a.pk for a in admins],
        "host": "Meta",
        "go_live_on": "01/09/2027",
        "security_measures": "Two-factor on.",
        "risk_assessment": "Moderated daily.",
    }
    data.update(overrides)
    return data


def test_staff_request_an_account_and_the_headteacher_approves_it(
    client_for, school, staff, colleague, headteacher
):
    response = client_for(staff).post(
        reverse("accounts_request_create"), _request_form(school, [staff, colleague], staff)
    )
    request = AccountRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts_request_detail", args=[request.pk])
    page = client_for(headteacher).get(reverse("accounts_request_detail", args=[request.pk]))
    assert b"Your decision" in page.content
    client_for(headteacher).post(
        reverse("accounts_request_detail", args=[request.pk]), {"decision": "approve"}
    )
    assert OfficialAccount.objects.get().name == "Willow Bank PTA"


def test_the_request_form_shows_every_problem_and_saves_nothing(client_for, school, staff):
    response = client_for(staff).post(
        reverse("accounts_request_create"),
        {
            **_request_form(school, [staff], staff, go_live_on="32/13/2027", aims=""),
            "moderator": "x",
            "audience": ["?"],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"go_live_on", "aims", "moderator", "audience", "administrators"} <= set(errors)
    assert not AccountRequest.objects.exists()


def test_rejecting_without_a_reason_is_refused_on_the_page(
    client_for, school, staff, colleague, headteacher
):
    client_for(staff).post(
        reverse("accounts_request_create"), _request_form(school, [staff, colleague], staff)
    )
    request = AccountRequest.objects.get()
    response = client_for(headteacher).post(
        reverse("accounts_request_detail", args=[request.pk]), {"decision": "reject"}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    request.refresh_from_db()
    assert request.is_open


def test_staff_cannot_decide_a_request_by_posting(client_for, school, staff, colleague):
    client_for(staff).post(
        reverse("accounts_request_create"), _request_form(school, [staff, colleague], staff)
    )
    request = AccountRequest.objects.get()
    response = client_for(colleague).post(
        reverse("accounts_request_detail", args=[request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.is_open


def test_the_account_form_refuses_a_password_and_a_personal_email(
    client_for, account, staff, school
):
    school.email_domains = "willow.test"
    school.save()
    response = client_for(staff).post(
        reverse("accounts_account_edit", args=[account.pk]),
        {
            "name": account.name,
            "purpose": account.purpose,
            "status": "live",
            "registered_email": "coach@gmail.example",
            "credentials_kept": "Password: Hockey2024!",
        },
    )
    assert response.status_code == 200
    assert {"registered_email", "credentials_kept"} <= set(response.context["form"].errors)
    account.refresh_from_db()
    assert account.credentials_kept == ""


def test_a_blocked_pupil_is_shown_with_the_reason_and_the_post_stays_a_draft(
    client_for, account, staff, pupils, office, school
):
    record(
        pupils[1], social_media(school), office, Outcome.WITHDRAWN, received_on=timezone.localdate()
    )
    post = draft(account, staff, pupils)
    response = client_for(staff).post(reverse("accounts_post_step", args=[post.pk, "submit"]))
    assert response.status_code == 200
    assert (
        "Ben Baker may not appear for Official social media: withdrawn."
        in response.content.decode()
    )
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT


def test_nobody_can_publish_an_unapproved_post_through_any_url(
    client_for, account, staff, colleague, headteacher
):
    post = through(draft(account, staff), ("submit", staff), ("agree", colleague))
    data = {"published_url": "https://facebook.example/p/1", "published_on": "01/01/2026"}
    for person in (staff, colleague, headteacher):
        response = client_for(person).post(
            reverse("accounts_post_step", args=[post.pk, "publish"]), data
        )
        assert response.status_code in (200, 403)
    for action in ("take_down", "anything"):
        response = client_for(staff).post(reverse("accounts_post_step", args=[post.pk, action]))
        assert response.status_code == 404
    post.refresh_from_db()
    assert post.status == PostStatus.AGREED


def test_the_poster_publishes_with_the_url_and_a_bad_date_is_a_message(
    client_for, account, staff, colleague, headteacher
):
    post = through(
        draft(account, staff), ("submit", staff), ("agree", colleague), ("approve", headteacher)
    )
    url = reverse("accounts_post_step", args=[post.pk, "publish"])
    response = client_for(staff).post(url, {"published_url": "ftp://x", "published_on": "99/99/99"})
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.status == PostStatus.APPROVED
    response = client_for(staff).post(
        url,
        {
            "published_url": "https://facebook.example/p/9",
            "published_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_url.endswith("/p/9")


def test_drafting_through_the_page_saves_one_post(client_for, account, staff, pupils):
    data = {
        "submission_key": "0a9e2b1f-5c8d-4e4b-8a1f-2d3c4b5a6f70",
        "text": "Sports day!",
        "planned_on": (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y"),
        "pupils": [p.pk for p in pupils],
    }
    client = client_for(staff)
    url = reverse("accounts_post_create", args=[account.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Post.objects.count() == 1 and Post.objects.get().shown.count() == 3


@pytest.mark.parametrize("pupils", [["abc"], ["99999999999999999999999"], ["-1"]])
def test_bad_pupil_ids_are_a_message_not_a_500(client_for, account, staff, pupils):
    response = client_for(staff).post(
        reverse("accounts_post_create", args=[account.pk]),
        {"text": "Hi", "planned_on": "01/01/2027", "pupils": pupils},
    )
    assert response.status_code == 200
    assert "pupils" in response.context["form"].errors


def test_the_administrators_close_a_takedown_from_its_page(
    client_for, account, staff, colleague, headteacher, pupils, office, school
):
    published(draft(account, staff, pupils), staff, colleague, headteacher)
    record(
        pupils[0], social_media(school), office, Outcome.WITHDRAWN, received_on=timezone.localdate()
    )
    task = TakedownTask.objects.get()
    url = reverse("accounts_takedown_detail", args=[task.pk])
    client = client_for(colleague)
    assert client.get(reverse("accounts_takedown_list")).status_code == 200
    response = client.post(url, {"outcome": "could_not_remove", "done_on": "01/01/2026"})
    assert response.status_code == 200 and "note" in response.context["form"].errors
    response = client.post(
        url, {"outcome": "removed", "done_on": timezone.localdate().strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert not task.is_open


def test_the_comment_log_is_for_the_leadership(client_for, school, slt, staff, account):
    url = reverse("accounts_comment_log")
    assert client_for(staff).get(url).status_code == 403
    response = client_for(slt).post(
        url,
        {
            "account": account.pk,
            "seen_on": "01/11/2026",
            "what": "An abusive reply about a teacher.",
            "action_taken": "Hidden and reported to the platform.",
        },
    )
    assert response.status_code == 302
    assert "An abusive reply" in client_for(slt).get(url).content.decode()


def test_follower_vetting_needs_a_reason(client_for, account, headteacher):
    url = reverse("accounts_follower_vetting", args=[account.pk])
    response = client_for(headteacher).post(
        url, {"requester": "A parent", "requested_on": "01/11/2026", "decision": "refused"}
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client_for(headteacher).post(
        url,
        {
            "requester": "A parent",
            "requested_on": "01/11/2026",
            "decision": "refused",
            "reason": "Personal account of a pupil's relative; we only follow organisations.",
        },
    )
    assert response.status_code == 302


def test_the_registry_page_lists_accounts_with_who_has_not_signed(
    client_for, account, school, headteacher
):
    from accounts_registry import services
    from tests.factories import person_in

    poster = person_in(school, "staff", full_name="Pat Poster")
    services.account_member_add(account=account, actor=headteacher, user=poster, role="poster")
    page = client_for(headteacher).get(reverse("accounts_home")).content.decode()
    assert "Willow Bank Sport" in page and "Not signed the AUP: Pat Poster" in page
