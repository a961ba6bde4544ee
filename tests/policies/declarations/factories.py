"""Declarations and exceptions made through the services, as people make them."""

from __future__ import annotations

import datetime as dt
import uuid

from policies.declarations import services
from policies.declarations.models import Concerns, ExceptionFor
from socialgov.dates import today
from socialgov.uploads.services import stored_file_create_from_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def declaration_for(person, *, school=None, **fields):
    school = school or person.memberships.get().school
    values = {
        "concerns": Concerns.FAMILY,
        "concerns_name": "My sister's son, in Year 3",
        "nature": "Family: we see each other at weekends and are friends on Facebook.",
        "platforms": "Facebook, WhatsApp",
        "since": dt.date(2015, 5, 1),
        **fields,
    }
    declaration, _ = services.declaration_make(
        school=school, declarer=person, submission_key=uuid.uuid4(), **values
    )
    return declaration


def decide(declaration, actor, **fields):
    values = {
        "outcome": "allowed",
        "advice": "Keep contact to family matters; never discuss school online.",
        "conditions": "No messages about school; tell the DSL if the pupil raises a concern.",
        "review_on": today() + dt.timedelta(days=365),
        "decisions_seen": declaration.decisions_made,
        **fields,
    }
    return services.declaration_decide(declaration=declaration, actor=actor, **values)


def exception_for(person, *, school=None, agreement=False, **fields):
    school = school or person.memberships.get().school
    values = {
        "for_kind": ExceptionFor.VISITOR,
        "for_name": "Visiting speech therapist",
        "rule": "Visitors do not use their own devices with pupils.",
        "reason": "Her assessment software runs on her own tablet only.",
        "risk_assessment": "No camera use; no internet connection during sessions.",
        "conditions": "Tablet stays in flight mode; sessions in the open-plan room.",
        "starts_on": today(),
        "ends_on": today() + dt.timedelta(days=90),
        **fields,
    }
    exception, _ = services.exception_request(
        school=school, actor=person, submission_key=uuid.uuid4(), **values
    )
    if agreement:
        exception.agreement = stored_file_create_from_bytes(
            school=school,
            created_by=person,
            content=PDF,
            name="agreement.pdf",
            content_type="application/pdf",
        )
        exception.save()
    return exception
