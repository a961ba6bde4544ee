"""People's "needs me now" panel: an invitation to join another school waits for its person's
answer, so it is on their dashboard (under each school they belong to) as well as notified."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from socialgov.needs_me import NeedsMe
from socialgov.people.access import join_invitation_visible_to

SHOWN = 5  # more open invitations than this at once is not a real case


def join_invitations(membership) -> list[NeedsMe]:
    """One query: the person's open, unexpired invitations, each with its own link."""
    invitations = (
        join_invitation_visible_to(membership.user)
        .filter(
            accepted_at__isnull=True,
            declined_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("school")
        .order_by("created_at", "pk")[:SHOWN]
    )
    return [
        NeedsMe(
            1,
            f"An invitation to join {invitation.school.name}: accept or decline it",
            reverse("join_invitation", args=[invitation.pk]),
        )
        for invitation in invitations
    ]
