"""The benchmark's audit pages (socialgov.benchmark.registry): the access log with entries by
past and present staff, and a history page."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from socialgov.audit.models import AccessAction, AccessLogEntry
from socialgov.benchmark.registry import GENERATORS, PAGES, Bench, Generator, Page, PageKind, Scale
from socialgov.people.models import Membership
from socialgov.people.roles import Role

PER_MEMBER = 4  # entries per current or former member (their reads of people's records)


def _promised(scale: Scale) -> dict[str, int]:
    from socialgov.people.benchmark import LEAVER_SHARE

    members = scale.staff + sum(scale.per_school(scale.staff * LEAVER_SHARE))
    return {"access log entries": members * PER_MEMBER}


def _counted(bench: Bench) -> dict[str, int]:
    return {"access log entries": AccessLogEntry.objects.filter(school__trust=bench.trust).count()}


def generate(bench: Bench) -> None:
    if AccessLogEntry.objects.filter(school__trust=bench.trust).exists():
        return
    content_type = ContentType.objects.get_for_model(Membership)
    now = timezone.now()
    memberships = list(
        Membership.objects.filter(school__trust=bench.trust)
        .order_by("pk")
        .values_list("pk", "user_id", "school_id")
    )
    rows = [
        AccessLogEntry(
            school_id=school_id,
            person_id=user_id,
            action=AccessAction.VIEWED,
            content_type=content_type,
            object_id=pk,
            description="Person's record",
            at=now - dt.timedelta(minutes=17 * n + index),
            ip_address="192.0.2.10",
        )
        for index, (pk, user_id, school_id) in enumerate(memberships)
        for n in range(PER_MEMBER)
    ]
    bench.bulk_create(AccessLogEntry, rows)


GENERATORS.register(
    Generator(name="access log", generate=generate, promised=_promised, counted=_counted, order=60)
)
PAGES.register(
    Page(
        name="access log",
        path=lambda bench, school: reverse("access_log"),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=90,
    )
)
PAGES.register(
    Page(
        name="history of the school",
        path=lambda bench, school: reverse("school_history", args=[school.pk]),
        as_role=Role.HEADTEACHER,
        kind=PageKind.LIST,
        order=91,
    )
)
