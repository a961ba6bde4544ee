"""Reads of schools and people, with their related rows loaded (no N+1 in lists)."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from socialgov.dates import today
from socialgov.people.models import Invitation, Membership, MembershipRole, School
from socialgov.people.roles import Role


def people_of_school(
    school: School,
    *,
    include_leavers: bool = False,
    search: str = "",
    staff_group: str = "",
    role: str = "",
) -> QuerySet[Membership]:
    """Everyone in a school (or those matching a search by name or e-mail, a staff group, a
    role), with user and roles loaded: 2 queries whatever the size."""
    memberships = Membership.objects.filter(school=school)
    if not include_leavers:
        memberships = memberships.current()
    if search:
        memberships = memberships.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    if staff_group:
        memberships = memberships.filter(staff_group=staff_group)
    if role:
        memberships = memberships.filter(
            pk__in=MembershipRole.objects.filter(role=role).values("membership_id")
        )
    return (
        memberships.select_related("user")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
        .order_by("user__full_name", "pk")
    )


def role_holders(
    school: School | int | Iterable[School | int], *roles: str, on: dt.date | None = None
) -> QuerySet[Membership]:
    """Current members (on `on`, default today) holding any of `roles`, of one school or of
    several, with their user loaded (one query)."""
    schools = [school] if isinstance(school, School | int) else list(school)
    school_ids = {getattr(s, "pk", s) for s in schools}
    return (
        Membership.objects.current(on)
        .filter(school_id__in=school_ids, roles__role__in=roles)
        .select_related("user")
        .distinct()
    )


def invitation_latest(membership: Membership) -> Invitation | None:
    """The most recent invitation of a membership (who sent it loaded), or None."""
    return (
        Invitation.objects.filter(membership=membership)
        .select_related("created_by")
        .order_by("-created_at", "-pk")
        .first()
    )


# --- A school always keeps a headteacher -------------------------------------------------------


def headteacher_spans(school: School, *, on: dt.date) -> dict[int, tuple[dt.date, dt.date | None]]:
    """Each headteacher membership of `school` not gone by `on` → (start date, leaving date or
    None). One query."""
    return {
        pk: (start, leaving)
        for pk, start, leaving in Membership.objects.filter(
            Q(leaving_date__isnull=True) | Q(leaving_date__gt=on),
            school=school,
            roles__role=Role.HEADTEACHER,
        )
        .distinct()
        .values_list("pk", "start_date", "leaving_date")
    }


def _cover_end(spans: Iterable[tuple[dt.date, dt.date | None]], on: dt.date) -> dt.date | None:
    """The first day from `on` on which none of the spans [start, leaving) holds, or None when
    the cover never ends (it reaches a headteacher with no leaving date)."""
    spans = list(spans)
    day = on
    while True:
        ends = [end for start, end in spans if start <= day and (end is None or end > day)]
        if not ends:
            return day
        if None in ends:
            return None
        day = max(e for e in ends if e is not None)


def headteacher_gap_after(
    school: School,
    *,
    losing: dict[int, dt.date] | None = None,
    gaining: Iterable[tuple[dt.date, dt.date | None]] = (),
    on: dt.date | None = None,
) -> dt.date | None:
    """The rule "a school always keeps a headteacher", written once for role changes, leavers
    and the staff import: after the change, some headteacher has no leaving date, or the
    headteachers who remain cover at least as long as before (one leaves no earlier than the
    cover ended without the change), with no gap from today (a successor starting the day the
    headteacher leaves is cover).

    `losing` maps headteacher memberships to the day they stop being headteacher (today for a
    role taken away, the leaving date for a leaver); `gaining` are the (start, leaving or None)
    dates of people given the headteacher role. Returns the first day the school would be without a
    headteacher when the change makes that earlier, else None (the change is allowed)."""
    on = on or today()
    losing = losing or {}
    spans = headteacher_spans(school, on=on)
    before = _cover_end(spans.values(), on)
    after_spans = [(start, losing.get(pk, leaving)) for pk, (start, leaving) in spans.items()]
    after_spans += list(gaining)
    after = _cover_end(after_spans, on)
    if after is None or (before is not None and after >= before):
        return None
    return after
