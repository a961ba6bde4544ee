"""The register's pages through the client: who sees what, recording through the forms, the
grid and lookup after a withdrawal, bulk entry, exports, the class sheet and history."""

import datetime as dt
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import ConsentDecision, Outcome, PhotoRestriction, Purpose
from consent.rules import Status
from tests.consent.factories import default_purposes, displays, pupil_for, record, social_media
from tests.consent.factories import status as status_of

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def purposes(school):
    return default_purposes(school)


@pytest.fixture
def pupil(school, office, purposes):
    return pupil_for(
        school, office, legal_forename="Amelia", legal_surname="Hart", registration_group="4C"
    )


def page(client, name, *args, **query):
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["consent_register", "consent_pupil_list", "consent_gaps", "consent_lapsing"]
)
@pytest.mark.parametrize("who", ["staff", "governor", "network_manager", "clerk"])
def test_register_pages_are_refused_to_staff_and_governors(client_for, pupil, name, who, request):
    response = client_for(request.getfixturevalue(who)).get(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["governor", "chair", "clerk"])
def test_governors_see_counts_only(client_for, pupil, who, request):
    client = client_for(request.getfixturevalue(who))
    html = page(client, "consent_counts")
    assert "Official social media" in html
    assert pupil.display_name not in html
    assert client.get(reverse("consent_lookup")).status_code == 403
    assert client.get(reverse("consent_pupil_detail", args=[pupil.pk])).status_code == 403
    assert client.get(reverse("consent_home")).url == reverse("consent_counts")


def test_staff_are_sent_to_the_lookup_and_register_readers_to_the_register(
    client_for, staff, office
):
    assert client_for(staff).get(reverse("consent_home")).url == reverse("consent_lookup")
    assert client_for(office).get(reverse("consent_home")).url == reverse("consent_register")


def test_staff_do_not_see_counts(client_for, staff):
    assert client_for(staff).get(reverse("consent_counts")).status_code == 403


def test_the_lookup_says_yes_or_no_and_why_and_nothing_more(
    client_for, school, staff, office, dsl, pupil, purposes
):
    purpose = purposes["social_media"]
    scan = SimpleUploadedFile("withdrawal-letter.pdf", PDF, content_type="application/pdf")
    record(pupil, purpose, office, carer_name="Joanna Hart", received_on=dt.date(2025, 9, 1))
    record(pupil, purpose, office, Outcome.WITHDRAWN, carer_name="Joanna Hart", method="letter",
           received_on=dt.date(2026, 1, 12), evidence=scan, note="Moving house soon")  # fmt: skip
    other = pupil_for(school, office, legal_forename="Ben", legal_surname="Cole",
                      registration_group="4C")  # fmt: skip
    services.photo_restriction_set(pupil=other, actor=dsl, reason="Placement order: adopted")
    html = page(client_for(staff), "consent_lookup", group="4C", purpose=purpose.pk)
    assert "No — withdrawn" in html
    assert "No — may not appear, speak to the DSL" in html
    for secret in ("Joanna Hart", "withdrawal-letter", "Placement order", "Moving house", "Mother"):
        assert secret not in html


def test_the_lookup_by_name_and_on_a_date(client_for, staff, office, pupil, purposes):
    purpose = purposes["social_media"]
    record(pupil, purpose, office, received_on=dt.date(2025, 9, 1))
    record(pupil, purpose, office, Outcome.WITHDRAWN, received_on=dt.date(2026, 1, 12))
    client = client_for(staff)
    html = page(client, "consent_lookup", q="amel", purpose=purpose.pk, on="11/01/2026")
    assert "All 1 may appear." in html
    html = page(client, "consent_lookup", q="amel", purpose=purpose.pk, on="12/01/2026")
    assert "No — withdrawn" in html


def test_the_lookup_asks_for_a_class_or_a_name_and_a_real_date(client_for, staff, purposes):
    html = page(
        client_for(staff), "consent_lookup", purpose=purposes["website"].pk, on="31/02/2026"
    )
    assert "Choose a class, or type a pupil&#x27;s name." in html
    assert "Enter a date like 01/09/2026." in html


def test_the_restriction_reason_is_for_the_dsl_team_and_headteacher_only(
    client_for, pupil, dsl, deputy_dsl, headteacher, office, dpo, slt
):
    services.photo_restriction_set(pupil=pupil, actor=dsl, reason="Court order: no images")
    for person in (dsl, deputy_dsl, headteacher):
        html = page(client_for(person), "consent_pupil_detail", pupil.pk)
        assert "Court order: no images" in html
    for person in (office, dpo, slt):
        html = page(client_for(person), "consent_pupil_detail", pupil.pk)
        assert "Court order" not in html
        assert "May not appear in any image" in html and "Speak to the DSL" in html
        history = page(client_for(person), "consent_pupil_history", pupil.pk)
        assert "Court order" not in history


def test_reading_a_restriction_reason_is_logged(client_for, pupil, dsl):
    from socialgov.audit.models import AccessLogEntry

    services.photo_restriction_set(pupil=pupil, actor=dsl, reason="Court order")
    page(client_for(dsl), "consent_pupil_detail", pupil.pk)
    entry = AccessLogEntry.objects.get()
    assert entry.person == dsl and entry.description == "Photo restriction"


def test_the_office_cannot_set_a_restriction(client_for, pupil, office):
    client = client_for(office)
    url = reverse("consent_restriction_set", args=[pupil.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "starts_on": "01/01/2026"}).status_code == 403
    assert not PhotoRestriction.objects.exists()


def test_the_dsl_sets_and_lifts_a_restriction(client_for, pupil, dsl, purposes):
    client = client_for(dsl)
    today = timezone.localdate()
    response = client.post(
        reverse("consent_restriction_set", args=[pupil.pk]),
        {"reason": "Adoption", "starts_on": today.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    restriction = PhotoRestriction.objects.get()
    assert status_of(pupil, purposes["displays"], today) == Status.RESTRICTED
    response = client.post(
        reverse("consent_restriction_lift", args=[restriction.pk]),
        {"lift_reason": "Set in error", "lifted_on": today.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200
    assert "A restriction is lifted after the day it started." in response.content.decode()


def test_evidence_is_served_to_register_readers_only(client_for, pupil, office, staff, slt):
    scan = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    decision = record(pupil, social_media(pupil.school), office, method="letter", evidence=scan)
    url = reverse("consent_decision_evidence", args=[decision.pk])
    response = client_for(slt).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client_for(staff).get(url).status_code == 403


# --- Recording through the pages -------------------------------------------------------------


def _decision_post(purpose, **changes):
    data = {
        "purpose": purpose.pk,
        "outcome": "granted",
        "given_by": "parent_carer",
        "carer_name": "Joanna Hart",
        "relationship": "mother",
        "method": "entrant_form",
        "received_on": "01/09/2025",
        "effective_on": "",
        "expires_on": "",
        "note": "",
        "submission_key": "5b1d0d1e-2f54-4c9e-9a51-1b8c2b3e0f10",
    }
    data.update(changes)
    return data


def test_the_office_records_a_withdrawal_by_letter_and_the_grid_shows_it_at_once(
    client_for, office, pupil, purposes
):
    purpose = purposes["social_media"]
    client = client_for(office)
    url = reverse("consent_decision_create", args=[pupil.pk])
    assert client.post(url, _decision_post(purpose)).status_code == 302
    today = timezone.localdate().strftime("%d/%m/%Y")
    scan = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url,
        _decision_post(
            purpose, outcome="withdrawn", method="letter", received_on=today, evidence=scan,
            submission_key="0c8f3a52-6d3b-4bb4-8f0e-3c4c1e9f2a77",
        ),
    )  # fmt: skip
    assert response.status_code == 302
    withdrawal = ConsentDecision.objects.get(outcome="withdrawn")
    assert withdrawal.evidence.original_name == "letter.pdf"
    html = page(client, "consent_register", group="4C")
    assert "No — withdrawn" in html
    chronology = page(client, "consent_pupil_detail", pupil.pk)
    assert "Letter, received" in chronology and "Evidence: letter.pdf" in chronology


def test_a_decision_form_with_mistakes_says_what_to_fix_and_saves_nothing(
    client_for, office, pupil, purposes
):
    response = client_for(office).post(
        reverse("consent_decision_create", args=[pupil.pk]),
        _decision_post(purposes["displays"], received_on="31/13/2025", carer_name=""),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a date like 01/09/2026." in html
    assert "Enter the name of the person with parental responsibility." in html
    assert not ConsentDecision.objects.exists()


def test_a_decision_the_purpose_does_not_take_is_refused_on_the_form(
    client_for, office, pupil, purposes
):
    response = client_for(office).post(
        reverse("consent_decision_create", args=[pupil.pk]),
        _decision_post(purposes["displays"], outcome="granted"),
    )
    assert "record one of: objection, objection withdrawn" in response.content.decode()
    assert not ConsentDecision.objects.exists()


def test_a_correction_through_the_page(client_for, office, pupil, purposes):
    decision = record(pupil, purposes["website"], office)
    response = client_for(office).post(
        reverse("consent_decision_correct", args=[decision.pk]),
        {"outcome": "void", "note": "Entered against the wrong pupil."},
    )
    assert response.status_code == 302
    assert ConsentDecision.objects.get(corrects=decision).outcome == Outcome.VOID
    html = page(client_for(office), "consent_pupil_detail", pupil.pk)
    assert "Corrected: no longer counts" in html


def test_a_competence_assessment_through_the_page(client_for, school, office, dsl, purposes):
    teen = pupil_for(school, office, date_of_birth=dt.date(2011, 2, 1), year_group=10)
    response = client_for(dsl).post(
        reverse("consent_competence_create", args=[teen.pk]),
        {
            "competent": "yes",
            "assessed_by": dsl.memberships.get().pk,
            "assessed_on": "01/10/2026",
            "note": "Explained who would see the photos.",
        },
    )
    assert response.status_code == 302
    assert teen.competence.get().assessed_by == dsl


def test_a_pupil_is_added_and_marked_as_left_through_the_pages(client_for, office, purposes):
    client = client_for(office)
    response = client.post(
        reverse("consent_pupil_create"),
        {
            "legal_forename": "Zoë", "legal_surname": "Ødegaard", "date_of_birth": "02/03/2018",
            "year_group": "2", "registration_group": "2A", "upn": "b123456789012",
            "admission_number": "00412",
        },
    )  # fmt: skip
    assert response.status_code == 302
    pupil = purposes["website"].school.pupils.get()
    assert pupil.upn == "B123456789012" and pupil.admission_number == "00412"
    response = client.post(
        reverse("consent_pupil_leave", args=[pupil.pk]), {"leaving_date": "21/07/2027"}
    )
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.leaving_date == dt.date(2027, 7, 21)


def test_a_duplicate_upn_is_a_clear_error(client_for, office, pupil):
    response = client_for(office).post(
        reverse("consent_pupil_create"),
        {
            "legal_forename": "Sam", "legal_surname": "Other", "date_of_birth": "02/03/2018",
            "year_group": "2", "upn": pupil.upn,
        },
    )  # fmt: skip
    assert "Another pupil of the school has this UPN." in response.content.decode()


# --- Bulk entry ------------------------------------------------------------------------------


def _bulk_data(pupils, purpose, **extra):
    data = {"method": "entrant_form", "received_on": "02/09/2025",
            "submission_key": "1d6a3b8e-7b1a-4c55-9d7e-55d8e0f3a111"}  # fmt: skip
    for n, p in enumerate(pupils):
        data[f"p{p.pk}-carer_name"] = f"Parent {n}"
        data[f"p{p.pk}-relationship"] = "parent"
        data[f"p{p.pk}-u{purpose.pk}"] = "granted" if n % 2 == 0 else "refused"
    data.update(extra)
    return data


def test_bulk_entry_of_a_class_records_every_row(client_for, school, office, purposes):
    pupils = [pupil_for(school, office, registration_group="1A") for _ in range(4)]
    purpose = purposes["website"]
    url = reverse("consent_bulk_entry") + "?group=1A"
    response = client_for(office).post(url, _bulk_data(pupils, purpose))
    assert response.status_code == 302
    assert ConsentDecision.objects.count() == 4
    assert status_of(pupils[0], purpose, dt.date(2025, 9, 3)) == Status.ALLOWED
    assert status_of(pupils[1], purpose, dt.date(2025, 9, 3)) == Status.REFUSED


def test_bulk_entry_with_a_bad_row_saves_nothing_and_marks_the_row(
    client_for, school, office, purposes
):
    pupils = [pupil_for(school, office, registration_group="1A") for _ in range(3)]
    purpose = purposes["website"]
    data = _bulk_data(pupils, purpose, **{f"p{pupils[2].pk}-carer_name": ""})
    response = client_for(office).post(reverse("consent_bulk_entry") + "?group=1A", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved." in html and "Enter who signed the form." in html
    assert not ConsentDecision.objects.exists()


def test_bulk_entry_refused_by_the_service_saves_nothing(client_for, school, office, purposes):
    pupils = [pupil_for(school, office, registration_group="1A") for _ in range(2)]
    data = _bulk_data(pupils, purposes["website"], received_on="01/01/2099")
    response = client_for(office).post(reverse("consent_bulk_entry") + "?group=1A", data)
    assert "cannot be in the future" in response.content.decode()
    assert not ConsentDecision.objects.exists()


# --- Exports, the sheet, history -------------------------------------------------------------


def test_a_formula_like_name_cannot_run_when_exported(client_for, school, office, purposes):
    pupil_for(school, office, legal_forename='=HYPERLINK("http://x")', registration_group="5E")
    client = client_for(office)
    for name, query in (
        ("consent_register_csv", {"group": "5E"}),
        ("consent_pupil_list_csv", {}),
        ("consent_gaps_csv", {}),
    ):
        body = b"".join(client.get(reverse(name), query).streaming_content).decode("utf-8-sig")
        assert "'=HYPERLINK" in body, name
        assert ",=HYPERLINK" not in body and '"=HYPERLINK' not in body, name


def test_governors_counts_export_has_no_names(client_for, governor, pupil, office, purposes):
    record(pupil, purposes["website"], office)
    response = client_for(governor).get(reverse("consent_counts_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "School website" in body and pupil.legal_surname not in body


def test_the_class_sheet_marks_who_must_not_appear_without_reasons(
    client_for, school, staff, office, dsl, pupil, purposes
):
    record(pupil, purposes["website"], office)
    hidden = pupil_for(school, office, legal_forename="Cara", legal_surname="Lowe",
                       registration_group="4C")  # fmt: skip
    services.photo_restriction_set(pupil=hidden, actor=dsl, reason="Court order XYZ")
    html = page(client_for(staff), "consent_class_sheet", group="4C")
    assert "MUST NOT APPEAR" in html and "Cara Lowe" in html
    assert "goes out of date" in html and "Generated on" in html
    assert "Court order" not in html and "withdrawn" not in html.lower()


def test_the_class_sheet_pdf(client_for, school, staff, office, dsl, pupil, purposes, tmp_path):
    record(pupil, purposes["website"], office)
    hidden = pupil_for(school, office, legal_forename="Cara", legal_surname="Lowe",
                       registration_group="4C")  # fmt: skip
    services.photo_restriction_set(pupil=hidden, actor=dsl, reason="Court order XYZ")
    response = client_for(staff).get(reverse("consent_class_sheet_pdf"), {"group": "4C"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    text = " ".join(text.split())
    assert "Image consent: class 4C" in text
    assert "MUST NOT APPEAR" in text and "Cara Lowe" in text and "DO NOT PHOTOGRAPH" in text
    assert "goes out of date" in text
    assert "Court order" not in text
    assert "Amelia Hart" in text


def test_history_shows_every_change_with_who_made_it(
    client_for, school, office, dsl, headteacher, pupil, purposes
):
    record(pupil, purposes["website"], office)
    services.pupil_update(pupil=pupil, actor=office, registration_group="5C")
    services.photo_restriction_set(pupil=pupil, actor=dsl, reason="Court order")
    html = page(client_for(headteacher), "consent_pupil_history", pupil.pk)
    assert "Olive Office" in html and "Dev Singh" in html
    assert "Consent decision added" in html and "Photo restriction added" in html
    assert "4C" in html and "5C" in html
    purpose = purposes["website"]
    services.purpose_update(purpose=purpose, actor=headteacher, valid_for_years=2)
    html = page(client_for(headteacher), "consent_purpose_history", purpose.pk)
    assert "Hannah Head" in html and "Valid for (academic years)" in html


def test_history_shows_corrections_lifts_assessments_and_carers_with_who_made_them(
    client_for, school, office, dsl, headteacher, pupil, purposes
):
    """Issue 11: every change to a decision, purpose, pupil or restriction, with who made it.
    A decision is never edited: its correction is a new decision that names what it corrects."""
    decision = record(pupil, purposes["website"], office, carer_name="Jane Parent")
    services.consent_decision_correct(
        decision=decision, actor=office, outcome=Outcome.REFUSED, note="Ticked no on the form"
    )
    restriction = services.photo_restriction_set(
        pupil=pupil, actor=dsl, reason="Court order",
        starts_on=timezone.localdate() - dt.timedelta(days=10),
    )  # fmt: skip
    services.photo_restriction_lift(
        restriction=restriction, actor=headteacher, reason="The order has ended"
    )
    services.competence_assessment_record(
        pupil=pupil, actor=dsl, assessed_by=dsl, assessed_on=timezone.localdate(),
        competent=True, note="Understands what sharing means",
    )  # fmt: skip
    response = client_for(headteacher).get(reverse("consent_pupil_history", args=[pupil.pk]))
    rows = response.context["page"].object_list
    seen = {(row.summary, row.who) for row in rows}
    assert ("Consent decision added", "Olive Office") in seen
    assert ("Parent or carer added", "Olive Office") in seen
    assert ("Photo restriction added", "Dev Singh") in seen
    assert ("Photo restriction changed", "Hannah Head") in seen
    assert ("Competence assessment added", "Dev Singh") in seen
    changes = [c for row in rows for c in row.changes]
    assert any(c.label == "Corrects" and c.new != "(empty)" for c in changes)
    assert any("The order has ended" in c.new for c in changes)
    # No decision was ever changed in place: each has only its "added" record.
    assert not any(row.summary == "Consent decision changed" for row in rows)
    office_view = client_for(office).get(reverse("consent_pupil_history", args=[pupil.pk]))
    assert "The order has ended" not in office_view.content.decode()
    assert "Court order" not in office_view.content.decode()


# --- Purposes --------------------------------------------------------------------------------


def test_the_headteacher_adds_the_default_purposes_and_edits_one(client_for, school, headteacher):
    client = client_for(headteacher)
    assert client.post(reverse("consent_purpose_defaults")).status_code == 302
    assert Purpose.objects.filter(school=school).count() == 7
    purpose = Purpose.objects.get(school=school, kind="website")
    response = client.post(
        reverse("consent_purpose_edit", args=[purpose.pk]),
        {"name": "Website", "description": "", "media": "photo", "audience": "public",
         "lawful_basis": "consent", "valid_for_years": "1", "is_active": "on", "order": "5"},
    )  # fmt: skip
    assert response.status_code == 302
    purpose.refresh_from_db()
    assert purpose.name == "Website" and purpose.valid_for_years == 1


def test_the_office_reads_purposes_but_cannot_change_them(client_for, office, purposes):
    client = client_for(office)
    assert "School website" in page(client, "consent_purpose_list")
    assert client.post(reverse("consent_purpose_defaults")).status_code == 403
    url = reverse("consent_purpose_edit", args=[purposes["website"].pk])
    assert client.get(url).status_code == 403


def test_a_duplicate_purpose_name_is_a_clear_error(client_for, headteacher, purposes):
    response = client_for(headteacher).post(
        reverse("consent_purpose_create"),
        {"name": "school WEBSITE", "media": "photo", "audience": "public",
         "lawful_basis": "consent", "order": "5"},
    )  # fmt: skip
    assert "The school already has a purpose with this name." in response.content.decode()


def test_the_scotland_setting(client_for, school, headteacher):
    response = client_for(headteacher).post(
        reverse("consent_settings"), {"presume_competence": "on"}
    )
    assert response.status_code == 302
    assert services.consent_settings_for(school).presume_competence


def test_pages_of_the_register_render_for_every_reader(client_for, office, pupil, purposes):
    record(pupil, purposes["website"], office)
    client = client_for(office)
    for name in ("consent_register", "consent_pupil_list", "consent_gaps", "consent_lapsing",
                 "consent_counts", "consent_lookup", "consent_class_sheet", "consent_bulk_entry",
                 "consent_purpose_list", "consent_pupil_create"):  # fmt: skip
        page(client, name)
    assert displays(pupil.school).name in page(client, "consent_register")


def test_the_dashboard_shows_the_office_what_the_register_needs(client_for, school, office, pupil):
    html = page(client_for(office), "dashboard")
    assert "1 pupil has no image consent decision for a purpose that needs one" in html
    gaps = client_for(office).get(reverse("consent_in_school", args=[school.pk, "gaps"]))
    assert gaps.status_code == 200 and "Amelia Hart" in gaps.content.decode()


def test_the_menu_offers_image_consent_to_staff_and_governors(client_for, staff, governor):
    for person in (staff, governor):
        assert 'href="/consent/"' in page(client_for(person), "dashboard")


def test_exports_and_printed_sheets_are_in_the_access_log(client_for, school, office, staff, pupil):
    from socialgov.audit.models import AccessLogEntry

    client_for(office).get(reverse("consent_pupil_list_csv"))
    client_for(office).get(reverse("consent_register_csv"), {"group": "4C"})
    client_for(staff).get(reverse("consent_class_sheet_pdf"), {"group": "4C"})
    logged = sorted(AccessLogEntry.objects.values_list("person__email", "action", "description"))
    assert logged == [
        (office.email, "exported", "Image consent register of class 4C (CSV)"),
        (office.email, "exported", "Pupil list (CSV)"),
        (staff.email, "printed", "Image consent sheet of class 4C"),
    ]
