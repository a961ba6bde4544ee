"""Incident reports' 'needs me now' panels (registered in incidents.reports.registration): every
step that waits for someone is an item on their dashboard, in each school they belong to, counted
through the gateway in one query per school."""

from __future__ import annotations

from django.urls import reverse

from incidents.reports.selectors import waiting_counts
from socialgov.needs_me import NeedsMe, Panel, shared


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _list(show: str) -> str:
    return f"{reverse('incident_list')}?show={show}"


def waiting_counts_now(membership) -> dict[str, int]:
    """`waiting_counts` of the membership, worked out once per drawing of the dashboard (this
    panel and the summary strip's open incidents)."""
    return shared(("incidents.waiting_counts", membership.pk), lambda: waiting_counts(membership))


def _waiting(membership) -> list[NeedsMe]:
    counts = waiting_counts_now(membership)
    items = []

    def add(name, sentence, tone=""):
        count = counts[name]
        if count:
            items.append(NeedsMe(count, sentence(count), _list(name), tone))

    urgent = counts["urgent"]
    if urgent:
        items.append(
            NeedsMe(
                urgent,
                f"{urgent} urgent {_plural(urgent, 'report', 'reports')} to look at now",
                _list("triage"),
                "alert",
            )
        )
    others = counts["triage"] - urgent
    if others:
        items.append(
            NeedsMe(
                others,
                f"{others} new incident {_plural(others, 'report', 'reports')} to triage",
                _list("triage"),
            )
        )
    add(
        "gap",
        lambda n: (
            f"{n} {_plural(n, 'report', 'reports')} came to you because nobody holds the "
            "role they are meant for"
        ),
        "alert",
    )
    add(
        "threshold_overdue",
        lambda n: (
            f"{n} harm-threshold {_plural(n, 'decision', 'decisions')} overdue (over one "
            "working day)"
        ),
        "alert",
    )
    pending = counts["threshold"] - counts["threshold_overdue"]
    if pending:
        items.append(
            NeedsMe(
                pending,
                f"{pending} harm-threshold {_plural(pending, 'decision', 'decisions')} to make",
                _list("threshold"),
            )
        )
    add(
        "imagery",
        lambda n: f"{n} imagery viewing {_plural(n, 'decision', 'decisions')} to record",
        "alert",
    )
    add(
        "stale",
        lambda n: f"{n} {_plural(n, 'incident', 'incidents')} with no action for 7 days",
        "alert",
    )
    add("ict", lambda n: f"{n} ICT {_plural(n, 'section', 'sections')} to complete")
    add(
        "unassigned",
        lambda n: f"{n} {_plural(n, 'incident needs', 'incidents need')} a handler",
    )
    add(
        "handling",
        lambda n: f"{n} {_plural(n, 'incident', 'incidents')} you are handling",
    )
    return items


PANELS = [Panel("incidents.waiting", _waiting, order=300)]
