"""Making incidents in tests through the real services."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from incidents.reports import services
from incidents.reports.models import Category, PersonKind, PersonRole, Severity
from incidents.reports.services import PersonNamed


def report(school, reporter, category=Category.CYBERBULLYING, **fields):
    """A report made now (by `reporter` of `school`)."""
    fields.setdefault("severity", Severity.MEDIUM)
    fields.setdefault("occurred_on", timezone.localdate() - dt.timedelta(days=1))
    fields.setdefault("description", "Something happened online that needs looking at.")
    fields.setdefault("submission_key", uuid.uuid4())
    if category == Category.SAFEGUARDING:
        fields.setdefault("safeguarding_kind", "online_abuse")
    incident, created = services.incident_report(
        school=school, reporter=reporter, category=category, **fields
    )
    assert created
    return incident


def subject(user, role=PersonRole.SUBJECT_OF_CONCERN) -> PersonNamed:
    return PersonNamed(role=role, kind=PersonKind.STAFF, staff_member=user)


def pupil(name="Zara Example", role=PersonRole.AFFECTED) -> PersonNamed:
    return PersonNamed(role=role, kind=PersonKind.PUPIL, name=name, year_group="Year 5")


def parent(name="Percy Parent", role=PersonRole.ALLEGED_PERPETRATOR) -> PersonNamed:
    return PersonNamed(role=role, kind=PersonKind.OUTSIDER, name=name, relationship="parent")


def concern_about(school, reporter, staff_member, **fields):
    """A staff-conduct concern naming `staff_member` as its subject."""
    fields.setdefault("description", "A concern about a colleague's conduct on a personal account.")
    return report(
        school, reporter, Category.STAFF_CONDUCT, people=[subject(staff_member)], **fields
    )


def triage(incident, actor, handler=None, **fields):
    fields.setdefault("category", incident.category)
    fields.setdefault("severity", incident.severity)
    fields.setdefault("reason", "Triaged for the test.")
    if fields["category"] == Category.SAFEGUARDING:
        fields.setdefault("safeguarding_kind", incident.safeguarding_kind or "online_abuse")
    return services.incident_triage(incident=incident, actor=actor, handler=handler or actor, **fields)
