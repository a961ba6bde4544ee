"""'Needs me now' panels of blocked-content requests and the filtering record (registered in
incidents.filtering.registration): every step waiting for someone is an item on their dashboard in
each school they belong to, counted through the gateway, a fixed number of queries per school."""

from __future__ import annotations

from django.urls import reverse

from incidents.filtering import access as filtering_access
from incidents.filtering import selectors
from socialgov.dates import today
from socialgov.needs_me import NeedsMe, Panel
from socialgov.people.roles import Role


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _in(school, page: str) -> str:
    """A link that first switches to the item's school (a person may work in several)."""
    return reverse("filtering_in_school", args=[school.pk, page])


def _log(school, status: str) -> str:
    return f"{_in(school, 'log')}?outcome={status}"


def _requests(membership) -> list[NeedsMe]:
    roles = membership.role_names
    if not roles & (filtering_access.DECIDERS | {Role.NETWORK_MANAGER}):
        return []
    counts = selectors.waiting_counts(membership)
    items = []
    if Role.NETWORK_MANAGER in roles:
        n = counts["to_reblock"]
        if n:
            items.append(
                NeedsMe(
                    n,
                    f"{n} ended {_plural(n, 'unblock', 'unblocks')} to block again",
                    _log(membership.school, "expired"),
                    "alert",
                )
            )
        n = counts["to_review"]
        if n:
            items.append(
                NeedsMe(
                    n,
                    f"{n} blocked-content {_plural(n, 'request', 'requests')} to review",
                    _log(membership.school, "awaiting_review"),
                )
            )
        n = counts["to_unblock"]
        if n:
            items.append(
                NeedsMe(
                    n,
                    f"{n} approved {_plural(n, 'site', 'sites')} to unblock",
                    _log(membership.school, "approved"),
                )
            )
    if roles & filtering_access.DECIDERS:
        n = counts["to_decide"]
        if n:
            items.append(
                NeedsMe(
                    n,
                    f"{n} blocked-content {_plural(n, 'request', 'requests')} to decide",
                    _log(membership.school, "awaiting_decision"),
                )
            )
    return items


def _record(membership) -> list[NeedsMe]:
    """The named roles (headteacher), the yearly review (headteacher, DSL and SLT lead) and this
    term's checks (network manager and IT provider)."""
    roles = membership.role_names
    school = membership.school
    items = []
    # Every member: the named SLT lead and IT provider may hold no leading role (plain staff).
    named = selectors.filtering_roles_of(school, with_people=False)  # ids are enough
    if Role.HEADTEACHER in roles:
        missing = named.unassigned()
        if missing:
            items.append(
                NeedsMe(
                    len(missing),
                    "Filtering and monitoring: name " + ", ".join(missing),
                    _in(school, "roles"),
                    "alert",
                )
            )
    is_lead = named.slt_lead_id == membership.user_id
    if roles & {Role.HEADTEACHER, Role.DSL} or is_lead:
        status = selectors.review_status(school, today())
        days = (status.due_by - today()).days
        if status.overdue:
            items.append(
                NeedsMe(
                    1,
                    "The filtering and monitoring review is overdue",
                    _in(school, "reviews"),
                    "alert",
                )
            )
        elif status.this_year is None and days <= max(selectors.REVIEW_DUE_DAYS):
            items.append(
                NeedsMe(
                    1,
                    f"The filtering and monitoring review is due by {status.due_by:%d/%m/%Y}",
                    _in(school, "reviews"),
                )
            )
    is_provider = named.it_provider_id == membership.user_id
    checker = Role.NETWORK_MANAGER in roles or is_provider
    if checker and selectors.checks_this_term(school, today()) is False:
        items.append(NeedsMe(1, "No filtering check logged this term", _in(school, "check-new")))
    return items


def _actions(membership) -> list[NeedsMe]:
    """The review actions the person owns and has not marked done (overdue ones as an alert)."""
    counts = selectors.open_actions_of(membership, today())
    if not counts["open"]:
        return []
    link = reverse("filtering_review_detail", args=[counts["review_id"]])
    n, overdue = counts["open"], counts["overdue"]
    if overdue:
        return [
            NeedsMe(
                overdue,
                f"{overdue} filtering review {_plural(overdue, 'action', 'actions')} overdue",
                link,
                "alert",
            )
        ]
    return [NeedsMe(n, f"{n} filtering review {_plural(n, 'action', 'actions')} to do", link)]


PANELS = [
    Panel("filtering.requests", _requests, order=320),
    Panel("filtering.record", _record, order=330),
    Panel("filtering.actions", _actions, order=335),
]
