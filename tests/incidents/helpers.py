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
    services.incident_triage(incident=incident, actor=actor, handler=handler or actor, **fields)
    incident.refresh_from_db()  # the caller's object is up to date too
    return incident


def evidence_upload(name="screenshot.png"):
    """A small real PNG, as a browser would send it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def client_as(user):
    """A test client of its own, signed in as `user` (the `client_for` fixture reuses one)."""
    from django.test import Client

    from tests.conftest import sign_in_client

    return sign_in_client(Client(), user)


def close(incident, actor, **fields):
    fields.setdefault("reason", "Resolved.")
    fields.setdefault("lessons_learnt", "Pupils need to know how to report group chats.")
    fields.setdefault("governor_summary", "Online unkindness between pupils, resolved.")
    services.incident_close(incident=incident, actor=actor, **fields)
    incident.refresh_from_db()
    return incident


def make_each_record(school, staff, dsl, headteacher):
    """One of every append-only record: an ICT section, a harm-threshold decision, an imagery
    decision, evidence and a debrief (with the headteacher and DSL of `school`)."""
    technical = report(school, staff, Category.INAPPROPRIATE_CONTENT)
    triage(technical, headteacher)  # no network manager: it fell back to the headteacher
    services.incident_ict_record(
        incident=technical,
        actor=headteacher,
        action_taken="Blocked the site.",
        done_by=headteacher,
        done_on=timezone.localdate(),
    )
    concern = concern_about(school, dsl, staff)
    services.incident_threshold_decide(
        incident=concern,
        actor=headteacher,
        threshold_met=False,
        reasons="No risk to children.",
        context="A one-off comment.",
        action_taken="Spoken to.",
    )
    disclosure = report(school, staff, Category.SAFEGUARDING, safeguarding_kind="nude_images")
    services.incident_imagery_decide(
        incident=disclosure,
        actor=dsl,
        anyone_viewed=False,
        reason="Not needed: the pupil described it.",
        headteacher_informed=True,
    )
    bullying = report(school, staff, Category.CYBERBULLYING, evidence=[evidence_upload()])
    triage(bullying, dsl)
    close(bullying, dsl)
    return {
        "technical": technical,
        "concern": concern,
        "disclosure": disclosure,
        "closed": bullying,
    }
