"""Issue 11, deliverable 5: one check. The register grid and the class sheet (grid_rows, from the
stored states) give each pupil exactly what `consent_check` gives, for every reason, on dates
either side of the changes; the lookup calls `consent_check` itself."""

import datetime as dt

import pytest

from consent import selectors, services
from consent.check import consent_check
from consent.models import Outcome
from consent.rules import Status
from tests.consent.factories import default_purposes, pupil_for, record

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_grid_and_the_sheet_agree_with_the_check_for_every_reason(
    school, office, dsl, headteacher
):
    purposes = default_purposes(school)
    website, displays, press = purposes["website"], purposes["displays"], purposes["press"]
    services.purpose_update(purpose=press, actor=headteacher, valid_for_years=1)
    press.refresh_from_db()

    def pupil(name):
        return pupil_for(school, office, legal_forename=name, registration_group="6T")

    granted, refused, withdrawn, expiring, later, objecting, restricted, silent, leaving = (
        pupil(name) for name in ("Ann", "Bea", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy")
    )
    for p in (granted, withdrawn, restricted, leaving):
        record(p, website, office, received_on=D(2025, 9, 1))
        record(p, press, office, received_on=D(2025, 9, 1))
    record(refused, website, office, Outcome.REFUSED, received_on=D(2025, 9, 1))
    record(withdrawn, website, office, Outcome.WITHDRAWN, received_on=D(2026, 3, 2))
    record(expiring, website, office, received_on=D(2025, 9, 1), expires_on=D(2026, 3, 31))
    record(later, website, office, received_on=D(2026, 3, 1), effective_on=D(2026, 4, 20))
    record(objecting, displays, office, Outcome.OBJECTED, received_on=D(2025, 9, 1))
    services.photo_restriction_set(
        pupil=restricted, actor=dsl, reason="Court order", starts_on=D(2026, 3, 1)
    )
    services.pupil_mark_left(pupil=leaving, actor=office, leaving_date=D(2026, 7, 22))
    everyone = [granted, refused, withdrawn, expiring, later, objecting, restricted, silent,
                leaving]  # fmt: skip

    seen: set[Status] = set()
    for on in (D(2026, 2, 28), D(2026, 3, 2), D(2026, 4, 1), D(2026, 4, 20), D(2026, 9, 2)):
        rows = selectors.grid_rows(
            selectors.pupils_in_class(school, "6T", on), [website, displays, press], on,
            school=school,
        )  # fmt: skip
        for purpose in (website, displays, press):
            checked = consent_check(pupils=everyone, purpose=purpose, on=on)
            for row in rows:
                cell = next(c for c in row.cells if c.purpose == purpose)
                expected = checked.for_pupil(row.pupil).status
                assert cell.status == expected, (row.pupil, purpose, on)
                seen.add(expected)
            seen.update(checked.for_pupil(p).status for p in everyone)
    assert seen >= {
        Status.ALLOWED, Status.NO_DECISION, Status.REFUSED, Status.WITHDRAWN, Status.EXPIRED,
        Status.NOT_YET_EFFECTIVE, Status.OBJECTED, Status.RESTRICTED, Status.NEEDS_RECONFIRMING,
        Status.LEFT,
    }  # fmt: skip
