"""The training log's 'needs me now' panels: a person's own induction or refresher when it is
due (or due soon), and, for the headteacher, the people overdue; the keepers see how many are
due. A fixed number of queries per school."""

from __future__ import annotations

from django.urls import reverse

from socialgov.dates import today
from socialgov.needs_me import NeedsMe, Panel
from socialgov.training import access as training_access
from socialgov.training import selectors


def _url(membership, page: str) -> str:
    return reverse("training_in_school", args=[membership.school_id, page])


def _own(membership) -> list[NeedsMe]:
    standing = selectors.own_training(membership, today())
    if standing is None or standing.state == selectors.State.UP_TO_DATE:
        return []
    what = (
        "online-safety induction"
        if standing.needs == "induction"
        else "annual online-safety refresher"
    )
    if standing.is_due:
        sentence = f"Your {what} was due on {standing.due_on:%d/%m/%Y}"
    else:
        sentence = f"Your {what} is due by {standing.due_on:%d/%m/%Y}"
    return [NeedsMe(1, sentence, _url(membership, "mine"), "alert" if standing.is_due else "")]


def _school(membership) -> list[NeedsMe]:
    roles = membership.role_names
    if not roles & training_access.KEEPERS:
        return []
    counts = selectors.state_counts(membership.school, today())
    items = []
    overdue, due = counts[selectors.State.OVERDUE], counts[selectors.State.DUE]
    url = _url(membership, "coverage")
    if overdue and roles & training_access.SETTINGS_EDITORS:
        people = "person is" if overdue == 1 else "people are"
        items.append(
            NeedsMe(overdue, f"{overdue} {people} overdue for online-safety training", url, "alert")
        )
    if due:
        people = "person is" if due == 1 else "people are"
        items.append(NeedsMe(due, f"{due} {people} due for online-safety training", url))
    return items


PANELS = [
    Panel("training.own", _own, order=250),
    Panel("training.school", _school, order=260),
]
