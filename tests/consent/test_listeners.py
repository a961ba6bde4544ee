"""Withdrawal listeners: told inside the transaction, with the pupil, purpose and first day the
pupil may no longer appear; for withdrawals, a new restriction and a pupil marked as left."""

import datetime as dt

import pytest
from django.db import transaction

from consent import services
from consent.listeners import WITHDRAWAL_LISTENERS, Cause, WithdrawalListener
from consent.models import ConsentDecision, Outcome
from consent.rules import Status
from tests.consent.factories import default_purposes, displays, pupil_for, record, social_media
from tests.consent.factories import status as status_of

pytestmark = pytest.mark.django_db
D = dt.date


class Heard:
    def __init__(self):
        self.changes = []
        self.in_transaction = []

    def __call__(self, change):
        self.changes.append(change)
        self.in_transaction.append(transaction.get_connection().in_atomic_block)

    @property
    def seen(self):
        return [(c.pupil.pk, c.purpose.pk, c.on, c.cause) for c in self.changes]


@pytest.fixture
def heard():
    listener = Heard()
    with WITHDRAWAL_LISTENERS.only(WithdrawalListener("test.heard", listener)):
        yield listener


@pytest.fixture
def pupil(school, office):
    return pupil_for(school, office)


def test_a_withdrawal_after_a_yes_tells_the_listeners_with_its_date(heard, pupil, school, office):
    purpose = social_media(school)
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    assert heard.changes == []
    record(pupil, purpose, office, Outcome.WITHDRAWN, received_on=D(2026, 2, 3))
    assert heard.seen == [(pupil.pk, purpose.pk, D(2026, 2, 3), Cause.DECISION)]
    assert heard.in_transaction == [True]
    assert heard.changes[0].actor == office


def test_consent_withdraw_records_an_objection_for_a_public_task_purpose(
    heard, pupil, school, office
):
    purpose = displays(school)
    decision = services.consent_withdraw(
        pupil=pupil, purpose=purpose, actor=office, given_by="parent_carer",
        carer_name="Jane Parent", relationship="mother", method="letter",
        received_on=D(2026, 3, 2),
    )  # fmt: skip
    assert decision.outcome == Outcome.OBJECTED
    assert heard.seen == [(pupil.pk, purpose.pk, D(2026, 3, 2), Cause.DECISION)]


def test_a_first_refusal_of_a_consent_purpose_tells_nobody(heard, pupil, school, office):
    """Nothing could have been published: without a yes the check already refused."""
    record(pupil, social_media(school), office, Outcome.REFUSED)
    assert heard.changes == []


def test_a_listener_that_fails_undoes_the_withdrawal(pupil, school, office):
    purpose = social_media(school)
    record(pupil, purpose, office, received_on=D(2025, 9, 1))

    def broken(change):
        raise RuntimeError("takedown could not be created")

    with (
        WITHDRAWAL_LISTENERS.only(WithdrawalListener("test.broken", broken)),
        pytest.raises(RuntimeError),
    ):
        record(pupil, purpose, office, Outcome.WITHDRAWN, received_on=D(2026, 2, 3))
    assert ConsentDecision.objects.filter(outcome=Outcome.WITHDRAWN).count() == 0
    assert status_of(pupil, purpose, D(2026, 2, 4)) == Status.ALLOWED


def test_a_listeners_writes_roll_back_with_the_withdrawal(pupil, school, office, staff):
    from socialgov.notifications.models import Notification
    from socialgov.notifications.services import notification_send

    purpose = social_media(school)
    record(pupil, purpose, office, received_on=D(2025, 9, 1))

    def writes(change):
        notification_send(recipient=staff, kind="notice", url="/x/", school=school)

    with (
        WITHDRAWAL_LISTENERS.only(WithdrawalListener("test.writes", writes)),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record(pupil, purpose, office, Outcome.WITHDRAWN, received_on=D(2026, 2, 3))
        assert Notification.objects.filter(recipient=staff).count() == 1
        raise RuntimeError("the page failed after recording")
    assert Notification.objects.filter(recipient=staff).count() == 0


def test_a_correction_removing_a_yes_tells_the_listeners_from_the_yes(heard, pupil, school, office):
    purpose = social_media(school)
    wrong = record(pupil, purpose, office, received_on=D(2025, 9, 1))
    services.consent_decision_correct(
        decision=wrong, actor=office, outcome=Outcome.VOID, note="Another pupil's form."
    )
    assert heard.seen == [(pupil.pk, purpose.pk, D(2025, 9, 1), Cause.DECISION)]


def test_an_assessment_that_makes_a_pupils_refusal_count_tells_the_listeners(
    heard, school, office, dsl
):
    pupil = pupil_for(school, office, date_of_birth=D(2012, 1, 1))
    purpose = social_media(school)
    record(pupil, purpose, office, received_on=D(2025, 9, 1))
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2025, 9, 5), by_pupil=True)
    assert heard.changes == []
    services.competence_assessment_record(
        pupil=pupil, actor=dsl, assessed_by=dsl, assessed_on=D(2025, 9, 20), competent=True,
        note="Understands who sees the posts.",
    )  # fmt: skip
    assert heard.seen == [(pupil.pk, purpose.pk, D(2025, 9, 20), Cause.DECISION)]


def test_a_new_restriction_tells_the_listeners_for_every_purpose_in_use(
    heard, pupil, school, dsl, headteacher
):
    purposes = default_purposes(school)
    services.purpose_update(purpose=purposes["press"], actor=headteacher, is_active=False)
    services.photo_restriction_set(
        pupil=pupil, actor=dsl, reason="Adoption", starts_on=D(2026, 1, 12)
    )
    in_use = {p.pk for p in purposes.values() if p.kind != "press"}
    assert {c.purpose.pk for c in heard.changes} == in_use
    assert {(c.on, c.cause) for c in heard.changes} == {(D(2026, 1, 12), Cause.RESTRICTION)}


def test_marking_a_pupil_as_left_tells_the_listeners(heard, pupil, school, office):
    default_purposes(school)
    services.pupil_mark_left(pupil=pupil, actor=office, leaving_date=D(2026, 7, 22))
    assert len(heard.changes) == 7
    assert {(c.on, c.cause) for c in heard.changes} == {(D(2026, 7, 22), Cause.LEFT)}


def test_changing_other_details_of_a_leaver_tells_nobody_again(heard, pupil, school, office):
    default_purposes(school)
    services.pupil_mark_left(pupil=pupil, actor=office, leaving_date=D(2026, 7, 22))
    heard.changes.clear()
    services.pupil_update(pupil=pupil, actor=office, registration_group="4B")
    services.pupil_update(pupil=pupil, actor=office, leaving_date=D(2026, 7, 25))
    assert heard.changes == []
