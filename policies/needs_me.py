"""Policies' 'needs me now' panels (registered in PoliciesConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from policies import access as policies_access
from policies import selectors
from socialgov.needs_me import NeedsMe, Panel


def _to_sign(membership) -> list[NeedsMe]:
    """Published policies the person must sign in this school and has not."""
    waiting = len(selectors.to_sign_for(membership.user, membership.school))
    if not waiting:
        return []
    noun = "policy" if waiting == 1 else "policies"
    return [NeedsMe(waiting, f"{waiting} {noun} to sign", reverse("to_sign_list"))]


def _reviews(membership) -> list[NeedsMe]:
    """Reviews overdue, due soon or requested (policy editors)."""
    if not policies_access.can_edit(membership.user, membership.school):
        return []
    today = timezone.localdate()
    items = []
    for policy in selectors.policies_review_attention(membership.school, on=today)[:10]:
        if policy.review_requested_at:
            when, tone = "requested", ""
        elif policy.next_review_on < today:
            when, tone = f"overdue since {policy.next_review_on:%d/%m/%Y}", "alert"
        else:
            when, tone = f"due on {policy.next_review_on:%d/%m/%Y}", ""
        items.append(
            NeedsMe(
                1,
                f"Review of {policy.title} {when}",
                reverse("policy_review_list", args=[policy.pk]),
                tone,
            )
        )
    return items


PANELS = [
    Panel("policies.to_sign", _to_sign, order=200),
    Panel("policies.reviews", _reviews, order=210),
]
