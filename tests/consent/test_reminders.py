"""The register's reminders with the clock moved: the start of the academic year (no decision, or
needs re-confirming) and, on Mondays, yeses that stop counting within 30 days; to the office (or
whoever keeps the register), each once, with counts and no names."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from consent import services
from consent.reminders import EXPIRING, YEAR_START
from socialgov.people.models import Membership
from socialgov.reminders import registry
from socialgov.terms.models import TermDate
from tests.consent.factories import pupil_for, record, social_media

pytestmark = pytest.mark.django_db
YEAR = "Image consent register: the new academic year"
ENDING = "Image consent register: consents coming to an end"


@pytest.fixture(autouse=True)
def only_consent_reminders():
    with registry.only(YEAR_START, EXPIRING):
        yield


@pytest.fixture
def run_on(mailoutbox, django_capture_on_commit_callbacks):
    def run(day: dt.date) -> list[tuple[str, str]]:
        before = len(mailoutbox)
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        with (
            time_machine.travel(noon, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("send_reminders", stdout=io.StringIO())
        return sorted((m.subject, m.to[0]) for m in mailoutbox[before:])

    return run


@pytest.fixture
def register(school, office, headteacher):
    """A pupil with no decision, and one whose yes (valid one year) needs re-confirming from
    01/09/2027; another whose yes expires after 20/01/2027."""
    purpose = social_media(school)
    services.purpose_update(purpose=purpose, actor=headteacher, valid_for_years=1)
    purpose.refresh_from_db()
    pupil_for(school, office, legal_forename="Gap")
    yearly = pupil_for(school, office, legal_forename="Yearly")
    record(yearly, purpose, office, received_on=dt.date(2026, 10, 1))
    ending = pupil_for(school, office, legal_forename="Ending")
    record(
        ending, purpose, office, received_on=dt.date(2026, 10, 1), expires_on=dt.date(2027, 1, 20)
    )
    return purpose


def test_the_year_start_reminder_goes_to_the_office_once(register, office, run_on, mailoutbox):
    assert run_on(dt.date(2027, 8, 31)) == []
    assert run_on(dt.date(2027, 9, 1)) == [(YEAR, office.email)]
    assert run_on(dt.date(2027, 9, 1)) == []
    body = mailoutbox[-1].body
    assert "3 pupils on the roll have no decision" in body
    assert "1 yes needs re-confirming" in body
    assert "Gap" not in body and "Yearly" not in body


def test_the_year_starts_on_the_schools_autumn_term_when_recorded(school, register, office, run_on):
    for term, starts, ends in (("autumn", (2027, 9, 3), (2027, 12, 17)),
                               ("spring", (2028, 1, 4), (2028, 3, 31)),
                               ("summer", (2028, 4, 18), (2028, 7, 21))):  # fmt: skip
        TermDate.objects.create(school=school, academic_year=2027, term=term,
                                starts_on=dt.date(*starts), ends_on=dt.date(*ends))  # fmt: skip
    assert run_on(dt.date(2027, 9, 1)) == []
    assert run_on(dt.date(2027, 9, 3)) == [(YEAR, office.email)]


def test_with_no_office_the_dpo_is_reminded_and_with_neither_the_headteacher(
    school, register, office, dpo, headteacher, run_on
):
    Membership.objects.filter(user=office).update(leaving_date=dt.date(2027, 6, 1))
    assert run_on(dt.date(2027, 9, 1)) == [(YEAR, dpo.email)]
    Membership.objects.filter(user=dpo).update(leaving_date=dt.date(2027, 6, 1))
    assert run_on(dt.date(2028, 9, 1)) == [(YEAR, headteacher.email)]


def test_consents_ending_within_30_days_are_reminded_on_mondays(register, office, run_on):
    assert run_on(dt.date(2026, 12, 14)) == []  # the yes ends on 21/01/2027: 38 days away
    assert run_on(dt.date(2026, 12, 27)) == []  # a Sunday
    assert run_on(dt.date(2026, 12, 28)) == [(ENDING, office.email)]
    assert run_on(dt.date(2026, 12, 28)) == []
    assert run_on(dt.date(2027, 1, 4)) == [(ENDING, office.email)]
    assert run_on(dt.date(2027, 1, 25)) == []  # it has ended


def test_nothing_to_ask_for_sends_nothing(school, office, run_on):
    social_media(school)
    assert run_on(dt.date(2027, 9, 1)) == []
