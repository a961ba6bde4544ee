"""Training sessions and attendance made through the services."""

from __future__ import annotations

import datetime as dt
import uuid

from socialgov.people.roles import Role
from socialgov.training import services
from tests.factories import person_in


def keeper_of(school):
    membership = school.memberships.filter(roles__role__in=[Role.OFFICE, Role.HEADTEACHER]).first()
    if membership is not None:
        return membership.user
    return person_in(school, Role.OFFICE, full_name="Ola Office")


def session_in(school, *, kind="induction", held_on=None, actor=None, title="Online safety"):
    session, _ = services.training_session_create(
        school=school,
        actor=actor or keeper_of(school),
        submission_key=uuid.uuid4(),
        title=title,
        kind=kind,
        held_on=held_on or dt.date(2026, 9, 2),
        provider="The DSL",
        minutes=60,
    )
    return session


def attended(session, *people, actor=None):
    services.attendance_record(
        session=session, actor=actor or keeper_of(session.school), people=people
    )
