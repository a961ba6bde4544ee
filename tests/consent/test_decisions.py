"""Recording decisions: append-only, corrections, the same form twice, bad input refused with a
message per field, bulk entry all or nothing, evidence kept privately, who may record."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from consent import services
from consent.models import ConsentDecision, ConsentState, Outcome, ParentCarer
from consent.rules import Status
from consent.services import DecisionEntry
from socialgov.notifications.models import Notification
from tests.consent.factories import displays, pupil_for, record, social_media
from tests.consent.factories import status as status_of

pytestmark = pytest.mark.django_db
D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def purpose(school):
    return social_media(school)


@pytest.fixture
def pupil(school, office):
    return pupil_for(school, office, date_of_birth=D(2012, 3, 10))


def test_a_decision_is_never_edited(pupil, purpose, office):
    decision = record(pupil, purpose, office)
    decision.outcome = Outcome.REFUSED
    with pytest.raises(ValueError, match="never edited"):
        decision.save()


def test_a_decision_is_stored_with_who_recorded_it_and_the_state_at_once(pupil, purpose, office):
    decision = record(pupil, purpose, office, method="letter", received_on=D(2025, 9, 3))
    assert decision.recorded_by == office
    assert decision.carer.full_name == "Jane Parent"
    assert decision.effective_on == D(2025, 9, 3)
    state = ConsentState.objects.get(pupil=pupil, purpose=purpose)
    assert state.timeline == [[None, "not_yet_effective"], ["2025-09-03", "allowed"]]


def test_the_same_parent_is_one_person_whatever_the_spacing_and_case(pupil, purpose, office):
    record(pupil, purpose, office, carer_name="Jane  Parent")
    record(pupil, purpose, office, Outcome.WITHDRAWN, carer_name="jane parent",
           received_on=D(2025, 10, 1))  # fmt: skip
    assert ParentCarer.objects.filter(pupil=pupil).count() == 1
    assert status_of(pupil, purpose, D(2025, 10, 2)) == Status.WITHDRAWN


def test_the_same_form_sent_twice_records_one_decision(pupil, purpose, office):
    key = uuid.uuid4()
    first = record(pupil, purpose, office, submission_key=key)
    second = record(pupil, purpose, office, submission_key=key)
    assert first.pk == second.pk
    assert ConsentDecision.objects.count() == 1


def test_a_correction_keeps_the_corrected_decision_and_says_what_it_corrects(
    pupil, purpose, office
):
    wrong = record(pupil, purpose, office)
    correction = services.consent_decision_correct(
        decision=wrong, actor=office, outcome=Outcome.REFUSED, note="The form said no."
    )
    assert correction.corrects == wrong
    assert ConsentDecision.objects.filter(pupil=pupil).count() == 2


def test_a_decision_is_corrected_once_then_its_correction_is(pupil, purpose, office):
    wrong = record(pupil, purpose, office)
    services.consent_decision_correct(
        decision=wrong, actor=office, outcome=Outcome.REFUSED, note="The form said no."
    )
    with pytest.raises(ValidationError) as error:
        services.consent_decision_correct(
            decision=wrong, actor=office, outcome=Outcome.VOID, note="Again."
        )
    assert "already been corrected" in str(error.value)


def test_a_correction_needs_a_note(pupil, purpose, office):
    wrong = record(pupil, purpose, office)
    with pytest.raises(ValidationError) as error:
        services.consent_decision_correct(
            decision=wrong, actor=office, outcome=Outcome.REFUSED, note=" "
        )
    assert "note" in error.value.message_dict


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"outcome": Outcome.OBJECTED}, "outcome", "record one of: granted, refused, withdrawn"),
        ({"received_on": D(2099, 1, 1)}, "received_on", "cannot be in the future"),
        ({"effective_on": D(2025, 8, 1)}, "effective_on", "before the school received it"),
        ({"expires_on": D(2025, 8, 1)}, "expires_on", "must be after"),
        ({"outcome": Outcome.REFUSED, "expires_on": D(2026, 8, 1)}, "expires_on", "Only a yes"),
        ({"carer_name": ""}, "carer_name", "Enter the name"),
        ({"relationship": "neighbour"}, "relationship", "Choose their relationship"),
    ],
)
def test_bad_input_is_refused_with_a_message_on_its_field(
    pupil, purpose, office, changes, field, message
):
    with pytest.raises(ValidationError) as error:
        record(pupil, purpose, office, **{"received_on": D(2025, 9, 1), **changes})
    assert message in " ".join(error.value.message_dict[field])
    assert ConsentDecision.objects.count() == 0


def test_a_public_task_purpose_takes_objections_not_grants(school, pupil, office):
    with pytest.raises(ValidationError) as error:
        record(pupil, displays(school), office, Outcome.GRANTED)
    assert "objection" in error.value.message_dict["outcome"][0]


def test_a_pupil_under_the_competence_age_cannot_give_their_own_decision(school, office, purpose):
    young = pupil_for(school, office, date_of_birth=D(2017, 1, 1))
    with pytest.raises(ValidationError) as error:
        record(young, purpose, office, Outcome.REFUSED, by_pupil=True)
    assert "from age 12" in error.value.message_dict["given_by"][0]


def test_a_pupils_own_decision_asks_the_dsl_team_and_headteacher_for_an_assessment(
    pupil, purpose, office, dsl, deputy_dsl, headteacher, staff
):
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2025, 9, 16), by_pupil=True)
    asked = set(
        Notification.objects.filter(kind="consent_competence_needed").values_list(
            "recipient__email", flat=True
        )
    )
    assert asked == {dsl.email, deputy_dsl.email, headteacher.email}


def test_no_assessment_is_asked_for_once_one_is_recorded(pupil, purpose, office, dsl):
    services.competence_assessment_record(
        pupil=pupil, actor=dsl, assessed_by=dsl, assessed_on=D(2025, 9, 1), competent=True,
        note="Understands.",
    )  # fmt: skip
    record(pupil, purpose, office, Outcome.REFUSED, received_on=D(2025, 9, 16), by_pupil=True)
    assert not Notification.objects.filter(kind="consent_competence_needed").exists()


def test_evidence_is_kept_privately_with_the_decision(pupil, purpose, office):
    scan = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    decision = record(pupil, purpose, office, Outcome.REFUSED, method="letter", evidence=scan)
    assert decision.evidence.original_name == "letter.pdf"
    assert decision.evidence.school == pupil.school
    assert "letter" not in decision.evidence.file.name  # a random name in private storage


def test_evidence_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_recorded(
    pupil, purpose, office
):
    scan = SimpleUploadedFile("letter.pdf", b"not really a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        record(pupil, purpose, office, evidence=scan)
    assert ConsentDecision.objects.count() == 0


@pytest.mark.parametrize("who", ["headteacher", "dsl", "slt", "staff", "governor", "outsider"])
def test_only_the_office_and_dpo_record_decisions(request, pupil, purpose, who):
    with pytest.raises(PermissionDenied):
        record(pupil, purpose, request.getfixturevalue(who))


def test_the_dpo_records_decisions(pupil, purpose, dpo):
    assert record(pupil, purpose, dpo).recorded_by == dpo


# --- Bulk entry ------------------------------------------------------------------------------


def _entry(pupil, purpose, outcome=Outcome.GRANTED, **kw):
    values = {
        "given_by": "parent_carer",
        "carer_name": f"Parent of {pupil.legal_forename}",
        "relationship": "parent",
        "method": "entrant_form",
        "received_on": D(2025, 9, 2),
    }
    values.update(kw)
    return DecisionEntry(pupil=pupil, purpose=purpose, outcome=outcome, **values)


def test_bulk_entry_records_every_decision_of_the_screen(school, office, purpose):
    pupils = [pupil_for(school, office) for _ in range(3)]
    web = displays(school)
    entries = [_entry(p, purpose) for p in pupils] + [_entry(pupils[0], web, Outcome.OBJECTED)]
    decisions = services.consent_decisions_record_bulk(school=school, actor=office, entries=entries)
    assert len(decisions) == 4
    assert status_of(pupils[1], purpose, D(2025, 9, 3)) == Status.ALLOWED
    assert status_of(pupils[0], web, D(2025, 9, 3)) == Status.OBJECTED


def test_bulk_entry_with_one_bad_row_records_nothing_and_says_which_row(school, office, purpose):
    pupils = [pupil_for(school, office) for _ in range(3)]
    entries = [_entry(p, purpose) for p in pupils]
    entries[2].carer_name = ""
    with pytest.raises(ValidationError) as error:
        services.consent_decisions_record_bulk(school=school, actor=office, entries=entries)
    assert set(error.value.message_dict) == {"2-carer_name"}
    assert ConsentDecision.objects.count() == 0
    assert ParentCarer.objects.count() == 0


def test_bulk_entry_sent_twice_records_once(school, office, purpose):
    pupils = [pupil_for(school, office) for _ in range(2)]
    key = uuid.uuid4()
    for _ in range(2):
        services.consent_decisions_record_bulk(
            school=school, actor=office, entries=[_entry(p, purpose) for p in pupils],
            submission_key=key,
        )  # fmt: skip
    assert ConsentDecision.objects.count() == 2


def test_bulk_entry_refuses_a_pupil_of_another_school(school, other_school, office, purpose):
    theirs = pupil_for(other_school)
    with pytest.raises(ValidationError) as error:
        services.consent_decisions_record_bulk(
            school=school, actor=office, entries=[_entry(theirs, purpose)]
        )
    assert "0-pupil" in error.value.message_dict
