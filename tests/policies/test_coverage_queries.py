"""Query budgets (STYLE: Tests): the "to sign" list and the coverage page run the same number of
queries with 30 and with 300 staff and signatures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from policies.models import Signature
from socialgov.people.models import Membership, MembershipRole, User
from socialgov.people.roles import Role, StaffGroup
from tests.policies.factories import policy_for, published_version_for

pytestmark = pytest.mark.django_db


def add_signed_staff(school, version, count: int, start: int = 0) -> None:
    """`count` more teachers, every other one with a signature of `version` (bulk: setup only)."""
    users = User.objects.bulk_create(
        User(email=f"bulk{n}@willow.test", full_name=f"Bulk Teacher {n}")
        for n in range(start, start + count)
    )
    memberships = Membership.objects.bulk_create(
        Membership(user=user, school=school, staff_group=StaffGroup.TEACHER) for user in users
    )
    MembershipRole.objects.bulk_create(
        MembershipRole(membership=membership, role=Role.STAFF) for membership in memberships
    )
    Signature.objects.bulk_create(
        Signature(
            version=version,
            signer=user,
            school=school,
            signed_at=timezone.now(),
            text_sha256=version.text_sha256,
            statement="I agree.",
            typed_name=user.full_name,
        )
        for user in users[::2]
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200
    return len(captured)


@pytest.fixture
def version(school, headteacher):
    return published_version_for(policy_for(school, headteacher), headteacher)


def test_coverage_page_queries_do_not_grow_with_staff_and_signatures(
    client_for, school, headteacher, version
):
    url = reverse("version_coverage", kwargs={"pk": version.pk})
    client = client_for(headteacher)
    client.get(url)  # warm the session and the site's caches
    add_signed_staff(school, version, 30)
    small = count_queries(client, url)
    add_signed_staff(school, version, 270, start=30)
    large = count_queries(client, url)
    # session, user, memberships + roles, version (gateway), signatures that count (the first
    # counting version inline), required members, their roles, signed PDFs still missing, and
    # the page's navigation and notifications (two: the kinds of record the unread ones are
    # about, then their count; the headteacher has some).
    assert small == large, (small, large)
    assert small == 13  # pinned: a new query on this page should be a decision


def test_to_sign_list_queries_do_not_grow_with_staff_and_signatures(
    client_for, school, headteacher, staff, version
):
    url = reverse("to_sign_list")
    client = client_for(staff)
    client.get(url)
    add_signed_staff(school, version, 30)
    small = count_queries(client, url)
    add_signed_staff(school, version, 270, start=30)
    large = count_queries(client, url)
    # session, user, memberships + roles, versions with validity (one query), own signatures,
    # and the page's navigation and notifications (two: the kinds of record the unread ones are
    # about, then their count).
    assert small == large, (small, large)
    assert small == 9  # pinned: a new query on this page should be a decision


def test_dashboard_count_queries_do_not_grow(client_for, school, headteacher, staff, version):
    client = client_for(staff)
    url = reverse("dashboard")
    client.get(url)
    add_signed_staff(school, version, 30)
    small = count_queries(client, url)
    add_signed_staff(school, version, 270, start=30)
    assert count_queries(client, url) == small
