"""Demo image consent for the fictional Riverside Learning Trust (names and letters written for
the demo). In each school: the default purposes, pupils in several classes, and the mix the
office meets — yeses and noes from the entrant forms, a withdrawal received by letter (with its
scan), two parents who disagree, a competent pupil who refused what a parent granted, a pupil
who may not appear at all (a photo restriction) and a leaver.

Created through the real services, by the school's office, DSL and headteacher. Idempotent: a
school that already has pupils is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from consent import services
from consent.models import Outcome, Pupil, Purpose, PurposeKind
from socialgov.dates import today
from socialgov.pdf import render_pdf
from socialgov.people.models import School, User
from socialgov.terms.selectors import academic_year_of

# (school URN, domain, classes: (class, year group, pupils as (forename, surname, preferred)))
SCHOOLS = [
    (
        "990101",
        "oakfield.example.org.uk",
        [
            ("RW", 0, [("Poppy", "Ashcroft", ""), ("Ibrahim", "Nasser", ""),
                       ("Ruby", "Delaney", ""), ("Theo", "Marsh", ""), ("Layla", "Okoye", "")]),
            ("2K", 2, [("Florence", "Whitby", "Flo"), ("Kacper", "Nowak", ""),
                       ("Hannah", "Lister", ""), ("Samuel", "Adebayo", "Sam"),
                       ("Imogen", "Clegg", ""), ("Riya", "Chauhan", "")]),
            ("4M", 4, [("Edward", "Thorne", "Ted"), ("Maisie", "Quinn", ""),
                       ("Aarav", "Joshi", ""), ("Elsie", "Fairbairn", ""),
                       ("Jude", "Pemberton", ""), ("Nia", "Howells", "")]),
            ("6T", 6, [("Olivia", "Garside", ""), ("Reuben", "Castle", ""),
                       ("Amara", "Eze", ""), ("Finlay", "Rowntree", ""),
                       ("Hafsa", "Rahman", ""), ("Louis", "Beaumont", "")]),
        ],
    ),
    (
        "990102",
        "brookside.example.org.uk",
        [
            ("7B", 7, [("Daisy", "Holloway", ""), ("Kai", "Lindqvist", ""),
                       ("Maryam", "Siddiqui", ""), ("Connor", "Bradshaw", ""),
                       ("Tallulah", "Vance", "Lula")]),
            ("9R", 9, [("Aidan", "Kearney", ""), ("Phoebe", "Sandhu", ""),
                       ("Marcus", "Oyelaran", ""), ("Evie", "Ledger", ""),
                       ("Tomasz", "Wójcik", "Tom")]),
            ("11S", 11, [("Grace", "Penhaligon", ""), ("Zain", "Mirza", ""),
                         ("Bethany", "Crowther", "Beth"), ("Oscar", "Lindley", ""),
                         ("Anya", "Petrova", "")]),
        ],
    ),
]  # fmt: skip
LETTER = (
    "<p>Dear Mrs Moss,</p>"
    "<p>Following our conversation at the school gate, I am writing to withdraw my consent for "
    "photographs of my son Theo to be used on the school's social media accounts, with immediate "
    "effect. I am happy for photos to stay on classroom displays.</p>"
    "<p>Thank you for your help.</p>"
    "<p>Yours sincerely,<br>Clare Marsh</p>"
)


def _person(local: str, domain: str) -> User:
    return User.objects.get(email=f"{local}@{domain}")


def _letter_scan() -> SimpleUploadedFile:
    content = render_pdf(
        template="consent/demo_letter_pdf.html", context={"title": "Letter", "letter": LETTER}
    )
    return SimpleUploadedFile(
        "Letter from Clare Marsh.pdf", content, content_type="application/pdf"
    )


def _birthday(year_group: int, number: int, on: dt.date) -> dt.date:
    """A birthday that puts the pupil in `year_group` this academic year."""
    born_in = academic_year_of(on) - year_group - 5
    return dt.date(born_in, 9, 1) + dt.timedelta(days=(number * 47) % 360)


@transaction.atomic
def seed_school(urn: str, domain: str, classes) -> int:
    school = School.objects.get(urn=urn)
    if Pupil.objects.filter(school=school).exists():
        return 0
    office = _person("office", domain)
    dsl = _person("dsl", domain)
    head = _person("head", domain)
    services.purpose_defaults_create(school=school, actor=head)
    purposes = {p.kind: p for p in Purpose.objects.filter(school=school)}
    on = today()
    year_start = dt.date(academic_year_of(on), 9, 1)
    forms_back = year_start - dt.timedelta(days=50)  # entrant forms come back in July
    pupils = []
    number = 0
    for group, year, names in classes:
        for forename, surname, preferred in names:
            number += 1
            pupils.append(
                services.pupil_create(
                    school=school,
                    actor=office,
                    legal_forename=forename,
                    legal_surname=surname,
                    preferred_forename=preferred,
                    date_of_birth=_birthday(year, number, on),
                    year_group=year,
                    registration_group=group,
                    upn=f"{'KL'[urn == '990102']}{int(urn) * 10**5 + number:011d}{number % 10}",
                    admission_number=f"{number:04d}",
                    admission_date=year_start - dt.timedelta(days=365 * (year + 1)),
                )
            )
    consent_kinds = [k for k, p in purposes.items() if p.needs_consent]

    def record(pupil, kind, outcome, *, parent="mother", name=None, **kw):
        kw.setdefault("received_on", forms_back)
        kw.setdefault("method", "entrant_form")
        name = name or f"{_parent_first(pupil)} {pupil.legal_surname}"
        services.consent_decision_record(
            pupil=pupil, purpose=purposes[kind], actor=office, outcome=outcome,
            given_by="parent_carer", carer_name=name, relationship=parent, **kw,
        )  # fmt: skip

    # Most families said yes to everything on the entrant form; some said no to some uses; a
    # few forms have not come back (gaps).
    for index, pupil in enumerate(pupils):
        if index % 7 == 5:
            continue  # form not returned yet
        for position, kind in enumerate(consent_kinds):
            outcome = Outcome.REFUSED if (index + position) % 5 == 0 else Outcome.GRANTED
            record(pupil, kind, outcome)
        if index % 6 == 1:
            record(pupil, PurposeKind.PARENT_PORTAL, Outcome.OBJECTED)

    by_name = {p.legal_forename: p for p in pupils}
    if urn == "990101":
        # A withdrawal received by letter, with its scan: Theo may no longer appear on social media.
        theo = by_name["Theo"]
        record(
            theo, PurposeKind.SOCIAL_MEDIA, Outcome.WITHDRAWN, name="Clare Marsh", method="letter",
            received_on=max(on - dt.timedelta(days=6), forms_back + dt.timedelta(days=1)),
            evidence=_letter_scan(), note="Handed in at the office. Displays are still fine.",
        )  # fmt: skip
        # Two parents who disagree: one grants, the other refuses; the refusal wins.
        jude = by_name["Jude"]
        record(jude, PurposeKind.PRESS, Outcome.GRANTED, name="Kate Pemberton")
        record(jude, PurposeKind.PRESS, Outcome.REFUSED, parent="father", name="Neil Pemberton",
               method="email", received_on=forms_back + dt.timedelta(days=3))  # fmt: skip
        # A pupil who must never be identifiable (adopted; only the DSL and head see why).
        services.photo_restriction_set(
            pupil=by_name["Amara"], actor=dsl,
            reason="Adopted in 2024. Birth family must not be able to trace her school; no images "
            "in anything that leaves the classroom, group shots included.",
        )  # fmt: skip
        # A leaver at the end of this week.
        services.pupil_mark_left(
            pupil=by_name["Louis"], actor=office, leaving_date=on + dt.timedelta(days=4)
        )
    else:
        # A competent pupil who refused what a parent granted: her refusal counts.
        grace = by_name["Grace"]
        record(grace, PurposeKind.WEBSITE, Outcome.GRANTED)
        services.competence_assessment_record(
            pupil=grace, actor=dsl, assessed_by=dsl, assessed_on=forms_back + dt.timedelta(days=5),
            competent=True,
            note="Talked it through in her tutor time: knows who sees the website and that she "
            "can change her mind.",
        )  # fmt: skip
        services.consent_decision_record(
            pupil=grace, purpose=purposes[PurposeKind.WEBSITE], actor=office,
            outcome=Outcome.REFUSED, given_by="pupil", method="in_person",
            received_on=forms_back + dt.timedelta(days=6),
            note="Came to the office herself: does not want her photo on the website.",
        )  # fmt: skip
        # A pupil's own refusal with no assessment yet: it waits for the DSL team.
        services.consent_decision_record(
            pupil=by_name["Zain"], purpose=purposes[PurposeKind.SOCIAL_MEDIA], actor=office,
            outcome=Outcome.REFUSED, given_by="pupil", method="in_person",
            received_on=max(on - dt.timedelta(days=2), forms_back),
        )  # fmt: skip
        # A leaver who left last term.
        services.pupil_mark_left(
            pupil=by_name["Oscar"], actor=office, leaving_date=year_start - dt.timedelta(days=40)
        )
    return len(pupils)


PARENT_FIRST = ["Sarah", "Joanne", "Priya", "Lucy", "Amina", "Rachel", "Helen", "Marta", "Chloe"]
# The parents the demo's stories are about.
NAMED_PARENTS = {"Theo": "Clare", "Jude": "Kate"}


def _parent_first(pupil) -> str:
    return NAMED_PARENTS.get(pupil.legal_forename) or PARENT_FIRST[pupil.pk % len(PARENT_FIRST)]


def seed_consent_line() -> str:
    """The demo seeder (socialgov.demo): each school's pupils and consents, and what was added."""
    added = [seed_school(urn, domain, classes) for urn, domain, classes in SCHOOLS]
    if not any(added):
        return "Demo image consent is already in place."
    return f"Demo image consent added: {sum(added)} pupils in {len(SCHOOLS)} schools."
