"""Reporting an incident through the form: the first lines (999 and the DSL team), people
involved, evidence kept privately, nude or semi-nude images of a child refused with an
explanation, a clear message per field for bad input with nothing half-written, and a double
submit making one report."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from incidents.reports import services
from incidents.reports.models import (
    Category,
    ImageryDecision,
    Incident,
    IncidentEntry,
    IncidentEvidence,
    IncidentPerson,
)
from socialgov.uploads.models import StoredFile
from tests.incidents.helpers import client_as, evidence_upload, report, triage

URL = "/incidents/report/"


def _form(**overrides):
    data = {
        "category": Category.CYBERBULLYING,
        "safeguarding_kind": "",
        "occurred_on": "01/02/2026",
        "occurred_time": "14:30",
        "description": "A pupil showed me unkind messages in a class group chat.",
        "urls": "",
        "platform": "WhatsApp",
        "severity": "medium",
        "external_reference": "",
        "submission_key": str(uuid.uuid4()),
        "people-TOTAL_FORMS": "3",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "20",
    }
    data.update(overrides)
    return data


def _nothing_written():
    assert not Incident.objects.exists()
    assert not IncidentEntry.objects.exists()
    assert not IncidentPerson.objects.exists()
    assert not StoredFile.objects.exists()


def test_the_form_starts_with_999_and_names_the_dsl_team(school, dsl, deputy_dsl, staff):
    page = client_as(staff).get(URL).content.decode()
    assert "If a child is in immediate danger, call 999 and tell the DSL now" in page
    assert page.index("call 999") < page.index('enctype="multipart/form-data"')
    assert "Dev Singh (DSL)" in page and "Dani Deputy-DSL (Deputy DSL)" in page


def test_any_member_of_staff_reports_with_people_and_evidence(school, dsl, staff, colleague):
    data = _form(
        **{
            "people-0-kind": "pupil",
            "people-0-role": "affected",
            "people-0-name": "Zara Example",
            "people-0-year_group": "Year 5",
            "people-1-kind": "staff",
            "people-1-role": "witness",
            "people-1-staff_member": str(colleague.pk),
            "people-2-kind": "outsider",
            "people-2-role": "alleged_perpetrator",
            "people-2-name": "Percy Parent",
            "people-2-relationship": "parent",
            "urls": "https://example.com/post/1\nhttps://example.com/post/2",
            "evidence": [evidence_upload("one.png"), evidence_upload("two.png")],
        }
    )
    response = client_as(staff).post(URL, data)
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.reporter == staff and incident.occurred_time.strftime("%H:%M") == "14:30"
    assert [(p.kind, p.role) for p in incident.people.order_by("pk")] == [
        ("pupil", "affected"),
        ("staff", "witness"),
        ("outsider", "alleged_perpetrator"),
    ]
    assert IncidentEvidence.objects.filter(incident=incident).count() == 2
    assert incident.urls.splitlines() == [
        "https://example.com/post/1",
        "https://example.com/post/2",
    ]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"category": ""}, "category", "Choose what kind of incident it is."),
        ({"occurred_on": "31/02/2026"}, "occurred_on", "Enter a date like 01/09/2026."),
        ({"occurred_on": "2026-02-01"}, "occurred_on", "Enter a date like 01/09/2026."),
        ({"occurred_on": "01/01/2099"}, "occurred_on", "cannot be in the future"),
        ({"occurred_time": "25:99"}, "occurred_time", "Enter a time like 14:30."),
        ({"description": "   "}, "description", "Describe what happened."),
        ({"severity": "extreme"}, "severity", "Select a valid choice"),
        ({"urls": "not a web address"}, "urls", "is not a web address"),
        ({"category": "safeguarding"}, "safeguarding_kind", "Choose what kind of disclosure"),
        ({"safeguarding_kind": "grooming"}, "safeguarding_kind", "Leave this empty"),
        ({"people-0-kind": "pupil", "people-0-role": "affected"}, "pupil", "Choose the pupil"),
        ({"people-0-kind": "outsider", "people-0-role": "witness"}, "name", "Give their name."),
        ({"people-0-kind": "staff", "people-0-role": "witness"}, "staff_member", "Choose the"),
        ({"people-0-name": "Someone"}, "kind", "Say whether they are a pupil"),
    ],
)
def test_bad_input_gets_a_clear_message_by_the_field_and_writes_nothing(
    school, dsl, staff, overrides, field, message
):
    response = client_as(staff).post(URL, _form(**overrides))
    assert response.status_code == 200
    form, people = response.context["form"], response.context["people"]
    errors = form.errors.get(field, []) + [e for f in people.forms for e in f.errors.get(field, [])]
    assert any(message in error for error in errors), (field, form.errors, people.errors)
    _nothing_written()


def test_a_file_that_is_not_what_it_says_is_refused_with_a_message(school, dsl, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client_as(staff).post(URL, _form(evidence=[fake]))
    assert response.status_code == 200 and response.context["form"].errors["evidence"]
    _nothing_written()


@pytest.mark.parametrize("kind", ["nude_images", "deepfake"])
def test_nude_or_semi_nude_images_are_refused_with_an_explanation(school, dsl, staff, kind):
    data = _form(
        category="safeguarding", safeguarding_kind=kind, evidence=[evidence_upload("image.png")]
    )
    response = client_as(staff).post(URL, data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["evidence"])
    assert "never uploaded" in errors and "the DSL records whether anyone needs to view" in errors
    _nothing_written()


def test_the_service_refuses_imagery_uploads_too(school, dsl, staff):
    with pytest.raises(ValidationError) as error:
        report(
            school,
            staff,
            Category.SAFEGUARDING,
            safeguarding_kind="nude_images",
            evidence=[evidence_upload()],
        )
    assert "never uploaded" in error.value.message_dict["evidence"][0]
    _nothing_written()


def test_evidence_cannot_be_added_later_to_an_imagery_disclosure(school, dsl, staff):
    incident = report(school, staff, Category.SAFEGUARDING, safeguarding_kind="nude_images")
    client = client_as(dsl)
    response = client.post(
        f"/incidents/{incident.pk}/evidence/add/", {"file": evidence_upload()}, follow=True
    )
    assert "never uploaded" in response.content.decode()
    with pytest.raises(ValidationError):
        services.incident_evidence_add(incident=incident, actor=dsl, upload=evidence_upload())
    assert not IncidentEvidence.objects.exists() and not StoredFile.objects.exists()


def test_a_disclosure_reported_otherwise_then_triaged_as_nude_images_takes_no_uploads(
    school, dsl, staff
):
    incident = report(school, staff, Category.SAFEGUARDING, safeguarding_kind="online_abuse")
    triage(incident, dsl, safeguarding_kind="nude_images")
    with pytest.raises(ValidationError):
        services.incident_evidence_add(incident=incident, actor=dsl, upload=evidence_upload())


def test_the_dsl_records_whether_anyone_viewed_the_imagery(school, dsl, headteacher, staff):
    incident = report(school, staff, Category.SAFEGUARDING, safeguarding_kind="nude_images")
    client = client_as(dsl)
    response = client.post(
        f"/incidents/{incident.pk}/imagery/",
        {
            "anyone_viewed": "yes",
            "reason": "To decide on a referral.",
            "headteacher_informed": "yes",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"viewed_by", "viewed_on"}
    response = client.post(
        f"/incidents/{incident.pk}/imagery/",
        {
            "anyone_viewed": "yes",
            "viewed_by": "Dev Singh (DSL)",
            "viewed_on": "01/02/2026",
            "viewed_time": "09:00",
            "reason": "To decide on a referral.",
            "headteacher_informed": "yes",
        },
    )
    assert response.status_code == 302
    decision = ImageryDecision.objects.get(incident=incident)
    assert decision.anyone_viewed and decision.headteacher_informed
    assert decision.viewed_by == "Dev Singh (DSL)" and decision.decided_by == dsl


def test_the_same_form_sent_twice_makes_one_report(school, dsl, staff):
    client = client_as(staff)
    data = _form()
    first = client.post(URL, data)
    second = client.post(URL, data, follow=True)
    assert Incident.objects.count() == 1
    assert first.status_code == 302
    assert "was already received" in second.content.decode()


def test_naming_yourself_as_subject_is_a_self_referral_you_then_cannot_see(
    school, staff, headteacher
):
    response = client_as(staff).post(
        URL,
        _form(
            category="staff_conduct",
            **{
                "people-0-kind": "staff",
                "people-0-role": "subject_of_concern",
                "people-0-staff_member": str(staff.pk),
            },
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/incidents/mine/"
    assert Incident.objects.get().route == "case_head"


def test_a_governor_or_outsider_cannot_name_someone_from_another_school(
    school, dsl, staff, outsider
):
    response = client_as(staff).post(
        URL,
        _form(
            **{
                "people-0-kind": "staff",
                "people-0-role": "witness",
                "people-0-staff_member": str(outsider.pk),
            }
        ),
    )
    assert response.status_code == 200
    assert response.context["people"].forms[0].errors["staff_member"]
    _nothing_written()


def test_a_pupil_can_be_chosen_from_the_schools_roll(school, dsl, staff, office, other_school):
    from tests.consent.factories import pupil_for

    on_roll = pupil_for(school, office, legal_forename="Zara", legal_surname="Example")
    elsewhere = pupil_for(other_school, None)
    client = client_as(staff)
    page = client.get(URL).content.decode()
    assert "Zara Example (Year 3)" in page
    response = client.post(
        URL,
        _form(
            **{
                "people-0-kind": "pupil",
                "people-0-role": "affected",
                "people-0-pupil": str(elsewhere.pk),
            }
        ),
    )
    assert response.status_code == 200 and response.context["people"].forms[0].errors["pupil"]
    response = client.post(
        URL,
        _form(
            **{
                "people-0-kind": "pupil",
                "people-0-role": "affected",
                "people-0-pupil": str(on_roll.pk),
            }
        ),
    )
    assert response.status_code == 302
    person = IncidentPerson.objects.get()
    assert person.pupil == on_roll and person.display_name == "Zara Example"
    assert person.year_group == "Year 3"


def test_governors_report_without_seeing_the_pupil_list(school, dsl, governor, office):
    from tests.consent.factories import pupil_for

    pupil_for(school, office, legal_forename="Zara", legal_surname="Example")
    page = client_as(governor).get(URL).content.decode()
    assert "Zara Example" not in page
