"""The benchmark's notifications (socialgov.benchmark.registry): an inbox for everyone, a long
one for the school leaders, and the notifications page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from socialgov.benchmark.registry import GENERATORS, PAGES, Bench, Generator, Page, PageKind, Scale
from socialgov.notifications.models import Notification
from socialgov.people.models import Membership
from socialgov.people.roles import Role

PER_LEADER = 60  # the headteacher and the DSL of each school
PER_PERSON = 3
LEADERS = (Role.HEADTEACHER, Role.DSL)


def _promised(scale: Scale) -> dict[str, int]:
    return {"notifications": scale.schools * len(LEADERS) * PER_LEADER + scale.staff * PER_PERSON}


def _counted(bench: Bench) -> dict[str, int]:
    return {"notifications": Notification.objects.filter(school__trust=bench.trust).count()}


def generate(bench: Bench) -> None:
    if Notification.objects.filter(school__trust=bench.trust).exists():
        return
    now = timezone.now()
    rows = []
    current = (
        Membership.objects.current()
        .filter(school__trust=bench.trust)
        .prefetch_related("roles")
        .order_by("pk")
    )
    for membership in current.iterator(chunk_size=2000):
        leader = bool(membership.role_names & set(LEADERS))
        for number in range(PER_PERSON + (PER_LEADER if leader else 0)):
            at = now - dt.timedelta(hours=number * 7 + 1)
            rows.append(
                Notification(
                    recipient_id=membership.user_id,
                    school_id=membership.school_id,
                    kind="notice",
                    title="A policy is waiting for you to read and sign",
                    url=reverse("policy_list"),
                    created_at=at,
                    read_at=at if number % 4 else None,
                    emailed_at=at,
                )
            )
    bench.bulk_create(Notification, rows)


GENERATORS.register(
    Generator(
        name="notifications", generate=generate, promised=_promised, counted=_counted, order=50
    )
)
PAGES.register(
    Page(
        name="notifications",
        path=lambda bench, school: reverse("notification_list"),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=80,
    )
)
