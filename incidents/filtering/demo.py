"""Demo blocked-content requests and the filtering record for the fictional Riverside Learning
Trust (text written for the demo). Made through the real services, so each step, its
notifications and its history are as in real use:
- at Oakfield, a request in each state: waiting for review, waiting for a decision, approved,
  unblocked, refused, refused outright (on a list nobody can override), ended and waiting to be
  blocked again, and one that ended and was blocked again;
- the named roles, a few checks this year (one not blocked, with its action) and last academic
  year's review with its actions.
Idempotent: each demo record has a fixed submission key and is made once.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction

from incidents.filtering import services
from incidents.filtering.models import (
    FilteringCheck,
    FilteringReview,
    FilteringRoles,
    UnblockRequest,
)
from socialgov.dates import today
from socialgov.people.models import School, User
from socialgov.terms.selectors import academic_year_bounds, academic_year_of

OAK = "990101"
DOMAIN = "oakfield.example.org.uk"


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://socialgov.invalid/demo/filtering/{name}")


def _person(local: str) -> User:
    return User.objects.get(email=f"{local}@{DOMAIN}")


REQUESTS = [
    # name, requester, url, contents, reasons, scope, days, steps
    (
        "volcano",
        "teacher",
        "https://video.example.net/watch?v=eruption-explained",
        "A video-sharing site: short science clips, with adverts and suggested videos.",
        "A three-minute clip of an eruption for the Year 5 volcanoes topic.",
        "class",
        14,
        "unblocked",
    ),
    (
        "poetry",
        "ta",
        "https://poems.example.org/children/",
        "An archive of children's poetry, with a comments section.",
        "Poems for the Year 3 reading group.",
        "requester",
        30,
        "review",
    ),
    (
        "chess",
        "volunteer",
        "https://chess.example.com/play",
        "An online chess site where players can message each other.",
        "For the lunchtime chess club.",
        "class",
        60,
        "decision",
    ),
    (
        "coding",
        "teacher",
        "https://code.example.io/projects",
        "A block-coding site where pupils share projects.",
        "Year 6 computing unit on games.",
        "whole_school",
        40,
        "approved",
    ),
    (
        "gaming",
        "ta",
        "https://games.example.net/unblocked/",
        "A site of browser games, some violent, built to get round school filters.",
        "A reward for good behaviour on Friday afternoons.",
        "class",
        7,
        "refused",
    ),
    (
        "listed",
        "volunteer",
        "http://banned.example.invalid/",
        "A site a pupil mentioned; the filter shows it as on a police list.",
        "To see what pupils were talking about.",
        "requester",
        1,
        "outright",
    ),
    (
        "museum",
        "teacher",
        "https://museum.example.org/virtual-tour",
        "A museum's virtual tour with a live chat feature.",
        "The Romans topic: a virtual visit.",
        "class",
        0,
        "reblocked",
    ),
    (
        "sports",
        "deputy",
        "https://sport.example.com/highlights",
        "Sports highlights with betting adverts.",
        "Clips for the PE department's assembly.",
        "all_staff",
        0,
        "expired",
    ),
]


def _request(oak, spec) -> str | None:
    name, who, url, contents, reasons, scope, days, step = spec
    requester = _person(who)
    if UnblockRequest.objects.filter(requester=requester, submission_key=_key(name)).exists():
        return None
    network, head, deputy = _person("network"), _person("head"), _person("deputy")
    request, _ = services.unblock_request_submit(
        school=oak,
        requester=requester,
        submission_key=_key(name),
        url=url,
        site_contents=contents,
        reasons=reasons,
        risks="Adverts, comments or links to other material beside what is needed.",
        control_measures="Used with an adult present, from the teacher's account or screen.",
        scope=scope,
        scope_detail="Year 5" if scope == "class" else "",
        end_date=today() + dt.timedelta(days=max(days, 0)),
    )
    if step == "review":
        return request.reference
    request = services.unblock_request_review(
        request=request,
        actor=network,
        technical_notes="The filter lists it as "
        + ("a banned site (police list)." if step == "outright" else "streaming or games."),
        never_unblock="terrorism" if step == "outright" else "",
    )
    if step in ("decision", "outright"):
        return request.reference
    decider = head if requester.pk != head.pk else deputy
    if step == "refused":
        services.unblock_request_decide(
            request=request,
            actor=decider,
            outcome="refused",
            reasons="Not needed for teaching, and the site is designed to get round the filter.",
        )
        return request.reference
    request = services.unblock_request_decide(
        request=request,
        actor=decider,
        outcome="approved",
        reasons="A clear teaching need; the control measures keep the risk low.",
        approved_until=today() + dt.timedelta(days=days),
    )
    if step == "approved":
        return request.reference
    request = services.unblock_request_confirm_unblocked(
        request=request, actor=network, notes="Opened for the named group only."
    )
    if step in ("expired", "reblocked"):
        # It ends today: the nightly expiry as of tomorrow marks it.
        services.unblock_requests_expire(today() + dt.timedelta(days=1))
        if step == "reblocked":
            request.refresh_from_db()
            services.unblock_request_confirm_reblocked(
                request=request, actor=network, notes="Blocked again; checked from a pupil login."
            )
    return request.reference


CHECKS = [
    ("laptop", "classroom", "pupil", "blocked", ""),
    ("tablet", "shared", "pupil", "blocked", ""),
    (
        "personal",
        "guest_wifi",
        "guest",
        "not_blocked",
        "Gambling category added to the guest Wi-Fi policy; tested again and blocked.",
    ),
    ("laptop", "staff", "staff", "blocked", ""),
]


def _record(oak) -> list[str]:
    made = []
    head, network = _person("head"), _person("network")
    if not FilteringRoles.objects.filter(school=oak).exists():
        services.filtering_roles_save(
            school=oak,
            actor=head,
            slt_lead=_person("deputy"),
            governor=_person("sgovernor"),
            it_provider=network,
        )
        made.append("filtering roles")
    for n, (device, place, group, result, actions) in enumerate(CHECKS):
        if FilteringCheck.objects.filter(
            checked_by=network, submission_key=_key(f"check-{n}")
        ).exists():
            continue
        services.filtering_check_record(
            school=oak,
            actor=network,
            submission_key=_key(f"check-{n}"),
            checked_on=today() - dt.timedelta(days=3 * n),
            device=device,
            place=place,
            user_group=group,
            tested="The test pages for adult content, gambling, violence and proxies.",
            result=result,
            actions=actions,
        )
        made.append("a check")
    if not FilteringReview.objects.filter(recorded_by=head, submission_key=_key("review")).exists():
        last_year = academic_year_of(today()) - 1
        held = academic_year_bounds(last_year)[0] + dt.timedelta(days=200)
        services.filtering_review_record(
            school=oak,
            actor=head,
            submission_key=_key("review"),
            kind="yearly",
            held_on=held,
            slt_lead=_person("deputy"),
            dsl=_person("dsl"),
            it_provider=network,
            governor=_person("sgovernor"),
            points={
                "risk_profile": "Two pupils with SEND use assistive tablets; several EAL pupils "
                "use translation sites, which stay open.",
                "blocked_allowed": "Video sites open for teachers only; games and proxies blocked.",
                "safeguarding_reports": "One report of a pupil reaching a violent cartoon site.",
                "teaching_needs": "Computing needs a coding site open for Years 5 and 6.",
                "device_use": "Staff phones use the staff Wi-Fi; pupils' phones stay in the "
                "office.",
                "related_policies": "Online safety and acceptable use policies checked.",
                "checks": "Termly checks from a pupil login in classrooms and the library.",
            },
            findings="The filtering works as intended; guest Wi-Fi needs its own checks.",
            actions=[
                services.ActionPlanned(
                    "Add the guest Wi-Fi to the termly checks",
                    network,
                    held + dt.timedelta(days=30),
                ),
            ],
        )
        made.append("last year's review")
    return made


@transaction.atomic
def seed_filtering() -> list[str]:
    oak = School.objects.get(urn=OAK)
    made = [ref for ref in (_request(oak, spec) for spec in REQUESTS) if ref]
    return made + _record(oak)


def seed_filtering_line() -> str:
    """The demo seeder (socialgov.demo): and what it added."""
    made = seed_filtering()
    if made:
        return f"Demo blocked-content requests and filtering record added: {', '.join(made)}."
    return "Demo blocked-content requests and filtering record are already in place."
