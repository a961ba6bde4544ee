"""'Needs me now': what is waiting for a person, registered by each app (DESIGN §5).

An app registers `Panel`s in `AppConfig.ready()` (`PANELS.register(Panel(...))`). A panel is a
plain function that takes one of the person's current memberships (the person is
`membership.user`, the school `membership.school`, the roles `membership.role_names`) and returns
the `NeedsMe` items waiting for them there. It must run a fixed number of queries whatever the
size of the data (each app's panels have a query-budget test), and read through its app's
selectors and access gateway, so nothing the person may not see is counted.

The dashboard shows the items of every current school of the person, grouped by school, and never
imports an app. A figure that several panels (or a panel and the summary strip) read, such as a
school's policy coverage, is worked out once per drawing of the dashboard: `shared(key, compute)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from socialgov.registry import Registry

if TYPE_CHECKING:
    from socialgov.people.models import Membership, School


@dataclass(frozen=True)
class NeedsMe:
    """One thing waiting for the person: '3 policies to sign', with where to act on it."""

    count: int
    sentence: str  # plain English, complete: "3 policies to sign"
    url: str
    # "alert" for what is overdue or unsafe (shown first, marked as urgent); "" otherwise.
    tone: str = ""


@dataclass(frozen=True)
class Panel:
    name: str  # stable key, e.g. "policies.to_sign"
    items: Callable[[Membership], Iterable[NeedsMe]]
    order: int = 100


PANELS: Registry[Panel] = Registry("dashboard panel")

T = TypeVar("T")
_shared: ContextVar[dict[Any, Any] | None] = ContextVar("dashboard_shared", default=None)


@contextmanager
def one_drawing() -> Iterator[None]:
    """While the dashboard is drawn: a figure `shared` by several panels is computed once."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared(key: Any, compute: Callable[[], T]) -> T:
    """`compute()`, once per `key` within one drawing of the dashboard (every time outside one).
    The key names what is computed and for which school and day, e.g.
    `("policies.coverage_totals", school.pk, today)`."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


@dataclass(frozen=True)
class Headline:
    """One figure of the leaders' summary strip: "AUP signed: 86%", with where to see more."""

    label: str
    value: str
    url: str = ""
    tone: str = ""  # "alert" when it needs attention


@dataclass(frozen=True)
class SummaryFigure:
    """A figure of the summary strip at the top of a leader's dashboard, registered by an app
    (`SUMMARY.register(...)`). `headline(membership)` returns None when the figure is not for
    this person (each app decides through its gateway), in a fixed number of queries."""

    name: str
    headline: Callable[[Membership], Headline | None]
    order: int = 100


SUMMARY: Registry[SummaryFigure] = Registry("dashboard summary figure")


def summary_for(membership: Membership | None) -> list[Headline]:
    """The summary strip for the person's current school (empty for those it does not concern)."""
    if membership is None:
        return []
    headlines = [figure.headline(membership) for figure in SUMMARY.entries()]
    return [headline for headline in headlines if headline is not None]


@dataclass(frozen=True)
class SchoolNeeds:
    school: School
    items: list[NeedsMe]


def needs_me_for(user) -> list[SchoolNeeds]:
    """Every registered panel's items for each of the person's current schools (schools with
    nothing waiting included, with an empty list), alerts first within a school."""
    from socialgov import access

    result = []
    for membership in access.current_memberships(user):
        # The person already loaded, with their memberships cached: panels asking the gateway
        # about `membership.user` cost no queries for who they are.
        membership.user = user
        items = [
            item for panel in PANELS.entries() for item in panel.items(membership) if item.count > 0
        ]
        items.sort(key=lambda item: item.tone != "alert")
        result.append(SchoolNeeds(school=membership.school, items=items))
    return result
