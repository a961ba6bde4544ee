"""Demo training log for the fictional Riverside Learning Trust, through the real services: a
year of sessions in each school (an induction day, the September refresher, a governors'
session, the DSL's filtering and monitoring course) with gaps: a volunteer and a new teacher
who missed their training, a governor whose refresher is more than a year old.
Idempotent: a school that already has sessions is left as it is."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction

from socialgov.dates import today
from socialgov.people.models import Membership, School, User
from socialgov.training import services
from socialgov.training.models import TrainingSession

# (title, kind, days ago, provider, minutes, who attended: local parts, or "*" for everyone
# except those listed in MISSED)
SESSIONS = [
    ("Online safety at induction", "induction", 420, "The DSL", 90, "*"),
    ("Governors: online safety and filtering", "refresher", 400, "The trust's DSL", 60,
     ["governor", "sgovernor", "clerk"]),
    ("September refresher: social media and the AUP", "refresher", 90, "The DSL", 60, "*"),
    ("Filtering and monitoring for leads", "filtering", 60, "Our IT provider", 120,
     ["dsl", "head", "network"]),
    ("Governors: online safety update", "refresher", 45, "The trust's DSL", 45,
     ["chair", "sgovernor"]),
]  # fmt: skip
MISSED = {"volunteer", "teacher", "governor", "clerk", "chair"}


def _people(school: School) -> dict[str, User]:
    memberships = Membership.objects.current().filter(school=school).select_related("user")
    return {m.user.email.split("@")[0]: m.user for m in memberships}


def _seed_school(school: School) -> int:
    people = _people(school)
    keeper = people.get("dsl") or people.get("head")
    if keeper is None:
        return 0
    on = today()
    for title, kind, days_ago, provider, minutes, who in SESSIONS:
        session, _ = services.training_session_create(
            school=school,
            actor=keeper,
            submission_key=uuid.uuid4(),
            title=title,
            kind=kind,
            held_on=on - dt.timedelta(days=days_ago),
            provider=provider,
            minutes=minutes,
        )
        if who == "*":
            attendees = [
                p for local, p in people.items()
                if local not in MISSED and local not in {"governor", "sgovernor"}
            ]  # fmt: skip
        else:
            attendees = [people[local] for local in who if local in people]
        if attendees:
            services.attendance_record(session=session, actor=keeper, people=attendees)
    return len(SESSIONS)


@transaction.atomic
def seed_training_line() -> str:
    """The demo seeder (socialgov.demo): a year of training sessions in each demo school."""
    added = 0
    for urn in ("990101", "990102"):
        school = School.objects.filter(urn=urn).first()
        if school is None or TrainingSession.objects.filter(school=school).exists():
            continue
        added += _seed_school(school)
    if not added:
        return "Demo training log is already in place."
    return f"Demo training log added: {added} sessions."
