"""Making blocked-content requests, checks and reviews in tests through the real services."""

from __future__ import annotations

import datetime as dt
import uuid

from incidents.filtering import services
from incidents.filtering.models import CheckResult, Device, Place, ReviewKind, UserGroup
from socialgov.dates import today


def request_for(school, requester, **fields):
    """A request made now by `requester` (waiting for the network manager's review)."""
    fields.setdefault("submission_key", uuid.uuid4())
    fields.setdefault("url", "https://video.example.com/watch?v=volcano")
    fields.setdefault("site_contents", "Short science videos, some with adverts.")
    fields.setdefault("reasons", "A video of an eruption for a Year 5 geography lesson.")
    fields.setdefault("risks", "Adverts and suggested videos beside the one we need.")
    fields.setdefault("control_measures", "Shown from the teacher's screen only, ads muted.")
    fields.setdefault("scope", "requester")
    fields.setdefault("end_date", today() + dt.timedelta(days=14))
    request, created = services.unblock_request_submit(school=school, requester=requester, **fields)
    assert created
    return request


def reviewed(request, network_manager, never_unblock=""):
    return services.unblock_request_review(
        request=request,
        actor=network_manager,
        technical_notes="Category: video streaming. Can be opened for one account.",
        never_unblock=never_unblock,
    )


def approved(request, network_manager, decider, days=14):
    request = reviewed(request, network_manager)
    return services.unblock_request_decide(
        request=request,
        actor=decider,
        outcome="approved",
        reasons="A clear teaching need, and the risks are controlled.",
        approved_until=today() + dt.timedelta(days=days),
    )


def unblocked(request, network_manager, decider, days=14):
    request = approved(request, network_manager, decider, days=days)
    return services.unblock_request_confirm_unblocked(
        request=request, actor=network_manager, notes="Opened for the teacher's account."
    )


def check_for(school, actor, **fields):
    fields.setdefault("submission_key", uuid.uuid4())
    fields.setdefault("checked_on", today())
    fields.setdefault("device", Device.LAPTOP)
    fields.setdefault("place", Place.CLASSROOM)
    fields.setdefault("user_group", UserGroup.PUPIL)
    fields.setdefault("tested", "The test sites for adult content and gambling.")
    fields.setdefault("result", CheckResult.BLOCKED)
    check, created = services.filtering_check_record(school=school, actor=actor, **fields)
    assert created
    return check


def review_for(school, actor, *, slt_lead, dsl, governor, it_provider=None, **fields):
    fields.setdefault("submission_key", uuid.uuid4())
    fields.setdefault("kind", ReviewKind.YEARLY)
    fields.setdefault("held_on", today())
    fields.setdefault("findings", "The filtering works as intended; guest Wi-Fi needs a look.")
    if it_provider is None:
        fields.setdefault("it_contractor", "Fen IT Services Ltd")
    review, created = services.filtering_review_record(
        school=school,
        actor=actor,
        slt_lead=slt_lead,
        dsl=dsl,
        governor=governor,
        it_provider=it_provider,
        **fields,
    )
    assert created
    return review
