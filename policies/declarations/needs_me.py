"""Declarations' and exceptions' 'needs me now' panels: every step waiting for someone is an
item on their dashboard, in each school they belong to (a fixed number of queries each)."""

from __future__ import annotations

from django.urls import reverse

from policies.declarations import selectors
from socialgov.dates import today
from socialgov.needs_me import NeedsMe, Panel
from socialgov.terms.models import academic_year_label
from socialgov.terms.selectors import academic_year_of


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


# The page names of `declarations_in_school` (which switches to the item's school first).
_PAGES = {
    "declaration_list": "declarations",
    "declaration_confirm": "confirm",
    "exception_list": "exceptions",
}


def _in_school(membership, name: str, query: str = "") -> str:
    url = reverse("declarations_in_school", args=[membership.school_id, _PAGES[name]])
    return f"{url}{query}"


def _declarations(membership) -> list[NeedsMe]:
    on = today()
    items = []
    counts = selectors.declaration_waiting_counts(membership, on)
    awaiting, review = counts["awaiting"], counts["review"]
    if awaiting:
        items.append(
            NeedsMe(
                awaiting,
                f"{awaiting} staff {_plural(awaiting, 'declaration', 'declarations')} to "
                "discuss and decide",
                _in_school(membership, "declaration_list", "?show=awaiting"),
            )
        )
    if review:
        items.append(
            NeedsMe(
                review,
                f"{review} {_plural(review, 'declaration', 'declarations')} due for review",
                _in_school(membership, "declaration_list", "?show=review"),
                "alert",
            )
        )
    if selectors.needs_confirmation(membership, on):
        year = academic_year_label(academic_year_of(on))
        items.append(
            NeedsMe(
                1,
                f"Confirm your declarations for {year} (or that you have nothing to declare)",
                _in_school(membership, "declaration_confirm"),
            )
        )
    return items


def _exceptions(membership) -> list[NeedsMe]:
    on = today()
    counts = selectors.exception_waiting_counts(membership, on)
    items = []
    approve, ending = counts["approve"], counts["ending"]
    if approve:
        items.append(
            NeedsMe(
                approve,
                f"{approve} policy {_plural(approve, 'exception', 'exceptions')} to approve",
                _in_school(membership, "exception_list", "?show=requested"),
            )
        )
    if ending:
        items.append(
            NeedsMe(
                ending,
                f"{ending} policy {_plural(ending, 'exception ends', 'exceptions end')} within "
                f"{selectors.ENDING_WITHIN_DAYS} days",
                _in_school(membership, "exception_list", "?show=ending"),
            )
        )
    return items


PANELS = [
    Panel("policies.declarations", _declarations, order=230),
    Panel("policies.exceptions", _exceptions, order=240),
]
