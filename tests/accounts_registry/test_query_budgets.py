"""Query budgets (STYLE: Tests): the registry list, the approval queue and the post page run the
same number of queries with N and 10×N accounts, posts and pupils."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts_registry.models import PostAction
from tests.accounts_registry.factories import account_for, draft, granted_pupil, through

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return len(captured)


@pytest.fixture
def grow(school, headteacher, staff, colleague, aup, account):
    """Adds `count` accounts, each with a post waiting for approval."""
    made = []

    def more(count):
        for _ in range(count):
            n = len(made)
            other = account_for(school, headteacher, [staff, colleague], name=f"Club {n}")
            post = draft(other, staff, text=f"Club news {n}")
            made.append(through(post, (PostAction.SUBMIT, staff), (PostAction.AGREE, colleague)))

    return more


@pytest.mark.parametrize("name", ["accounts_home", "accounts_approval_queue"])
def test_the_registry_and_the_approval_queue_do_not_grow(client_for, headteacher, grow, name):
    client = client_for(headteacher)
    url = reverse(name)
    client.get(url)  # warm the session and the site's caches
    grow(2)
    small = count_queries(client, url)
    grow(18)
    large = count_queries(client, url)
    # session, user, memberships + roles, the page's rows with their people (prefetched), the
    # AUP's published versions and valid signers, the headteachers of the school; menu and
    # notifications.
    assert small == large, (name, small, large)


def test_the_post_page_does_not_grow_with_its_pupils_and_steps(
    client_for, school, office, staff, colleague, headteacher, account
):
    def agreed_post(pupils, rounds):
        post = draft(account, staff, pupils)
        for _ in range(rounds):
            post = through(
                post,
                (PostAction.SUBMIT, staff),
                (PostAction.REQUEST_CHANGES, colleague, {"reason": "Crop it"}),
            )
        return through(post, (PostAction.SUBMIT, staff), (PostAction.AGREE, colleague))

    client = client_for(headteacher)
    small_post = agreed_post([granted_pupil(school, office) for _ in range(3)], 1)
    large_post = agreed_post([granted_pupil(school, office) for _ in range(30)], 10)
    client.get(reverse("accounts_post_detail", args=[small_post.pk]))
    small = count_queries(client, reverse("accounts_post_detail", args=[small_post.pk]))
    large = count_queries(client, reverse("accounts_post_detail", args=[large_post.pk]))
    assert small == large, (small, large)
