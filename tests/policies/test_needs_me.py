"""Policies' 'needs me now' panels (issue 9.1): each shows the right people what waits for them,
in every school they belong to, and runs the same number of queries at N and at 10×N."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from policies import needs_me, services
from policies.models import Policy
from socialgov import access
from socialgov.needs_me import PANELS
from socialgov.people.roles import Role, StaffGroup
from tests.factories import MembershipFactory
from tests.policies.factories import (
    approved_version_for,
    draft_version_for,
    policy_for,
    published_version_for,
)
from tests.policies.signing_helpers import sign

pytestmark = pytest.mark.django_db


def items_of(panel, person, school):
    """The panel's items for `person` in `school` (as the dashboard asks: by membership)."""
    access.forget_memberships(person)
    membership = access.membership_in(person, school)
    membership.user = person  # as socialgov.needs_me does
    return list(panel(membership))


def sentences(panel, person, school) -> list[str]:
    return [item.sentence for item in items_of(panel, person, school)]


def submitted_version(school, author, headteacher, title):
    policy = policy_for(school, headteacher, title=title, owner=author)
    version = draft_version_for(policy, author)
    return services.version_submit(version=version, actor=author)


# Awaiting my approval -------------------------------------------------------------------------


def test_the_headteacher_sees_versions_awaiting_approval(school, headteacher, dsl, staff):
    version = submitted_version(school, dsl, headteacher, "Social media policy")
    (item,) = items_of(needs_me._awaiting_approval, headteacher, school)
    assert item.sentence == "Social media policy, version 1, is waiting for your approval"
    assert item.url == reverse("version_detail", args=[version.pk])
    assert items_of(needs_me._awaiting_approval, dsl, school) == []  # the DSL cannot approve
    assert items_of(needs_me._awaiting_approval, staff, school) == []


def test_a_draft_not_yet_sent_is_not_awaiting_approval(school, headteacher, dsl):
    draft_version_for(policy_for(school, headteacher), dsl)
    assert items_of(needs_me._awaiting_approval, headteacher, school) == []


def test_many_versions_awaiting_approval_end_with_one_line_for_the_rest(school, headteacher, dsl):
    for n in range(needs_me.MAX_ITEMS + 2):
        submitted_version(school, dsl, headteacher, f"Policy {n}")
    items = items_of(needs_me._awaiting_approval, headteacher, school)
    assert len(items) == needs_me.MAX_ITEMS + 1
    assert items[-1].sentence == "2 more versions are waiting for your approval"
    assert items[-1].count == 2


def test_the_headteachers_own_version_waits_for_the_deputy_not_for_them(
    school, headteacher, deputy_head, chair
):
    submitted_version(school, headteacher, headteacher, "Head's own")
    assert items_of(needs_me._awaiting_approval, headteacher, school) == []
    for stand_in in (deputy_head, chair):
        assert sentences(needs_me._awaiting_approval, stand_in, school) == [
            "Head's own, version 1, is waiting for your approval"
        ]


def test_a_stand_in_does_not_see_versions_the_headteacher_approves(
    school, headteacher, dsl, deputy_head
):
    submitted_version(school, dsl, headteacher, "The DSL's")
    assert items_of(needs_me._awaiting_approval, deputy_head, school) == []


def test_an_only_headteacher_approves_their_own_version_when_nobody_else_can(school, headteacher):
    submitted_version(school, headteacher, headteacher, "Alone")
    assert sentences(needs_me._awaiting_approval, headteacher, school) == [
        "Alone, version 1, is waiting for your approval"
    ]


# My drafts sent back ------------------------------------------------------------------------


def test_the_author_and_owner_see_their_draft_sent_back(school, headteacher, dsl, slt, staff):
    policy = policy_for(school, headteacher, title="Mobile phones", owner=slt)
    version = services.version_submit(version=draft_version_for(policy, dsl), actor=dsl)
    services.version_return_to_draft(version=version, actor=headteacher, reason="Add dates.")
    for person in (dsl, slt):
        (item,) = items_of(needs_me._sent_back, person, school)
        assert item.sentence == "Mobile phones, version 1, was sent back: see what to change"
        assert item.url == reverse("version_detail", args=[version.pk])
    assert items_of(needs_me._sent_back, headteacher, school) == []  # not theirs
    assert items_of(needs_me._sent_back, staff, school) == []
    services.version_submit(version=version, actor=dsl)  # sent again: nothing waits any more
    assert items_of(needs_me._sent_back, dsl, school) == []


# Policies to sign ----------------------------------------------------------------------------


def test_staff_see_the_one_policy_they_must_sign_with_a_link_to_sign_it(
    school, headteacher, staff, governor
):
    version = published_version_for(policy_for(school, headteacher, title="Staff AUP"), headteacher)
    (item,) = items_of(needs_me._to_sign, staff, school)
    assert item.sentence == "Read and sign Staff AUP"
    assert item.url == reverse("version_sign", args=[version.pk])
    assert items_of(needs_me._to_sign, governor, school) == []  # governors are not asked
    sign(version, staff)
    assert items_of(needs_me._to_sign, staff, school) == []


def test_several_policies_to_sign_link_to_that_schools_list(school, headteacher, staff):
    for title in ("A", "B"):
        published_version_for(policy_for(school, headteacher, title=title), headteacher)
    (item,) = items_of(needs_me._to_sign, staff, school)
    assert item.sentence == "2 policies to sign"
    assert item.url == reverse("policies_in_school", args=[school.pk, "to-sign"])


# Reviews ---------------------------------------------------------------------------------------


def _policy_due(school, headteacher, title, days, owner=None):
    policy = policy_for(school, headteacher, title=title, owner=owner or headteacher)
    policy.next_review_on = timezone.localdate() + dt.timedelta(days=days)
    policy.save()
    return policy


def test_reviews_overdue_or_due_within_30_days(school, headteacher, dsl, staff):
    overdue = _policy_due(school, headteacher, "Overdue", -3)
    _policy_due(school, headteacher, "Soon", 30)
    _policy_due(school, headteacher, "Later", 31)
    items = items_of(needs_me._reviews, dsl, school)
    assert [item.sentence for item in items] == [
        f"Review of Overdue overdue since {overdue.next_review_on:%d/%m/%Y}",
        f"Review of Soon due by {(timezone.localdate() + dt.timedelta(days=30)):%d/%m/%Y}",
    ]
    assert items[0].tone == "alert" and items[1].tone == ""
    assert items[0].url == reverse("policy_review_list", args=[overdue.pk])
    assert items_of(needs_me._reviews, staff, school) == []


def test_the_owner_sees_their_own_policys_review_and_the_chair_sees_overdue_ones(
    school, headteacher, network_manager, chair
):
    _policy_due(school, headteacher, "Owned", 10, owner=network_manager)
    _policy_due(school, headteacher, "Someone else's", 10)
    _policy_due(school, headteacher, "Overdue", -1)
    assert [s.split(" due")[0] for s in sentences(needs_me._reviews, network_manager, school)] == [
        "Review of Owned"
    ]
    assert [s.split(" overdue")[0] for s in sentences(needs_me._reviews, chair, school)] == [
        "Review of Overdue"
    ]


def test_a_requested_review_is_shown(school, headteacher, staff, dsl):
    policy = policy_for(school, headteacher, title="Requested")
    services.policy_review_request(policy=policy, actor=staff, reason="After the incident.")
    assert sentences(needs_me._reviews, dsl, school) == ["Review of Requested requested"]


# Awaiting ratification -------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["clerk", "chair", "headteacher"])
def test_published_versions_awaiting_ratification(request, school, headteacher, person):
    version = published_version_for(policy_for(school, headteacher, title="AUP"), headteacher)
    who = request.getfixturevalue(person)
    (item,) = items_of(needs_me._awaiting_ratification, who, school)
    assert item.sentence == "Record the ratification of AUP, version 1"
    assert item.url == reverse("version_detail", args=[version.pk])
    services.version_ratify(
        version=version, actor=headteacher, meeting_date=timezone.localdate(), minute_reference="1"
    )
    assert items_of(needs_me._awaiting_ratification, who, school) == []


@pytest.mark.parametrize("person", ["governor", "staff", "dsl"])
def test_others_are_not_asked_to_record_ratification(request, school, headteacher, person):
    published_version_for(policy_for(school, headteacher, title="AUP"), headteacher)
    assert items_of(needs_me._awaiting_ratification, request.getfixturevalue(person), school) == []


def test_an_approved_version_not_yet_published_does_not_wait_for_ratification(
    school, headteacher, clerk
):
    approved_version_for(policy_for(school, headteacher), headteacher)
    assert items_of(needs_me._awaiting_ratification, clerk, school) == []


# Coverage below the threshold ---------------------------------------------------------------


def test_leaders_see_policies_below_the_coverage_threshold(
    school, headteacher, staff, colleague, dsl, office, governor
):
    version = published_version_for(policy_for(school, headteacher, title="Staff AUP"), headteacher)
    sign(version, staff)
    # Teachers and support staff must sign: the headteacher, the DSL, staff, colleague, office.
    for person in (headteacher, dsl, office):
        (item,) = items_of(needs_me._coverage_below_threshold, person, school)
        assert item.sentence == "Staff AUP: 1 of 5 have signed (20%)"
        assert item.url == reverse("version_coverage", args=[version.pk])
        assert item.count == 4
    for person in (staff, governor):
        assert items_of(needs_me._coverage_below_threshold, person, school) == []


def test_a_policy_signed_by_enough_people_is_not_shown(school, headteacher, staff):
    version = published_version_for(policy_for(school, headteacher, title="AUP"), headteacher)
    sign(version, staff)
    sign(version, headteacher)
    assert items_of(needs_me._coverage_below_threshold, headteacher, school) == []


# Two schools -----------------------------------------------------------------------------------


def test_a_person_in_two_schools_sees_both_schools_items_on_the_dashboard(
    client_for, school, sister_school, headteacher, dsl, sister_head
):
    MembershipFactory(user=headteacher, school=sister_school, roles=[Role.HEADTEACHER])
    submitted_version(school, dsl, headteacher, "Willow policy")
    submitted_version(sister_school, sister_head, sister_head, "Elm policy")
    page = client_for(headteacher).get(reverse("dashboard")).content.decode()
    assert "Willow policy, version 1, is waiting for your approval" in page
    assert "Elm policy, version 1, is waiting for your approval" in page
    assert f'data-school="{school.pk}"' in page and f'data-school="{sister_school.pk}"' in page


def test_the_to_sign_list_of_another_school_opens_that_schools_list(
    client_for, school, sister_school, headteacher, staff, sister_head
):
    MembershipFactory(user=staff, school=sister_school, roles=[Role.STAFF])
    for title in ("Elm A", "Elm B"):
        published_version_for(policy_for(sister_school, sister_head, title=title), sister_head)
    client = client_for(staff)
    page = client.get(reverse("dashboard")).content.decode()
    url = reverse("policies_in_school", args=[sister_school.pk, "to-sign"])
    assert url in page
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and "Elm A" in body and "Elm B" in body
    assert response.wsgi_request.school == sister_school


def test_the_list_of_a_school_that_is_not_yours_is_not_found(client_for, school, outsider):
    url = reverse("policies_in_school", args=[school.pk, "to-sign"])
    assert client_for(outsider).get(url).status_code == 404
    mine = reverse("policies_in_school", args=[outsider.memberships.get().school_id, "nope"])
    assert client_for(outsider).get(mine).status_code == 404


# Query budgets: N and 10×N ----------------------------------------------------------------------


def count_queries(panel, person, school) -> int:
    access.forget_memberships(person)
    membership = access.membership_in(person, school)  # the dashboard has these already
    membership.user = person
    with CaptureQueriesContext(connection) as captured:
        list(panel(membership))
    return len(captured)


def _grow(build, n_from, n_to):
    for n in range(n_from, n_to):
        build(n)


def _signed_policy(ctx, n):
    version = published_version_for(
        policy_for(ctx.school, ctx.headteacher, title=f"P{n}"), ctx.headteacher
    )
    sign(version, ctx.staff)


@pytest.mark.parametrize(
    "panel,who,build,queries",
    [
        (
            needs_me._awaiting_approval,
            "headteacher",
            lambda ctx, n: submitted_version(ctx.school, ctx.dsl, ctx.headteacher, f"P{n}"),
            3,  # the versions; the approving role holders and their roles
        ),
        (
            needs_me._sent_back,
            "dsl",
            lambda ctx, n: services.version_return_to_draft(
                version=submitted_version(ctx.school, ctx.dsl, ctx.headteacher, f"P{n}"),
                actor=ctx.headteacher,
                reason="More.",
            ),
            1,
        ),
        (
            needs_me._to_sign,
            "staff",
            lambda ctx, n: published_version_for(
                policy_for(ctx.school, ctx.headteacher, title=f"P{n}"), ctx.headteacher
            ),
            1,
        ),
        (
            needs_me._reviews,
            "dsl",
            lambda ctx, n: _policy_due(ctx.school, ctx.headteacher, f"P{n}", n - 20),
            1,
        ),
        (
            needs_me._awaiting_ratification,
            "clerk",
            lambda ctx, n: published_version_for(
                policy_for(ctx.school, ctx.headteacher, title=f"P{n}"), ctx.headteacher
            ),
            1,
        ),
        (
            needs_me._coverage_below_threshold,
            "headteacher",
            _signed_policy,
            4,  # published versions; members; their roles; signatures (coverage totals)
        ),
    ],
    ids=["approvals", "sent_back", "to_sign", "reviews", "ratification", "coverage"],
)
def test_each_panel_runs_the_same_queries_at_n_and_10n(
    request, school, headteacher, dsl, staff, clerk, panel, who, build, queries
):
    class Context:
        pass

    ctx = Context()
    ctx.school, ctx.headteacher, ctx.dsl, ctx.staff = school, headteacher, dsl, staff
    person = request.getfixturevalue(who)
    _grow(lambda n: build(ctx, n), 0, 2)
    small = count_queries(panel, person, school)
    _grow(lambda n: build(ctx, n), 2, 20)
    large = count_queries(panel, person, school)
    assert items_of(panel, person, school)
    # A fixed number of queries for the panel's rows, whatever their number (the person's
    # roles come with the membership the dashboard hands over).
    assert small == large == queries, (small, large)


def test_the_dashboard_runs_the_same_queries_at_n_and_10n(
    client_for, school, headteacher, dsl, staff, clerk
):
    def add(n_from, n_to):
        for n in range(n_from, n_to):
            published_version_for(
                policy_for(school, headteacher, title=f"Published {n}"), headteacher
            )
            submitted_version(school, dsl, headteacher, f"Submitted {n}")
            _policy_due(school, headteacher, f"Due {n}", n - 5)

    client = client_for(headteacher)
    client.get(reverse("dashboard"))
    add(0, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("dashboard"))
    add(2, 20)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("dashboard"))
    # session, user, memberships + roles, trust memberships, then one query per policies panel
    # the headteacher has (approvals, sent back, to sign, reviews, ratification), and the page's
    # navigation and notifications.
    assert len(small) == len(large), (len(small), len(large))
    assert Policy.objects.count() == 60


def test_every_policies_panel_is_registered():
    names = {panel.name for panel in PANELS.entries()}
    assert {panel.name for panel in needs_me.PANELS} <= names


def test_support_staff_see_what_support_staff_must_sign(school, headteacher, office):
    policy = policy_for(school, headteacher, title="Office AUP", signer_groups=[StaffGroup.SUPPORT])
    published_version_for(policy, headteacher)
    assert sentences(needs_me._to_sign, office, school) == ["Read and sign Office AUP"]
