"""The training log in the benchmark (socialgov.benchmark.registry): a year of sessions in every
school (an induction, two refreshers, a filtering and monitoring course) and who attended (most
staff and governors, with gaps), so the coverage page shows people up to date, due and overdue;
the coverage page for the DSL, the sessions list and a member of staff's own record."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import reverse

from socialgov.benchmark.registry import GENERATORS, PAGES, Bench, Generator, Page, PageKind, Scale
from socialgov.dates import today
from socialgov.people.models import Membership
from socialgov.people.roles import Role
from socialgov.training.models import TrainingAttendance, TrainingSession

# (title, kind, days ago, every nth member of staff missed it)
SESSIONS = [
    ("Induction: online safety", "induction", 400, 5),
    ("Autumn refresher", "refresher", 380, 3),
    ("Spring refresher", "refresher", 120, 4),
    ("Filtering and monitoring", "filtering", 60, 2),
]


def _promised(scale: Scale) -> dict[str, int]:
    sessions = len(SESSIONS) * scale.schools
    attendances = sum(
        sum(1 for n in range(staff) if n % miss)
        for staff in scale.per_school(scale.staff)
        for _title, _kind, _days, miss in SESSIONS
    )
    return {"training sessions": sessions, "training attendances": attendances}


def _counted(bench: Bench) -> dict[str, int]:
    return {
        "training sessions": TrainingSession.objects.filter(school__trust=bench.trust).count(),
        "training attendances": TrainingAttendance.objects.filter(
            school__trust=bench.trust
        ).count(),
    }


def generate(bench: Bench) -> None:
    if TrainingSession.objects.filter(school__trust=bench.trust).exists():
        return
    on = today()
    staff_by_school: dict[int, list] = {}
    for membership in (
        Membership.objects.current().filter(school__trust=bench.trust).order_by("user__email")
    ):
        staff_by_school.setdefault(membership.school_id, []).append(membership.user_id)
    sessions = []
    for school in bench.schools:
        keeper = bench.person(school, Role.HEADTEACHER)
        for number, (title, kind, days_ago, _miss) in enumerate(SESSIONS):
            sessions.append(
                TrainingSession(
                    school=school,
                    submission_key=uuid.UUID(int=(school.pk << 32) + number),
                    title=title,
                    kind=kind,
                    held_on=on - dt.timedelta(days=days_ago),
                    provider="The DSL",
                    minutes=60,
                    created_by=keeper,
                )
            )
    sessions = bench.bulk_create(TrainingSession, sessions)
    attendances = []
    for session in sessions:
        miss = next(m for t, k, d, m in SESSIONS if t == session.title)
        keeper_id = session.created_by_id
        members = staff_by_school.get(session.school_id, [])
        for n, user_id in enumerate(members):
            if n % miss:
                attendances.append(
                    TrainingAttendance(
                        session=session,
                        school_id=session.school_id,
                        person_id=user_id,
                        kind=session.kind,
                        held_on=session.held_on,
                        source="import",
                        recorded_by_id=keeper_id,
                    )
                )
    bench.bulk_create(TrainingAttendance, attendances)


GENERATORS.register(
    Generator(
        name="training",
        generate=generate,
        promised=_promised,
        counted=_counted,
        order=260,
    )
)
PAGES.register(
    Page(
        name="training coverage (DSL)",
        path=lambda bench, school: reverse("training_in_school", args=[school.pk, "coverage"]),
        as_role=Role.DSL,
        kind=PageKind.LIST,
    )
)
PAGES.register(
    Page(
        name="training sessions (office)",
        path=lambda bench, school: reverse("training_session_list"),
        as_role=Role.OFFICE,
        kind=PageKind.LIST,
    )
)
PAGES.register(
    Page(
        name="my training (member of staff)",
        path=lambda bench, school: reverse("training_in_school", args=[school.pk, "mine"]),
        as_role=Role.STAFF,
        kind=PageKind.DETAIL,
    )
)
