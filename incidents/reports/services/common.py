"""Helpers every incident service uses: locking, permission checks, chronology entries and the
neutral notifications (link only: never a detail of the incident)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.reports import access as incident_access
from incidents.reports.models import (
    Category,
    EntryKind,
    Incident,
    IncidentEntry,
    PersonKind,
)
from socialgov.notifications.services import notification_send, notification_withdraw

NO_IMAGERY_MESSAGE = (
    "Nude or semi-nude images of a child are never uploaded, copied, printed or kept, not even "
    "as a screenshot (UK Council for Internet Safety advice). Do not attach anything for this "
    "kind of disclosure: describe what was shared, tell the DSL now, and the DSL records whether "
    "anyone needs to view the imagery."
)


def save(obj, actor) -> None:
    obj._history_user = actor
    obj.full_clean()
    obj.save()


def locked(incident: Incident) -> Incident:
    """The incident again, its row locked for the rest of the transaction."""
    return (
        # of=self: PostgreSQL cannot lock the nullable side of the outer join to the handler.
        Incident.objects.select_for_update(of=("self",))
        .select_related("school", "handler", "reporter")
        .get(pk=incident.pk)
    )


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_handler(actor, incident: Incident) -> None:
    require(
        incident_access.can_handle(actor, incident),
        "Only the people this incident is routed to, and its handler, can do this.",
    )


def require_open(incident: Incident) -> None:
    if not incident.is_open:
        raise ValidationError("This incident is closed: add a note or a correction instead.")


def entry_add(incident: Incident, actor, kind: str, **fields) -> IncidentEntry:
    entry = IncidentEntry(incident=incident, kind=kind, recorded_by=actor, **fields)
    entry.recorded_at = timezone.now()
    if "happened_at" not in fields:
        entry.happened_at = entry.recorded_at
    if "done_by" not in fields:
        entry.done_by = actor
    save(entry, actor)
    return entry


def incident_url(incident: Incident) -> str:
    return reverse("incident_detail", args=[incident.pk])


def notify(recipients: Iterable, incident: Incident, kind: str, *, besides=None, **context):
    """Tell each person (except `besides`) that there is something to look at: a link and the
    reference only. The notification is about the incident, so it disappears for anyone who may
    no longer see it."""
    sent = set()
    for recipient in recipients:
        if recipient is None or recipient.pk in sent or (besides and recipient.pk == besides.pk):
            continue
        sent.add(recipient.pk)
        notification_send(
            recipient=recipient,
            kind=kind,
            url=incident_url(incident),
            school=incident.school,
            context={"reference": incident.reference, **context},
            about=incident,
        )


def withdraw_from(people: Iterable, incident: Incident, *, actor) -> None:
    """Remove these people's notifications about the incident (they may no longer see it)."""
    people = [p for p in people if p is not None]
    if people:
        notification_withdraw(about=incident, recipients=people, actor=actor)


def clean_text(value: str) -> str:
    return (value or "").strip()


def one_line(value: str) -> str:
    return " ".join((value or "").split())


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """The names (or their first or last word) that `text` mentions, whole words, any case."""
    found = []
    for name in names:
        words = [w for w in one_line(name).split() if len(w) >= 3]
        candidates = {one_line(name), *(words[:1] + words[-1:])} - {""}
        for candidate in sorted(candidates, key=len, reverse=True):
            if re.search(rf"(?<!\w){re.escape(candidate)}(?!\w)", text, re.IGNORECASE):
                found.append(candidate)
                break
    return found


def people_names(incident: Incident) -> list[str]:
    """Everyone named in connection with the incident: its people, reporter and handler."""
    names = [p.display_name for p in incident.people.select_related("staff_member")]
    names.append(incident.reporter.full_name)
    if incident.handler is not None:  # no query when there is no handler
        names.append(incident.handler.full_name)
    return [n for n in names if n]


def pupil_involved(kinds: Iterable[str]) -> bool:
    return PersonKind.PUPIL in set(kinds)


def is_urgent(category: str) -> bool:
    """A safeguarding disclosure alerts the DSL team at once (in the app and by e-mail)."""
    return category == Category.SAFEGUARDING


__all__ = [
    "NO_IMAGERY_MESSAGE",
    "EntryKind",
    "clean_text",
    "entry_add",
    "incident_url",
    "is_urgent",
    "locked",
    "names_in",
    "notify",
    "one_line",
    "people_names",
    "pupil_involved",
    "require",
    "require_handler",
    "require_open",
    "save",
    "withdraw_from",
]
