"""Policies' 'needs me now' panels (registered in PoliciesConfig.ready; socialgov.needs_me).

Each panel takes one of the person's current memberships and returns what waits for them in that
school, reading through the policies gateway (policies.access) and selectors, so nothing they
may not see is counted. Each runs a fixed number of queries whatever the numbers of policies,
versions, staff and signatures (tests/policies/test_needs_me.py):

- versions awaiting my approval (those who approve)
- my drafts sent back (their author or the policy's owner, if they may edit)
- policies to sign (everyone asked to sign)
- reviews overdue or due within 30 days, or requested (editors; owners for their own policies;
  the chair of governors for overdue ones, as the overdue reminder goes to them too)
- published versions awaiting ratification (clerk, chair of governors, headteacher)
- coverage below COVERAGE_THRESHOLD per cent (those who see coverage with names)

Links go to object pages, which switch to the object's school; a list of one school goes
through `policies_in_school` (policies/views/manage.py), which switches first.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from policies import access as policy_access
from policies import selectors
from policies.models import Ratification, VersionStatus
from socialgov.needs_me import NeedsMe, Panel, shared
from socialgov.people.roles import Role

REVIEW_DAYS = 30
# Leaders see each published policy whose coverage (people with a valid signature, of those who
# must sign) is below this percentage.
COVERAGE_THRESHOLD = 90
# At most this many items of one kind, then one line for the rest.
MAX_ITEMS = 5
# What an item names a version by ("Safeguarding, version 3"): all a panel reads of a version
# and its policy, not their texts and settings.
_NAMING = ("number", "policy__title")


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _school_list(school, page: str) -> str:
    return reverse("policies_in_school", args=[school.pk, page])


def _awaiting_approval(membership) -> list[NeedsMe]:
    """Versions sent for approval that this person may approve (not their own while someone
    else can: policies.access.version_approvers)."""
    user, school = membership.user, membership.school
    if not policy_access.can_approve(user, school):
        return []
    versions = list(
        policy_access.version_visible_to(user)
        .filter(policy__school_id=school.pk, status=VersionStatus.AWAITING_APPROVAL)
        .select_related("policy")
        .only(*_NAMING, "created_by_id")
        .order_by("submitted_at", "pk")
    )
    if versions:
        candidates = policy_access.approval_candidates(school)
        versions = [
            version
            for version in versions
            if any(
                person.pk == user.pk
                for person in policy_access.approvers_among(
                    candidates, school, version.created_by_id
                )
            )
        ]
    return _one_per_version(
        versions,
        lambda v: f"{v.policy.title}, version {v.number}, is waiting for your approval",
        lambda v: reverse("version_detail", args=[v.pk]),
        rest=lambda n: (
            f"{n} more {_plural(n, 'version is', 'versions are')} waiting for your approval"
        ),
        rest_url=_school_list(school, "list"),
    )


def _sent_back(membership) -> list[NeedsMe]:
    """Drafts the person wrote, or of policies they own, that were sent back with a reason."""
    user, school = membership.user, membership.school
    if not policy_access.can_edit(user, school):
        return []
    versions = list(
        policy_access.version_visible_to(user)
        .filter(
            Q(created_by=user) | Q(policy__owner=user),
            policy__school_id=school.pk,
            status=VersionStatus.DRAFT,
            returned_at__isnull=False,
        )
        .select_related("policy")
        .defer(*selectors.VERSION_TEXTS)
        .order_by("-returned_at", "pk")
    )
    return _one_per_version(
        versions,
        lambda v: f"{v.policy.title}, version {v.number}, was sent back: see what to change",
        lambda v: reverse("version_detail", args=[v.pk]),
        rest=lambda n: f"{n} more {_plural(n, 'draft was', 'drafts were')} sent back",
        rest_url=_school_list(school, "list"),
    )


def _to_sign(membership) -> list[NeedsMe]:
    """Published policies the person must sign in this school and has not."""
    versions = selectors.to_sign_for(membership.user, membership.school)
    if not versions:
        return []
    if len(versions) == 1:
        (version,) = versions
        return [
            NeedsMe(
                1,
                f"Read and sign {version.policy.title}",
                reverse("version_sign", args=[version.pk]),
            )
        ]
    count = len(versions)
    return [NeedsMe(count, f"{count} policies to sign", _school_list(membership.school, "to-sign"))]


def _reviews(membership) -> list[NeedsMe]:
    """Reviews overdue, due within REVIEW_DAYS or requested."""
    user, school = membership.user, membership.school
    today = timezone.localdate()
    due = Q(next_review_on__lte=today + dt.timedelta(days=REVIEW_DAYS)) | Q(
        review_requested_at__isnull=False
    )
    if policy_access.can_edit(user, school):
        wanted = due
    elif Role.CHAIR_OF_GOVERNORS in membership.role_names:
        wanted = Q(next_review_on__lt=today) | (due & Q(owner=user))
    else:
        wanted = due & Q(owner=user)
    policies = list(
        policy_access.policy_visible_to(user)
        .filter(wanted, school_id=school.pk)
        .order_by("next_review_on", "title")
    )
    items = []
    for policy in policies[:MAX_ITEMS]:
        if policy.next_review_on and policy.next_review_on < today:
            when, tone = f"overdue since {policy.next_review_on:%d/%m/%Y}", "alert"
        elif policy.next_review_on and policy.next_review_on <= today + dt.timedelta(
            days=REVIEW_DAYS
        ):
            when, tone = f"due by {policy.next_review_on:%d/%m/%Y}", ""
        else:
            when, tone = "requested", ""
        items.append(
            NeedsMe(
                1,
                f"Review of {policy.title} {when}",
                reverse("policy_review_list", args=[policy.pk]),
                tone,
            )
        )
    if len(policies) > MAX_ITEMS:
        rest = len(policies) - MAX_ITEMS
        noun = _plural(rest, "policy needs", "policies need")
        items.append(NeedsMe(rest, f"{rest} more {noun} reviewing", _school_list(school, "list")))
    return items


def _awaiting_ratification(membership) -> list[NeedsMe]:
    """Published versions whose ratification by the governing board is not recorded."""
    user, school = membership.user, membership.school
    if not policy_access.can_ratify(user, school):
        return []
    current = Ratification.objects.filter(version=OuterRef("pk"), superseded_at__isnull=True)
    versions = list(
        policy_access.version_visible_to(user)
        .filter(policy__school_id=school.pk, status=VersionStatus.PUBLISHED)
        .filter(~Exists(current))
        .select_related("policy")
        .only(*_NAMING)
        .order_by("published_at", "pk")
    )
    return _one_per_version(
        versions,
        lambda v: f"Record the ratification of {v.policy.title}, version {v.number}",
        lambda v: reverse("version_detail", args=[v.pk]),
        rest=lambda n: (
            f"{n} more published {_plural(n, 'policy awaits', 'policies await')} ratification"
        ),
        rest_url=_school_list(school, "list"),
    )


def coverage_totals_today(school) -> list[selectors.CoverageTotals]:
    """The school's coverage totals of every signable published policy today, worked out once
    per drawing of the dashboard (the coverage panel and the summary strip's AUP figure)."""
    on = timezone.localdate()
    return shared(
        ("policies.coverage_totals", school.pk, on),
        lambda: selectors.coverage_totals_for_school(school, on=on),
    )


def _coverage_below_threshold(membership) -> list[NeedsMe]:
    """Published policies fewer than COVERAGE_THRESHOLD per cent of their signers have signed,
    for those who see coverage with names and can chase (policies.access)."""
    user, school = membership.user, membership.school
    if not policy_access.can_see_coverage_names(user, school):
        return []
    low = [
        totals
        for totals in coverage_totals_today(school)
        if totals.overall.required and totals.overall.percent < COVERAGE_THRESHOLD
    ]
    low.sort(key=lambda totals: (totals.overall.percent, totals.version.policy.title))
    items = [
        NeedsMe(
            totals.overall.unsigned,
            f"{totals.version.policy.title}: {totals.overall.signed} of "
            f"{totals.overall.required} have signed ({totals.overall.percent}%)",
            reverse("version_coverage", args=[totals.version.pk]),
        )
        for totals in low[:MAX_ITEMS]
    ]
    if len(low) > MAX_ITEMS:
        rest = len(low) - MAX_ITEMS
        items.append(
            NeedsMe(
                rest,
                f"{rest} more {_plural(rest, 'policy is', 'policies are')} below "
                f"{COVERAGE_THRESHOLD}% signed",
                _school_list(school, "coverage"),
            )
        )
    return items


def _one_per_version(versions, sentence, url, *, rest, rest_url) -> list[NeedsMe]:
    items = [NeedsMe(1, sentence(version), url(version)) for version in versions[:MAX_ITEMS]]
    if len(versions) > MAX_ITEMS:
        items.append(NeedsMe(len(versions) - MAX_ITEMS, rest(len(versions) - MAX_ITEMS), rest_url))
    return items


PANELS = [
    Panel("policies.approvals", _awaiting_approval, order=190),
    Panel("policies.sent_back", _sent_back, order=195),
    Panel("policies.to_sign", _to_sign, order=200),
    Panel("policies.reviews", _reviews, order=210),
    Panel("policies.ratification", _awaiting_ratification, order=220),
    Panel("policies.coverage", _coverage_below_threshold, order=230),
]
