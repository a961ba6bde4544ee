"""Template save and adoption under double submits (issue 8.5): one record, no 500, and the same
form error for the loser; and the trust templates in the menu for trust executives (9.8)."""

import pytest
from django.urls import reverse

from policies.models import Policy, PolicyTemplate
from tests.concurrency import post_concurrently

OK = (200, 302)


def template_form(trust, title="Online safety"):
    return {
        "trust": trust.pk,
        "title": title,
        "kind": "online_safety",
        "issuer": "Fenland Schools Trust",
        "body_markdown": "# Online safety at {{ school_name }}",
        "review_cycle_months": 12,
        "is_published": "on",
    }


@pytest.mark.integration
def test_the_same_template_posted_at_once_is_saved_once(
    transactional_db, client_for, trust, trust_executive
):
    responses = post_concurrently(
        client_for(trust_executive),
        reverse("policy_template_create"),
        template_form(trust),
        times=3,
    )
    assert all(r.status_code in OK for r in responses)
    assert PolicyTemplate.objects.filter(trust=trust).count() == 1
    refused = [r for r in responses if r.status_code == 200]
    assert all("already has a template with this title" in r.content.decode() for r in refused)


@pytest.mark.integration
def test_the_same_adoption_posted_at_once_adds_one_policy(
    transactional_db, client_for, school, trust, trust_executive, headteacher
):
    template = PolicyTemplate.objects.create(
        trust=trust,
        issuer="Fenland Schools Trust",
        kind="online_safety",
        title="Online safety",
        body_markdown="# Online safety at {{ school_name }}",
        is_published=True,
        created_by=trust_executive,
    )
    responses = post_concurrently(
        client_for(headteacher),
        reverse("policy_template_adopt", args=[template.pk]),
        {"owner": headteacher.pk},
        times=3,
    )
    assert all(r.status_code in OK for r in responses)
    assert Policy.objects.filter(school=school, title="Online safety").count() == 1
    refused = [r for r in responses if r.status_code == 200]
    assert all("already has a policy called" in r.content.decode() for r in refused)


@pytest.mark.django_db
def test_a_trust_executive_finds_the_trust_templates_in_the_menu(
    client_for, trust_executive, staff
):
    url = reverse("policy_template_list")
    page = client_for(trust_executive).get(reverse("dashboard")).content.decode()
    assert f'href="{url}"' in page and "Trust templates" in page
    assert "Trust templates" not in client_for(staff).get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_a_title_the_trust_already_has_gets_the_apps_message_not_djangos(
    client_for, trust, trust_executive
):
    """The order a racing submit sees when the winner has already committed: the form must not
    answer first with Django's own "… already exists." message."""
    PolicyTemplate.objects.create(
        trust=trust,
        issuer="Fenland Schools Trust",
        kind="online_safety",
        title="Online safety",
        body_markdown="# Online safety",
        created_by=trust_executive,
    )
    response = client_for(trust_executive).post(
        reverse("policy_template_create"), template_form(trust)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The trust already has a template with this title." in page
    assert "already exists" not in page
    assert PolicyTemplate.objects.filter(trust=trust).count() == 1
