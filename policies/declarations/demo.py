"""Demo declarations and policy exceptions for the fictional Riverside Learning Trust (all text
written for the demo), through the real services:

- Oakfield: a teaching assistant whose sister's son is in the school (allowed with conditions,
  decided by the DSL), a teacher friends online with a pupil's parents (waiting for a decision),
  a volunteer with nothing to declare; a pupil's phone for glucose monitoring (approved, ending
  soon).
- Brookside: a teacher still in touch with a former pupil (the contact must end); a teacher
  allowed a personal laptop for remote lessons after a risk assessment (approved).
Idempotent: a school that already has declarations is left as it is.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction

from policies.declarations import services
from policies.declarations.models import Declaration
from policies.models import Policy
from socialgov.dates import today
from socialgov.people.models import School, User


def _person(local: str, domain: str) -> User | None:
    return User.objects.filter(email=f"{local}@{domain}").first()


def _pupil(school, forename: str):
    from consent import selectors as consent_selectors

    return consent_selectors.current_pupils(school, today()).filter(legal_forename=forename).first()


def _policy(school, kind: str):
    return Policy.objects.filter(school=school, kind=kind).first() or (
        Policy.objects.filter(school=school).order_by("pk").first()
    )


def _declare(school, person, **fields):
    declaration, _ = services.declaration_make(
        school=school, declarer=person, submission_key=uuid.uuid4(), **fields
    )
    return declaration


def _decide(declaration, actor, **fields):
    return services.declaration_decide(
        declaration=declaration,
        actor=actor,
        decisions_seen=declaration.decisions_made,
        **fields,
    )


def _exception(school, requester, approver, **fields):
    exception, _ = services.exception_request(
        school=school, actor=requester, submission_key=uuid.uuid4(), **fields
    )
    return services.exception_approve(exception=exception, actor=approver)


def _oakfield(school: School, domain: str) -> int:
    ta, teacher = _person("ta", domain), _person("teacher", domain)
    dsl, head, volunteer = (
        _person("dsl", domain),
        _person("head", domain),
        _person("volunteer", domain),
    )
    if not all((ta, teacher, dsl, head, volunteer)):
        return 0
    on = today()
    nephew = _pupil(school, "Kacper")
    declaration = _declare(
        school,
        ta,
        concerns="pupil" if nephew else "family",
        concerns_name="My sister's son, in Year 2",
        pupil=nephew,
        nature=(
            "He is my nephew. I see him and his mum most weekends, and I am in the family "
            "WhatsApp group, where his mum sometimes posts photos."
        ),
        platforms="WhatsApp, Facebook",
        since=dt.date(2019, 4, 1),
    )
    _decide(
        declaration,
        dsl,
        outcome="allowed",
        advice=(
            "Family contact is fine. Keep school matters out of the family group, and do not "
            "comment on or share photos that show other pupils or the school."
        ),
        conditions=(
            "No messages about school or other pupils; pass any concern your sister raises "
            "about school to the class teacher; you will not be his one-to-one support."
        ),
        discussed_with="Helen Ashworth (headteacher) and Priya Raman (DSL), with Amira",
        review_on=on + dt.timedelta(days=300),
    )
    _declare(
        school,
        teacher,
        concerns="family",
        concerns_name="The parents of a Year 4 pupil",
        nature=(
            "We were friends on Instagram through the running club before their child joined "
            "my class this year."
        ),
        platforms="Instagram",
        since=dt.date(2022, 6, 1),
    )
    services.declaration_confirm(school=school, person=volunteer, kind="nothing")
    services.declaration_confirm(school=school, person=ta, kind="still_accurate")
    pupil = _pupil(school, "Maisie")
    _exception(
        school,
        dsl,
        head,
        for_kind="pupil",
        for_name="" if pupil else "A Year 4 pupil",
        pupil=pupil,
        policy=_policy(school, "mobile_technology"),
        rule="Pupils hand their phones in at the office at the start of the day.",
        reason="Her phone receives readings from her glucose monitor and alerts her to lows.",
        risk_assessment=(
            "The phone has parental controls, no social media apps and stays on silent. Her "
            "teacher and the first aiders know what the alerts mean."
        ),
        conditions=(
            "Kept in her bag or on the teacher's desk; used only to check readings; no "
            "camera use in school."
        ),
        starts_on=on - dt.timedelta(days=160),
        ends_on=on + dt.timedelta(days=20),
    )
    return 2


def _brookside(school: School, domain: str) -> int:
    teacher, dsl, head = (_person(x, domain) for x in ("teacher", "dsl", "head"))
    if not all((teacher, dsl, head)):
        return 0
    on = today()
    declaration = _declare(
        school,
        teacher,
        concerns="former_pupil",
        concerns_name="A pupil who left Year 11 last summer",
        nature="They still send me messages on Snapchat asking for help with college work.",
        platforms="Snapchat",
        since=dt.date(2025, 7, 20),
    )
    _decide(
        declaration,
        dsl,
        outcome="must_end",
        advice=(
            "Stop replying on Snapchat and remove the contact. Send one short message through "
            "the school e-mail pointing them to their college tutor and the school's alumni "
            "adviser."
        ),
        discussed_with="Robert Clarke (headteacher) and Fiona MacLeod (DSL)",
        review_on=on + dt.timedelta(days=60),
    )
    _exception(
        school,
        dsl,
        head,
        for_kind="staff",
        for_name="",
        staff_member=teacher,
        policy=_policy(school, "staff_aup"),
        rule="Staff use only school devices for teaching and pupil data.",
        reason="His school laptop is away for repair during the exam revision webinars.",
        risk_assessment=(
            "The personal laptop is encrypted, has up-to-date antivirus and a separate user "
            "account; lessons run in the school's Teams tenancy only; no pupil data saved locally."
        ),
        conditions="Only for the scheduled webinars; signed agreement on file; ends when the "
        "school laptop is back.",
        starts_on=on - dt.timedelta(days=10),
        ends_on=on + dt.timedelta(days=150),
    )
    return 1


@transaction.atomic
def seed_declarations_line() -> str:
    """The demo seeder (socialgov.demo): declarations and exceptions in both demo schools."""
    added = 0
    for urn, domain, seed in (
        ("990101", "oakfield.example.org.uk", _oakfield),
        ("990102", "brookside.example.org.uk", _brookside),
    ):
        school = School.objects.filter(urn=urn).first()
        if school is None or Declaration.objects.filter(school=school).exists():
            continue
        added += seed(school, domain)
    if not added:
        return "Demo declarations and exceptions are already in place."
    return f"Demo declarations and exceptions added: {added} decisions in 2 schools."
