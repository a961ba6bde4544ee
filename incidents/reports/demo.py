"""Demo incident reports for the fictional Riverside Learning Trust (text written for the demo;
pupils and parents are invented and named by initials).

Made through the real services, so routing, the chronology and notifications are as in real use
(everything is recorded as happening now, in order: a report is never back-dated):
- a laptop that reached an unsuitable site, with the network manager's ICT section done;
- cyberbullying handled by the DSL and closed with a debrief that flagged the social media policy
  for review;
- a parent's repeated postings, part-way up the escalation ladder;
- a concern about the headteacher's own online conduct, handled by the chair of governors (the
  headteacher sees it nowhere);
- a safeguarding disclosure about nude images waiting for the DSL team (no upload: the DSL
  records whether anyone viewed them);
- a photo published without consent, for the headteacher and the DPO;
- at Brookside, an attempt to get round the filtering.
Idempotent: each demo incident has a fixed submission key and is made once.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from incidents.reports import services
from incidents.reports.models import (
    ActionType,
    Category,
    Incident,
    OutsiderRelationship,
    PersonKind,
    PersonRole,
    SafeguardingKind,
    Severity,
    Status,
)
from incidents.reports.services import PersonNamed
from policies import selectors as policy_selectors
from socialgov.people.models import School, User

OAK, BROOK = "990101", "990102"
DOMAINS = {OAK: "oakfield.example.org.uk", BROOK: "brookside.example.org.uk"}


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://socialgov.invalid/demo/incidents/{name}")


def _person(urn: str, local: str) -> User:
    return User.objects.get(email=f"{local}@{DOMAINS[urn]}")


def _report(school, reporter, name, **fields) -> Incident | None:
    """The demo incident `name`, made now; None when it is already there."""
    if Incident.objects.filter(reporter=reporter, submission_key=_key(name)).exists():
        return None
    incident, _ = services.incident_report(
        school=school, reporter=reporter, submission_key=_key(name), **fields
    )
    return incident


def _laptop(oak) -> str | None:
    teacher, network = _person(OAK, "teacher"), _person(OAK, "network")
    incident = _report(
        oak,
        teacher,
        "laptop",
        category=Category.INAPPROPRIATE_CONTENT,
        severity=Severity.MEDIUM,
        occurred_on=timezone.localdate() - dt.timedelta(days=3),
        occurred_time=dt.time(13, 40),
        description="During wet play a Year 5 pupil searching for a game on class laptop 14 "
        "opened a site showing violent cartoon images. I closed the laptop at once; the pupil "
        "was upset but fine after we talked.",
        urls="https://games.example.net/unblocked/fight",
        platform="Class laptop 14 (Chrome)",
        people=[
            PersonNamed(
                role=PersonRole.AFFECTED, kind=PersonKind.PUPIL, name="R.K.", year_group="Year 5"
            )
        ],
    )
    if incident is None:
        return None
    services.incident_triage(
        incident=incident,
        actor=network,
        category=Category.INAPPROPRIATE_CONTENT,
        severity=Severity.MEDIUM,
        handler=network,
        reason="The filter missed a mirror of a blocked games site.",
    )
    services.incident_ict_record(
        incident=incident,
        actor=network,
        action_taken="Added the site and its mirrors to the block list; checked the filter "
        "logs for the rest of the week (no other visits); asked the filtering provider to "
        "categorise the domain.",
        done_by=network,
        done_on=timezone.localdate() - dt.timedelta(days=2),
    )
    services.incident_action_record(
        incident=incident,
        actor=network,
        action_type=ActionType.SITE_BLOCKED,
        done_by=network,
        notes="Blocked for all pupil groups.",
    )
    services.incident_status_change(
        incident=incident, actor=network, status=Status.ACTION_TAKEN, reason="Site blocked."
    )
    return incident.reference


def _cyberbullying(oak) -> str | None:
    ta, dsl = _person(OAK, "ta"), _person(OAK, "dsl")
    incident = _report(
        oak,
        ta,
        "cyberbullying",
        category=Category.CYBERBULLYING,
        severity=Severity.HIGH,
        occurred_on=timezone.localdate() - dt.timedelta(days=12),
        description="A Year 6 pupil showed me messages in a class group chat calling her names "
        "and telling her nobody wants her at the leavers' party. She said it has gone on for "
        "two weeks and she does not want to come to school.",
        platform="WhatsApp group chat",
        people=[
            PersonNamed(
                role=PersonRole.AFFECTED, kind=PersonKind.PUPIL, name="M.T.", year_group="Year 6"
            ),
            PersonNamed(
                role=PersonRole.ALLEGED_PERPETRATOR,
                kind=PersonKind.PUPIL,
                name="J.W.",
                year_group="Year 6",
            ),
        ],
    )
    if incident is None:
        return None
    services.incident_triage(
        incident=incident,
        actor=dsl,
        category=Category.CYBERBULLYING,
        severity=Severity.HIGH,
        handler=dsl,
        reason="Sustained name-calling affecting attendance.",
    )
    services.incident_status_change(
        incident=incident, actor=dsl, status=Status.INVESTIGATING, reason="Speaking to both."
    )
    for action_type, notes in (
        (ActionType.SUPPORT_OFFERED, "Daily check-ins with the class teacher agreed."),
        (ActionType.PARENT_SPOKEN_TO, "Both families spoken to; the group chat was closed."),
        (ActionType.SANCTION, "Loss of a privilege under the behaviour policy."),
    ):
        services.incident_action_record(
            incident=incident,
            actor=dsl,
            action_type=action_type,
            done_by=dsl,
            notes=notes,
        )
    services.incident_status_change(
        incident=incident, actor=dsl, status=Status.ACTION_TAKEN, reason="Actions agreed."
    )
    social_media = policy_selectors.policies_for_list(dsl, oak).filter(title="Social media policy")
    services.incident_close(
        incident=incident,
        actor=dsl,
        reason="No further messages for two weeks; the pupil is settled and attending.",
        lessons_learnt="Pupils did not know how to report a group chat. Year 6 online safety "
        "lessons should cover leaving and reporting group chats before the summer term.",
        governor_summary="Cyberbullying between two Year 6 pupils in an out-of-school group "
        "chat, resolved with support, family meetings and a sanction.",
        policies=list(social_media),
        policy_changes="Add how pupils and families report bullying in group chats, and who "
        "closes a class chat.",
    )
    return incident.reference


def _parent_postings(oak) -> str | None:
    slt, head = _person(OAK, "slt"), _person(OAK, "head")
    incident = _report(
        oak,
        slt,
        "parent-postings",
        category=Category.PARENT_CONDUCT,
        severity=Severity.MEDIUM,
        occurred_on=timezone.localdate() - dt.timedelta(days=20),
        description="A parent has posted three times in the local community Facebook group "
        "saying a named teacher 'picks on' their child, with the teacher's photo. Other "
        "parents are joining in.",
        urls="https://www.facebook.com/groups/millford-community/posts/1234",
        platform="Facebook community group",
        people=[
            PersonNamed(
                role=PersonRole.ALLEGED_PERPETRATOR,
                kind=PersonKind.OUTSIDER,
                name="Mr D.P.",
                relationship=OutsiderRelationship.PARENT,
            )
        ],
    )
    if incident is None:
        return None
    services.incident_triage(
        incident=incident,
        actor=head,
        category=Category.PARENT_CONDUCT,
        severity=Severity.MEDIUM,
        handler=head,
        reason="Repeated public posts naming a teacher.",
    )
    services.incident_status_change(
        incident=incident, actor=head, status=Status.INVESTIGATING, reason="Following the ladder."
    )
    services.incident_action_record(
        incident=incident,
        actor=head,
        action_type=ActionType.PARENT_SPOKEN_TO,
        done_by=head,
        notes="Met the parent; agreed to raise concerns with the school and remove the posts.",
    )
    services.incident_action_record(
        incident=incident,
        actor=head,
        action_type=ActionType.WRITTEN_REQUEST,
        done_by=head,
        notes="A fourth post appeared: letter sent asking for all the posts to be removed within "
        "seven days.",
    )
    return incident.reference


def _about_the_headteacher(oak) -> str | None:
    deputy, head, chair = _person(OAK, "deputy"), _person(OAK, "head"), _person(OAK, "chair")
    incident = _report(
        oak,
        deputy,
        "about-the-headteacher",
        category=Category.STAFF_CONDUCT,
        severity=Severity.MEDIUM,
        occurred_on=timezone.localdate() - dt.timedelta(days=2),
        description="A parent showed me that the headteacher's personal Instagram account "
        "follows several current parents and commented under one parent's post about a "
        "disagreement at the school gate.",
        platform="Instagram (personal account)",
        people=[
            PersonNamed(
                role=PersonRole.SUBJECT_OF_CONCERN, kind=PersonKind.STAFF, staff_member=head
            )
        ],
    )
    if incident is None:
        return None
    services.incident_triage(
        incident=incident,
        actor=chair,
        category=Category.STAFF_CONDUCT,
        severity=Severity.MEDIUM,
        handler=chair,
        reason="A concern about the headteacher: the chair is case manager.",
    )
    services.incident_threshold_decide(
        incident=incident,
        actor=chair,
        threshold_met=False,
        reasons="No child was harmed or put at risk; the conduct falls short of the staff code "
        "of conduct on personal accounts.",
        context="Personal account contact with current parents; one public comment about a "
        "school matter.",
        action_taken="Meeting arranged to discuss the code of conduct; the account to be made "
        "private and parents unfollowed.",
    )
    services.incident_status_change(
        incident=incident, actor=chair, status=Status.INVESTIGATING, reason="Meeting arranged."
    )
    return incident.reference


def _disclosure(oak) -> str | None:
    volunteer = _person(OAK, "volunteer")
    incident = _report(
        oak,
        volunteer,
        "disclosure",
        category=Category.SAFEGUARDING,
        safeguarding_kind=SafeguardingKind.NUDE_IMAGES,
        severity=Severity.HIGH,
        occurred_on=timezone.localdate(),
        occurred_time=dt.time(11, 15),
        description="At reading time a Year 6 pupil told me an older boy she met in an online "
        "game keeps asking her to send photos of herself 'with no top on'. She has not sent "
        "any. I did not look at her phone.",
        platform="Online game chat",
        people=[
            PersonNamed(
                role=PersonRole.AFFECTED, kind=PersonKind.PUPIL, name="A.B.", year_group="Year 6"
            )
        ],
    )
    return incident.reference if incident else None


def _photo(oak) -> str | None:
    marketing = _person(OAK, "marketing")
    incident = _report(
        oak,
        marketing,
        "photo",
        category=Category.IMAGE_WITHOUT_CONSENT,
        severity=Severity.MEDIUM,
        occurred_on=timezone.localdate() - dt.timedelta(days=1),
        description="A photo from sports day on the PTA's Facebook page shows a pupil whose "
        "family refused consent for social media.",
        urls="https://www.facebook.com/oakfieldpta/photos/987",
        platform="PTA Facebook page",
    )
    return incident.reference if incident else None


def _filter_bypass(brook) -> str | None:
    teacher = _person(BROOK, "teacher")
    incident = _report(
        brook,
        teacher,
        "filter-bypass",
        category=Category.FILTER_BYPASS,
        severity=Severity.LOW,
        occurred_on=timezone.localdate() - dt.timedelta(days=1),
        description="Several pupils were passing round the address of a web proxy to reach "
        "blocked video sites on the library computers.",
        platform="Library computers",
    )
    return incident.reference if incident else None


@transaction.atomic
def seed_incidents() -> list[str]:
    """The demo incidents (references of those added)."""
    oak, brook = School.objects.get(urn=OAK), School.objects.get(urn=BROOK)
    made = [
        _laptop(oak),
        _cyberbullying(oak),
        _parent_postings(oak),
        _about_the_headteacher(oak),
        _disclosure(oak),
        _photo(oak),
        _filter_bypass(brook),
    ]
    return [reference for reference in made if reference]


def seed_incidents_line() -> str:
    """The demo seeder (socialgov.demo): and what it added."""
    made = seed_incidents()
    if made:
        return f"Demo incidents added: {', '.join(made)}."
    return "Demo incidents are already in place."
