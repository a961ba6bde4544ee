"""Helpers that build pupils, purposes and decisions through the consent services (shared by the
consent tests and tests/url_cases.py). Everything stays in the pupil's school."""

from __future__ import annotations

import datetime as dt
import itertools

from consent import services
from consent.models import GivenBy, Method, Outcome, Purpose, PurposeKind, Relationship

_numbers = itertools.count(1)


def upn(n: int) -> str:
    return f"A{n:011d}{n % 10}"


def pupil_for(school, actor=None, **fields):
    """A pupil of `school` (added by `actor`, None: the command line), in class 3B by default."""
    n = next(_numbers)
    values = {
        "legal_forename": f"Pupil{n}",
        "legal_surname": f"Testname{n:04d}",
        "date_of_birth": dt.date(2016, 5, 1),
        "year_group": 3,
        "registration_group": "3B",
        "upn": upn(n),
        "admission_number": f"{n:05d}",
        "admission_date": dt.date(2020, 9, 1),
    }
    values.update(fields)
    return services.pupil_create(school=school, actor=actor, **values)


def default_purposes(school) -> dict[str, Purpose]:
    """The school's default purposes by kind (added on first use)."""
    services.purpose_defaults_create(school=school, actor=None)
    return {p.kind: p for p in Purpose.objects.filter(school=school)}


def social_media(school) -> Purpose:
    return default_purposes(school)[PurposeKind.SOCIAL_MEDIA]


def displays(school) -> Purpose:
    """A public-task purpose (allowed unless someone objects)."""
    return default_purposes(school)[PurposeKind.DISPLAYS]


def record(
    pupil,
    purpose,
    actor,
    outcome=Outcome.GRANTED,
    *,
    received_on=dt.date(2025, 9, 1),
    carer_name="Jane Parent",
    relationship=Relationship.MOTHER,
    by_pupil=False,
    method=Method.ENTRANT_FORM,
    **kw,
):
    """Record a decision (by default a mother's yes on the entrant form, 01/09/2025)."""
    if by_pupil:
        kw.update(given_by=GivenBy.PUPIL)
    else:
        kw.update(given_by=GivenBy.PARENT_CARER, carer_name=carer_name, relationship=relationship)
    return services.consent_decision_record(
        pupil=pupil,
        purpose=purpose,
        actor=actor,
        outcome=outcome,
        method=method,
        received_on=received_on,
        **kw,
    )


def status(pupil, purpose, on):
    return services.consent_check(pupils=[pupil], purpose=purpose, on=on).for_pupil(pupil).status


def add_pupils(school, count: int, *, group: str = "3B", start: int | None = None) -> list:
    """`count` more pupils in `group`, created in bulk (setup only: no services, no history)."""
    from consent.models import Pupil

    first = next(_numbers) * 10_000 if start is None else start
    return Pupil.objects.bulk_create(
        Pupil(
            school=school,
            legal_forename=f"Bulk{n}",
            legal_surname=f"Pupil{n:06d}",
            date_of_birth=dt.date(2016, 1, 1) + dt.timedelta(days=n % 300),
            year_group=3,
            registration_group=group,
            upn=upn(n),
            admission_number=f"{n:06d}",
        )
        for n in range(first, first + count)
    )
