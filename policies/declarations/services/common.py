"""Helpers the declaration and exception services share."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model

from socialgov.notifications.services import notification_send
from socialgov.people.models import Membership


def save(obj, actor) -> None:
    obj._history_user = actor
    obj.full_clean(validate_constraints=False)
    obj.save()


def text(value: str | None) -> str:
    """Text as typed, without surrounding spaces and NUL characters."""
    return (value or "").replace("\x00", "").strip()


def one_line(value: str | None) -> str:
    return " ".join(text(value).split())


def holders(school_id: int, roles: Iterable[str]) -> list:
    """The active people holding any of `roles` in the school today (one query)."""
    memberships = (
        Membership.objects.current()
        .filter(school_id=school_id, roles__role__in=list(roles), user__is_active=True)
        .select_related("user")
        .distinct()
    )
    return list({m.user.pk: m.user for m in memberships}.values())


def notify(people, *, kind: str, url: str, school, about: Model, besides=None, context=None):
    """One notification each (never to `besides`): the link and plain words, no details."""
    for person in people:
        if besides is not None and person.pk == besides.pk:
            continue
        notification_send(
            recipient=person,
            kind=kind,
            url=url,
            school=school,
            context=dict(context or {}),
            about=about,
        )
