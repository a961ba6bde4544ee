"""The check, `consent_check(*, pupils, purpose, on)`: every reason, with dates either side of the
day it starts to apply; the parent, pupil, competence and two-parent rules; its query budget."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consent import services
from consent.models import Outcome, Purpose
from consent.rules import Status
from tests.consent.factories import (
    add_pupils,
    default_purposes,
    displays,
    pupil_for,
    record,
    social_media,
)
from tests.consent.factories import status as status_of
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

D = dt.date
DAY = dt.timedelta(days=1)


@pytest.fixture
def purpose(school):
    return social_media(school)


@pytest.fixture
def pupil(school, office):
    return pupil_for(school, office, date_of_birth=D(2012, 3, 10), year_group=9)


# --- Each reason, either side of its date ----------------------------------------------------


def test_no_decision_blocks_a_consent_purpose(pupil, purpose):
    assert status_of(pupil, purpose, D(2026, 1, 5)) == Status.NO_DECISION


def test_a_yes_allows_from_its_effective_date_and_not_the_day_before(pupil, purpose, office):
    record(pupil, purpose, office, received_on=D(2025, 9, 1), effective_on=D(2025, 9, 8))
    assert status_of(pupil, purpose, D(2025, 9, 7)) == Status.NOT_YET_EFFECTIVE
    assert status_of(pupil, purpose, D(2025, 9, 8)) == Status.ALLOWED


def test_a_refusal_blocks_from_its_effective_date(pupil, purpose, office):
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2025, 10, 1))
    assert status_of(pupil, purpose, D(2025, 9, 30)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2025, 10, 1)) == Status.REFUSED


def test_a_withdrawal_after_a_yes_blocks_from_that_day_and_allowed_the_day_before(
    pupil, purpose, office
):
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    record(pupil, purpose, office, Outcome.WITHDRAWN, received_on=D(2026, 2, 3))
    assert status_of(pupil, purpose, D(2026, 2, 2)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2026, 2, 3)) == Status.WITHDRAWN
    assert status_of(pupil, purpose, D(2026, 6, 1)) == Status.WITHDRAWN


def test_a_withdrawal_that_takes_effect_later_leaves_the_yes_until_then(pupil, purpose, office):
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    record(
        pupil,
        purpose,
        office,
        Outcome.WITHDRAWN,
        received_on=D(2026, 2, 3),
        effective_on=D(2026, 2, 20),
    )
    assert status_of(pupil, purpose, D(2026, 2, 19)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2026, 2, 20)) == Status.WITHDRAWN


def test_a_yes_expires_the_day_after_its_expiry_date(pupil, purpose, office):
    record(pupil, purpose, office, received_on=D(2025, 9, 1), expires_on=D(2026, 3, 31))
    assert status_of(pupil, purpose, D(2026, 3, 31)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2026, 4, 1)) == Status.EXPIRED


def test_a_yes_needs_reconfirming_when_the_purposes_academic_years_run_out(
    school, pupil, purpose, office, headteacher
):
    services.purpose_update(purpose=purpose, actor=headteacher, valid_for_years=1)
    purpose.refresh_from_db()
    record(pupil, purpose, office, received_on=D(2025, 9, 10))
    assert status_of(pupil, purpose, D(2026, 8, 31)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2026, 9, 1)) == Status.NEEDS_RECONFIRMING
    record(pupil, purpose, office, received_on=D(2026, 9, 4))
    assert status_of(pupil, purpose, D(2026, 9, 3)) == Status.NEEDS_RECONFIRMING
    assert status_of(pupil, purpose, D(2026, 9, 4)) == Status.ALLOWED


def test_a_restriction_blocks_from_its_start_and_lifting_it_restores_the_consent(
    pupil, purpose, office, dsl
):
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    restriction = services.photo_restriction_set(
        pupil=pupil, actor=dsl, reason="Court order", starts_on=D(2026, 1, 10)
    )
    assert status_of(pupil, purpose, D(2026, 1, 9)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2026, 1, 10)) == Status.RESTRICTED
    services.photo_restriction_lift(
        restriction=restriction, actor=dsl, reason="Order ended", lifted_on=D(2026, 5, 1)
    )
    assert status_of(pupil, purpose, D(2026, 4, 30)) == Status.RESTRICTED
    assert status_of(pupil, purpose, D(2026, 5, 1)) == Status.ALLOWED


def test_a_restriction_overrides_even_a_public_task_purpose(school, pupil, dsl):
    services.photo_restriction_set(pupil=pupil, actor=dsl, reason="Adoption")
    assert status_of(pupil, displays(school), dt.date.today()) == Status.RESTRICTED


def test_a_leaver_is_blocked_from_the_leaving_date(pupil, purpose, office):
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    services.pupil_mark_left(pupil=pupil, actor=office, leaving_date=D(2026, 7, 22))
    assert status_of(pupil, purpose, D(2026, 7, 21)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2026, 7, 22)) == Status.LEFT


def test_public_task_allows_without_a_decision_and_blocks_after_an_objection(school, pupil, office):
    purpose = displays(school)
    assert status_of(pupil, purpose, D(2025, 9, 1)) == Status.ALLOWED
    record(pupil, purpose, office, Outcome.OBJECTED, received_on=D(2025, 11, 12))
    assert status_of(pupil, purpose, D(2025, 11, 11)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2025, 11, 12)) == Status.OBJECTED
    record(pupil, purpose, office, Outcome.OBJECTION_WITHDRAWN, received_on=D(2026, 1, 7))
    assert status_of(pupil, purpose, D(2026, 1, 6)) == Status.OBJECTED
    assert status_of(pupil, purpose, D(2026, 1, 7)) == Status.ALLOWED


# --- Who decides -----------------------------------------------------------------------------


def test_parent_grants_and_competent_pupil_refuses_gives_refused(pupil, purpose, office, dsl):
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    services.competence_assessment_record(
        pupil=pupil,
        actor=dsl,
        assessed_by=dsl,
        assessed_on=D(2025, 9, 15),
        competent=True,
        note="Explained who sees the school's posts and why they did not want to be in them.",
    )
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2025, 9, 16), by_pupil=True)
    assert status_of(pupil, purpose, D(2025, 9, 15)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2025, 9, 16)) == Status.REFUSED


def test_pupil_refusal_without_a_competence_assessment_leaves_the_parents_decision(
    pupil, purpose, office
):
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2025, 9, 16), by_pupil=True)
    assert status_of(pupil, purpose, D(2025, 10, 1)) == Status.ALLOWED


def test_the_pupils_refusal_counts_from_the_day_of_a_later_assessment(pupil, purpose, office, dsl):
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2025, 9, 16), by_pupil=True)
    services.competence_assessment_record(
        pupil=pupil,
        actor=dsl,
        assessed_by=dsl,
        assessed_on=D(2025, 10, 6),
        competent=True,
        note="Understands what the school's social media is.",
    )
    assert status_of(pupil, purpose, D(2025, 10, 5)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2025, 10, 6)) == Status.REFUSED


def test_an_assessment_of_not_competent_stops_the_pupils_word_counting(pupil, purpose, office, dsl):
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    for day, competent in ((D(2025, 9, 10), True), (D(2025, 11, 1), False)):
        services.competence_assessment_record(
            pupil=pupil, actor=dsl, assessed_by=dsl, assessed_on=day, competent=competent,
            note="Talked it through with them.",
        )  # fmt: skip
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2025, 9, 20), by_pupil=True)
    assert status_of(pupil, purpose, D(2025, 10, 1)) == Status.REFUSED
    assert status_of(pupil, purpose, D(2025, 11, 1)) == Status.ALLOWED


def test_a_school_presuming_competence_counts_the_pupil_from_the_competence_age(
    school, pupil, purpose, office, headteacher
):
    # Born 10/03/2012: 12 on 10/03/2024. Scotland presumes competence from 12.
    services.consent_settings_update(school=school, actor=headteacher, presume_competence=True)
    record(pupil, purpose, office, received_on=D(2024, 1, 8))
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2024, 3, 11), by_pupil=True)
    assert status_of(pupil, purpose, D(2024, 3, 11)) == Status.REFUSED
    services.consent_settings_update(school=school, actor=headteacher, presume_competence=False)
    assert status_of(pupil, purpose, D(2024, 3, 11)) == Status.ALLOWED


def test_presumed_competence_reads_the_birthday(school, office, headteacher):
    services.consent_settings_update(school=school, actor=headteacher, presume_competence=True)
    pupil = pupil_for(school, office, date_of_birth=D(2013, 6, 20), year_group=8)
    purpose = social_media(school)
    record(pupil, purpose, office, received_on=D(2025, 6, 1))
    # On 19/06/2025 the pupil is 11 when the pupil's own refusal (received at 12) is asked about.
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2025, 6, 20), by_pupil=True)
    assert status_of(pupil, purpose, D(2025, 6, 19)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2025, 6, 20)) == Status.REFUSED


def test_two_parents_one_grants_and_one_refuses_gives_refused(pupil, purpose, office):
    record(pupil, purpose, office, carer_name="Jane Parent", received_on=D(2025, 9, 1))
    record(
        pupil,
        purpose,
        office,
        Outcome.REFUSED,
        carer_name="John Parent",
        relationship="father",
        received_on=D(2025, 9, 3),
    )
    assert status_of(pupil, purpose, D(2025, 9, 2)) == Status.ALLOWED
    assert status_of(pupil, purpose, D(2025, 9, 3)) == Status.REFUSED


def test_one_parents_yes_is_enough_when_the_other_says_nothing(pupil, purpose, office):
    record(pupil, purpose, office, carer_name="Jane Parent", received_on=D(2025, 9, 1))
    assert status_of(pupil, purpose, D(2025, 9, 2)) == Status.ALLOWED


def test_a_parents_latest_word_replaces_their_earlier_one(pupil, purpose, office):
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2025, 9, 1))
    record(pupil, purpose, office, Outcome.GRANTED, received_on=D(2025, 12, 1))
    assert status_of(pupil, purpose, D(2025, 11, 30)) == Status.REFUSED
    assert status_of(pupil, purpose, D(2025, 12, 1)) == Status.ALLOWED


def test_one_parents_yes_cannot_undo_the_other_parents_withdrawal(pupil, purpose, office):
    record(pupil, purpose, office, carer_name="Jane Parent", received_on=D(2025, 9, 1))
    record(pupil, purpose, office, Outcome.WITHDRAWN, carer_name="John Parent",
           relationship="father", received_on=D(2025, 10, 1))  # fmt: skip
    record(pupil, purpose, office, carer_name="Jane Parent", received_on=D(2025, 11, 1))
    assert status_of(pupil, purpose, D(2025, 11, 2)) == Status.WITHDRAWN


def test_a_correction_replaces_the_decision_it_corrects(pupil, purpose, office):
    wrong = record(pupil, purpose, office, Outcome.GRANTED, received_on=D(2025, 9, 1))
    services.consent_decision_correct(
        decision=wrong, actor=office, outcome=Outcome.REFUSED, note="The form said no."
    )
    assert status_of(pupil, purpose, D(2025, 9, 2)) == Status.REFUSED


def test_a_decision_recorded_in_error_no_longer_counts(pupil, purpose, office):
    wrong = record(pupil, purpose, office, Outcome.GRANTED, received_on=D(2025, 9, 1))
    services.consent_decision_correct(
        decision=wrong, actor=office, outcome=Outcome.VOID, note="Another pupil's form."
    )
    assert status_of(pupil, purpose, D(2025, 9, 2)) == Status.NO_DECISION


def test_a_new_lawful_basis_changes_the_check_at_once(school, pupil, office, headteacher):
    purpose = displays(school)
    assert status_of(pupil, purpose, D(2026, 1, 5)) == Status.ALLOWED
    services.purpose_update(purpose=purpose, actor=headteacher, lawful_basis="consent")
    purpose.refresh_from_db()
    assert status_of(pupil, purpose, D(2026, 1, 5)) == Status.NO_DECISION


def test_a_refusal_recorded_under_public_task_still_blocks_after_a_change_to_consent(
    school, pupil, office, headteacher
):
    purpose = displays(school)
    record(pupil, purpose, office, Outcome.OBJECTED, received_on=D(2025, 9, 1))
    services.purpose_update(purpose=purpose, actor=headteacher, lawful_basis="consent")
    purpose.refresh_from_db()
    assert status_of(pupil, purpose, D(2025, 9, 2)) == Status.OBJECTED


# --- The result ------------------------------------------------------------------------------


def test_the_result_lists_each_blocking_pupil_with_the_reason(school, office, purpose):
    allowed, withdrawn, unknown = (pupil_for(school, office) for _ in range(3))
    record(allowed, purpose, office)
    record(withdrawn, purpose, office)
    record(withdrawn, purpose, office, Outcome.WITHDRAWN, received_on=D(2025, 10, 1))
    result = services.consent_check(
        pupils=[allowed, withdrawn.pk, unknown], purpose=purpose, on=D(2025, 10, 2)
    )
    assert not result.allowed
    assert {(b.pupil.pk, b.reason) for b in result.blocking} == {
        (withdrawn.pk, Status.WITHDRAWN),
        (unknown.pk, Status.NO_DECISION),
    }
    assert result.for_pupil(allowed).allowed


def test_no_pupils_is_allowed(purpose):
    assert services.consent_check(pupils=[], purpose=purpose, on=D(2025, 10, 2)).allowed


def test_pupils_of_another_school_are_refused(school, other_school, office, purpose):
    theirs = pupil_for(other_school)
    with pytest.raises(ValueError):
        services.consent_check(pupils=[theirs], purpose=purpose, on=D(2025, 10, 2))


def test_the_check_needs_a_date(pupil, purpose):
    with pytest.raises(TypeError):
        services.consent_check(pupils=[pupil], purpose=purpose, on=dt.datetime(2025, 1, 1))


def _check_queries(pupils, purpose) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = services.consent_check(pupils=pupils, purpose=purpose, on=D(2026, 1, 5))
        assert len(result.results) == len(pupils)
    return len(captured)


def test_the_check_runs_the_same_few_queries_for_30_and_300_pupils(school, office, dsl):
    purpose = social_media(school)
    pupils = add_pupils(school, 300)
    for pupil in pupils[::3]:
        record(pupil, purpose, office)
    services.photo_restriction_set(pupil=pupils[4], actor=dsl, reason="Court order")
    # The pupils (with their school's settings and whether a restriction is active), their states.
    small = _check_queries(pupils[:30], purpose)
    large = _check_queries(pupils, purpose)
    assert small == large
    assert small <= 3


def test_every_schools_purposes_are_its_own(school):
    other = SchoolFactory()
    default_purposes(school)
    default_purposes(other)
    assert Purpose.objects.filter(school=school).count() == 7
    assert Purpose.objects.filter(school=other).count() == 7
