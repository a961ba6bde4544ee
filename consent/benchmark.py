"""The benchmark's image consent register (socialgov.benchmark.registry): in every school the
default purposes, the school's share of the pupils in classes of 30, one or two parents each,
7.5 decisions per pupil on average (150,000 at trust scale, 20,000 pupils), their stored states,
a few photo restrictions; the grid, lookup, pupil, gaps and counts pages, the class sheet PDF and
an import of 2,000 pupils."""

from __future__ import annotations

import datetime as dt
import math

from django.urls import reverse
from django.utils import timezone

from consent import rules
from consent.models import (
    ConsentDecision,
    ConsentState,
    GivenBy,
    Method,
    Outcome,
    ParentCarer,
    PhotoRestriction,
    Pupil,
    Purpose,
    PurposeKind,
)
from consent.services.purposes import DEFAULT_PURPOSES
from consent.services.states import timelines_for
from socialgov.benchmark.registry import (
    GENERATORS,
    IMPORTS,
    PAGES,
    PDFS,
    Bench,
    Generator,
    ImportCase,
    Page,
    PageKind,
    PdfCase,
    Scale,
)
from socialgov.people.benchmark import FIRST_NAMES, SURNAMES
from socialgov.people.models import Membership
from socialgov.people.roles import Role

CLASS_SIZE = 30
YEARS = [0, 1, 2, 3, 4, 5, 6]  # reception to year 6
CONSENT_KINDS = [kind for kind, _, _, basis, _ in DEFAULT_PURPOSES if basis == "consent"]
RESTRICTED_EVERY = 250  # one pupil in 250 may not appear at all
FIRST_CLASS = "RA"
IMPORT_ROWS = 2000
UPN_BASE = 10**10  # benchmark UPNs: B + 11 digits + check; far from the import's


def class_of(number: int) -> tuple[int, str]:
    """(year group, class name) of a school's pupil number: classes of 30, RA, 1A, …, 6A, RB…"""
    index = number // CLASS_SIZE
    year = YEARS[index % len(YEARS)]
    letter = chr(ord("A") + index // len(YEARS))
    return year, f"{'R' if year == 0 else year}{letter}"


def _pupils_per_school(scale: Scale) -> list[int]:
    return scale.per_school(scale.pupils)


def _promised(scale: Scale) -> dict[str, int]:
    pupils = _pupils_per_school(scale)
    total = sum(pupils)
    kinds = len(CONSENT_KINDS)
    # Every other pupil of the trust (counted across schools) has a second parent.
    return {
        "consent purposes": scale.schools * len(DEFAULT_PURPOSES),
        "pupils": total,
        "parents and carers": total + math.ceil(total / 2),
        "consent decisions": kinds * (total + math.ceil(total / 2)),
        "consent states": sum(kinds * n for n in pupils),
        "photo restrictions": sum(
            sum(1 for i in range(n) if i % RESTRICTED_EVERY == 7) for n in pupils
        ),
    }


def _counted(bench: Bench) -> dict[str, int]:
    schools = bench.trust.schools.all()
    return {
        "consent purposes": Purpose.objects.filter(school__in=schools).count(),
        "pupils": Pupil.objects.filter(school__in=schools, upn__startswith="B").count(),
        "parents and carers": ParentCarer.objects.filter(school__in=schools).count(),
        "consent decisions": ConsentDecision.objects.filter(school__in=schools).count(),
        "consent states": ConsentState.objects.filter(school__in=schools).count(),
        "photo restrictions": PhotoRestriction.objects.filter(school__in=schools).count(),
    }


def _upn(school_index: int, number: int) -> str:
    n = UPN_BASE + school_index * 100_000 + number
    return f"B{n:011d}{n % 10}"


def _outcome(number: int, index: int, second: bool) -> tuple[str, dt.date]:
    """What a parent said for the `index`-th consent purpose (and when it was received)."""
    if not second:
        outcome = Outcome.REFUSED if (number + index) % 9 == 0 else Outcome.GRANTED
        return outcome, dt.date(2025, 9, 1) + dt.timedelta(days=number % 5)
    if index == 0 and number % 6 == 0:
        return Outcome.WITHDRAWN, dt.date(2026, 1, 12) + dt.timedelta(days=number % 20)
    outcome = Outcome.REFUSED if (number + index) % 11 == 0 else Outcome.GRANTED
    return outcome, dt.date(2025, 9, 8) + dt.timedelta(days=number % 5)


def generate(bench: Bench) -> None:
    schools = bench.schools
    if Purpose.objects.filter(school__in=schools).exists():
        return
    purposes = bench.bulk_create(
        Purpose,
        [
            Purpose(
                school=school, kind=kind, name=str(kind.label), description=description,
                media=media, audience=audience, lawful_basis=basis, order=order * 10,
            )
            for school in schools
            for order, (kind, media, audience, basis, description) in enumerate(DEFAULT_PURPOSES, 1)
        ],
    )  # fmt: skip
    consent_purposes = {
        school.pk: [p for kind in CONSENT_KINDS for p in purposes
                    if p.school_id == school.pk and p.kind == kind]
        for school in schools
    }  # fmt: skip
    offices = {
        m.school_id: m.user
        for m in Membership.objects.current()
        .filter(school__in=schools, roles__role=Role.OFFICE)
        .select_related("user")
    }
    dsls = {
        m.school_id: m.user
        for m in Membership.objects.current()
        .filter(school__in=schools, roles__role=Role.DSL)
        .select_related("user")
    }
    pupils = []
    for index, (school, count) in enumerate(
        zip(schools, _pupils_per_school(bench.scale), strict=True)
    ):
        for number in range(count):
            year, group = class_of(number)
            pupils.append(
                Pupil(
                    school=school,
                    legal_forename=bench.rng.choice(FIRST_NAMES),
                    legal_surname=bench.rng.choice(SURNAMES),
                    date_of_birth=dt.date(2020 - year, 1 + number % 12, 1 + number % 28),
                    year_group=year,
                    registration_group=group,
                    upn=_upn(index, number),
                    admission_number=f"{number:05d}",
                    admission_date=dt.date(2025 - year, 9, 1),
                )
            )
    pupils = bench.bulk_create(Pupil, pupils)
    numbers = {}
    carers = []
    counter: dict[int, int] = {}
    for pupil in pupils:
        number = counter.get(pupil.school_id, 0)
        counter[pupil.school_id] = number + 1
        numbers[pupil.pk] = number
        surname = pupil.legal_surname
        carers.append(ParentCarer(school_id=pupil.school_id, pupil=pupil,
                                  full_name=f"{bench.rng.choice(FIRST_NAMES)} {surname}",
                                  relationship="mother"))  # fmt: skip
        if len(numbers) % 2 == 1:  # every other pupil of the trust: a second parent
            carers.append(ParentCarer(school_id=pupil.school_id, pupil=pupil,
                                      full_name=f"{bench.rng.choice(FIRST_NAMES)} {surname}-Reid",
                                      relationship="father"))  # fmt: skip
    carers = bench.bulk_create(ParentCarer, carers)
    by_pupil: dict[int, list[ParentCarer]] = {}
    for carer in carers:
        by_pupil.setdefault(carer.pupil_id, []).append(carer)

    decisions, states = [], []
    for pupil in pupils:
        number = numbers[pupil.pk]
        office = offices[pupil.school_id]
        for index, purpose in enumerate(consent_purposes[pupil.school_id]):
            facts = []
            for second, carer in enumerate(by_pupil[pupil.pk]):
                outcome, received = _outcome(number, index, bool(second))
                method = Method.LETTER if outcome == Outcome.WITHDRAWN else Method.ENTRANT_FORM
                recorded_at = timezone.make_aware(dt.datetime.combine(received, dt.time(9)))
                decisions.append(
                    ConsentDecision(
                        school_id=pupil.school_id, pupil=pupil, purpose=purpose, outcome=outcome,
                        given_by=GivenBy.PARENT_CARER, carer=carer,
                        method=method,
                        received_on=received, effective_on=received, recorded_by=office,
                        recorded_at=recorded_at,
                    )
                )  # fmt: skip
                facts.append(
                    rules.DecisionFact(
                        pk=len(facts) + 1, person=f"carer:{carer.pk}", outcome=outcome,
                        received_on=received, effective_on=received, expires_on=None,
                        corrects_id=None, recorded_at=recorded_at,
                    )
                )  # fmt: skip
            timeline, presumed = timelines_for(decisions=facts, assessments=[], purpose=purpose)
            state = ConsentState(school_id=pupil.school_id, pupil=pupil, purpose=purpose)
            state.set_timelines(timeline, presumed)
            states.append(state)
    bench.bulk_create(ConsentDecision, decisions, batch_size=5000)
    bench.bulk_create(ConsentState, states, batch_size=5000)
    bench.bulk_create(
        PhotoRestriction,
        [
            PhotoRestriction(
                school_id=pupil.school_id, pupil=pupil, reason="Court order (benchmark)",
                starts_on=dt.date(2025, 10, 1), set_by=dsls[pupil.school_id],
            )
            for pupil in pupils
            if numbers[pupil.pk] % RESTRICTED_EVERY == 7
        ],
    )  # fmt: skip


GENERATORS.register(
    Generator(name="consent", generate=generate, promised=_promised, counted=_counted, order=200)
)


def _purpose(school, kind=PurposeKind.SOCIAL_MEDIA) -> Purpose:
    return Purpose.objects.get(school=school, kind=kind)


def _pupil(school) -> Pupil:
    return Pupil.objects.filter(school=school, admission_number="00000").get()


for page in (
    Page(
        name="consent register (class grid)",
        path=lambda bench, school: f"{reverse('consent_register')}?group={FIRST_CLASS}",
        as_role=Role.OFFICE,
        kind=PageKind.LIST,
        order=40,
    ),
    Page(
        name="consent lookup (a class, staff)",
        path=lambda bench, school: (
            f"{reverse('consent_lookup')}?group={FIRST_CLASS}&purpose={_purpose(school).pk}"
        ),
        as_role=Role.STAFF,
        kind=PageKind.LIST,
        order=41,
    ),
    Page(
        name="consent pupil page",
        path=lambda bench, school: reverse("consent_pupil_detail", args=[_pupil(school).pk]),
        as_role=Role.OFFICE,
        kind=PageKind.DETAIL,
        order=42,
    ),
    Page(
        name="consent gaps",
        path=lambda bench, school: reverse("consent_gaps"),
        as_role=Role.OFFICE,
        kind=PageKind.LIST,
        order=43,
    ),
    Page(
        name="consent pupil list",
        path=lambda bench, school: reverse("consent_pupil_list"),
        as_role=Role.OFFICE,
        kind=PageKind.LIST,
        order=44,
    ),
    Page(
        name="consent counts (governor)",
        path=lambda bench, school: reverse("consent_counts"),
        as_role=Role.GOVERNOR,
        kind=PageKind.LIST,
        order=45,
    ),
):
    PAGES.register(page)


def render_class_sheet(bench: Bench) -> bytes:
    from consent import selectors
    from socialgov.pdf import render_pdf

    school = bench.large
    on = timezone.localdate()
    purposes = list(selectors.active_purposes(school))
    rows = selectors.grid_rows(
        selectors.pupils_in_class(school, FIRST_CLASS, on), purposes, on, school=school
    )
    return render_pdf(
        template="consent/class_sheet_pdf.html",
        context={
            "title": f"Image consent: class {FIRST_CLASS}",
            "group_label": FIRST_CLASS,
            "purposes": purposes,
            "rows": rows,
            "must_not_appear": [r for r in rows if not any(c.allowed for c in r.cells)],
            "on": on,
            "generated_at": timezone.localtime(),
        },
        school=school,
    )


PDFS.register(PdfCase(name="consent class sheet (30 pupils)", render=render_class_sheet))


def pupil_import_rows(bench: Bench, rows: int) -> bytes:
    """A SIMS-style file of `rows` new pupils for the large school."""
    lines = ["Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg,UPN,Adno,Admission Date"]
    for number in range(rows):
        year, group = class_of(number)
        n = 9 * 10**10 + number
        lines.append(
            f"{bench.rng.choice(SURNAMES)},{bench.rng.choice(FIRST_NAMES)},,"
            f"01/0{1 + number % 9}/{2020 - year},Year {year or 'R'},{group}X,"
            f"C{n:011d}{n % 10},9{number:05d},01/09/2025"
        )
    return ("\n".join(lines) + "\n").encode()


def run_pupil_import(bench: Bench) -> str:
    """Preview and apply a file of 2,000 new pupils, as the office does it."""
    from consent import pupil_import

    school = bench.large
    actor = bench.person(school, Role.OFFICE)
    data = pupil_import_rows(bench, IMPORT_ROWS)
    preview = pupil_import.pupil_import_preview(school=school, data=data)
    result = pupil_import.pupil_import_apply(school=school, actor=actor, preview=preview)
    return f"{IMPORT_ROWS:,} rows: {result.created} created, {result.refused} refused"


IMPORTS.register(
    ImportCase(name=f"pupil CSV import, {IMPORT_ROWS:,} rows", run=run_pupil_import, goal_seconds=5)
)
