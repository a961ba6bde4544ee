"""Query budgets (issue 8.6): each page runs the same number of queries at N and at 10×N of the
dimension it depends on (STYLE: Tests)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies import selectors
from policies.models import PolicyReview, PolicyTemplate, PolicyVersion, Signature
from tests.policies.factories import policy_for, published_version_for
from tests.policies.signing_helpers import sign
from tests.policies.test_coverage_queries import add_signed_staff

pytestmark = pytest.mark.django_db


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(captured)


def add_policies(school, headteacher, count: int, start: int = 0) -> list[PolicyVersion]:
    """`count` published policies that teachers must sign (through the services)."""
    return [
        published_version_for(
            policy_for(school, headteacher, title=f"Policy {n:03d}"), headteacher, text=f"# P{n}"
        )
        for n in range(start, start + count)
    ]


def test_coverage_totals_for_a_school_take_four_queries_for_3_or_30_policies(
    school, headteacher, staff, django_assert_num_queries
):
    versions = add_policies(school, headteacher, 3)
    sign(versions[0], staff)
    # versions (with the first counting version), current members, their roles, signatures
    with django_assert_num_queries(4):
        assert len(selectors.coverage_totals_for_school(school)) == 3
    add_policies(school, headteacher, 27, start=3)
    with django_assert_num_queries(4):
        totals = selectors.coverage_totals_for_school(school)
    assert len(totals) == 30
    assert totals[0].overall.signed == 1 and totals[0].overall.required == 2


def test_the_coverage_overview_page_is_the_same_for_3_and_30_policies(
    client_for, school, headteacher, staff, django_assert_num_queries
):
    client = client_for(headteacher)
    add_policies(school, headteacher, 3)
    url = reverse("coverage_overview")
    client.get(url)
    small = queries_of(client, url)
    add_policies(school, headteacher, 27, start=3)
    # session, user, memberships + roles, navigation and notifications, and the four queries
    # of coverage_totals_for_school
    with django_assert_num_queries(small):
        page = client.get(url)
    assert page.content.decode().count("Policy 0") == 30


def test_the_to_sign_page_is_the_same_for_3_and_30_policies(
    client_for, school, headteacher, staff, django_assert_num_queries
):
    client = client_for(staff)
    add_policies(school, headteacher, 3)
    url = reverse("to_sign_list")
    client.get(url)
    small = queries_of(client, url)
    versions = add_policies(school, headteacher, 27, start=3)
    for version in versions[:10]:
        sign(version, staff)
    # session, user, memberships + roles, versions with validity (one query), own signatures,
    # navigation and notifications
    with django_assert_num_queries(small):
        page = client.get(url)
    assert page.content.decode().count("Read and sign") == 20


def test_the_dashboard_is_the_same_for_3_and_30_policies(
    client_for, school, headteacher, staff, django_assert_num_queries
):
    client = client_for(staff)
    add_policies(school, headteacher, 3)
    url = reverse("dashboard")
    client.get(url)
    small = queries_of(client, url)
    add_policies(school, headteacher, 27, start=3)
    with django_assert_num_queries(small):
        page = client.get(url)
    assert "30 policies to sign" in page.content.decode()


def test_the_template_list_is_the_same_for_3_and_30_templates(
    client_for, trust, trust_executive, headteacher, django_assert_num_queries
):
    def add_templates(count, start=0):
        PolicyTemplate.objects.bulk_create(
            PolicyTemplate(
                trust=trust,
                issuer="Trust",
                kind="online_safety",
                title=f"Template {n:03d}",
                body_markdown="# {{ school_name }}",
                is_published=True,
                created_by=trust_executive,
            )
            for n in range(start, start + count)
        )

    url = reverse("policy_template_list")
    for person in (headteacher, trust_executive):
        client = client_for(person)
        PolicyTemplate.objects.all().delete()
        add_templates(3)
        client.get(url)
        small = queries_of(client, url)
        add_templates(27, start=3)
        # session, user, memberships + roles, trust memberships, templates with their trust
        with django_assert_num_queries(small):
            page = client.get(url)
        assert page.content.decode().count("Template 0") >= 30


def test_the_review_list_is_the_same_for_3_and_30_reviews(
    client_for, school, headteacher, dsl, django_assert_num_queries
):
    policy = policy_for(school, headteacher)

    def add_reviews(count, start=0):
        for n in range(start, start + count):
            review = PolicyReview.objects.create(
                policy=policy,
                reviewed_on=dt.date(2000, 1, 1) + dt.timedelta(days=n),
                outcome="no_change",
                next_review_on=dt.date(2030, 1, 1),
                recorded_by=headteacher,
            )
            review.reviewers.set([headteacher, dsl])

    client = client_for(headteacher)
    url = reverse("policy_review_list", args=[policy.pk])
    add_reviews(3)
    client.get(url)
    small = queries_of(client, url)
    add_reviews(27, start=3)
    # session, user, memberships + roles, policy (gateway), reviews with recorder, their
    # reviewers (one prefetch), navigation and notifications
    with django_assert_num_queries(small):
        client.get(url)


def test_the_version_page_is_the_same_for_few_and_many_signatures_and_versions(
    client_for, school, headteacher, django_assert_num_queries
):
    policy = policy_for(school, headteacher)
    version = published_version_for(policy, headteacher)
    client = client_for(headteacher)
    url = reverse("version_detail", args=[version.pk])
    add_signed_staff(school, version, 30)
    client.get(url)
    small = queries_of(client, url)
    add_signed_staff(school, version, 270, start=30)
    for n in range(5):
        version = published_version_for(policy, headteacher, text=f"# v{n}")
    url = reverse("version_detail", args=[version.pk])
    client.get(url)
    with django_assert_num_queries(small):
        client.get(url)


def test_the_verification_page_is_the_same_for_few_and_many_signatures(
    client_for, school, headteacher, staff, django_assert_num_queries
):
    version = published_version_for(policy_for(school, headteacher), headteacher)
    signature = sign(version, staff)
    client = client_for(headteacher)
    url = reverse("signature_verify", args=[signature.verification_code])
    add_signed_staff(school, version, 30)
    client.get(url)
    small = queries_of(client, url)
    add_signed_staff(school, version, 270, start=30)
    # session, user, memberships + roles, the signature with its version, policy, signer and
    # school, navigation and notifications
    with django_assert_num_queries(small):
        client.get(url)


@pytest.mark.parametrize("who", ["headteacher", "governor"])
def test_the_coverage_csv_is_the_same_for_30_and_300_staff(
    request, client_for, school, headteacher, who, django_assert_num_queries
):
    version = published_version_for(policy_for(school, headteacher), headteacher)
    client = client_for(request.getfixturevalue(who))
    url = reverse("version_coverage_csv", args=[version.pk])
    add_signed_staff(school, version, 30)
    queries_of(client, url)  # the first request after signing in writes the session
    small = queries_of(client, url)
    add_signed_staff(school, version, 270, start=30)
    # session, user, memberships + roles, version (gateway), signatures that count, required
    # members, their roles
    assert queries_of(client, url) == small
    assert Signature.objects.count() == 150
