"""Importing pupils from MIS exports: messy files, bad rows, idempotence, leavers only with the
full roll, formula-like names, unknown headings, the command line and the office's pages."""

import datetime as dt
import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from consent import pupil_import
from consent.listeners import WITHDRAWAL_LISTENERS, Cause, WithdrawalListener
from consent.models import Pupil
from socialgov import csv_import
from tests.consent.factories import default_purposes

pytestmark = pytest.mark.django_db

SIMS = (
    "Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg,UPN,Adno,Admission Date\n"
    "Ahmed,Yusuf,,14/03/2016,Year  5,5W,A123456789012,00123,01/09/2020\n"
    "Brown,Elizabeth,Libby,02/11/2015 00:00,Year 5,5W,B123456789012,00124,01/09/2020 00:00\n"
    "Clarke ,  Mia ,,2019-07-30,Reception,RB,,00125,2023-09-04\n"
)


def preview(school, text_or_bytes, **kw):
    data = text_or_bytes.encode() if isinstance(text_or_bytes, str) else text_or_bytes
    return pupil_import.pupil_import_preview(school=school, data=data, **kw)


def apply(school, text_or_bytes, *, actor=None, full_roll=False, **kw):
    found = preview(school, text_or_bytes, **kw)
    return pupil_import.pupil_import_apply(
        school=school, actor=actor, preview=found, full_roll=full_roll
    )


def test_a_sims_report_imports_with_its_messy_values(school, office):
    result = apply(school, SIMS, actor=office)
    assert (result.created, result.refused) == (3, 0)
    libby = Pupil.objects.get(upn="B123456789012")
    assert libby.display_name == "Libby Brown" and libby.legal_name == "Elizabeth Brown"
    assert libby.date_of_birth == dt.date(2015, 11, 2)
    assert libby.admission_date == dt.date(2020, 9, 1)
    mia = Pupil.objects.get(admission_number="00125")
    assert (mia.legal_surname, mia.legal_forename, mia.upn) == ("Clarke", "Mia", "")
    assert mia.year_group == 0 and mia.registration_group == "RB"
    assert Pupil.objects.get(admission_number="00123").year_group == 5
    assert mia.history.get().history_user == office


def test_the_same_file_twice_changes_nothing_the_second_time(school):
    apply(school, SIMS)
    history_rows = Pupil.history.count()
    second = preview(school, SIMS)
    assert second.counts["unchanged"] == 3 and not second.changes_anything
    result = apply(school, SIMS)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert Pupil.history.count() == history_rows


def test_a_changed_row_updates_the_pupil_matched_by_upn_then_admission_number(school):
    apply(school, SIMS)
    changed = SIMS.replace("Year  5,5W,A123", "Year 6,6W,A123").replace(
        ",,00125", ",A999999999999,00125"
    )
    found = preview(school, changed)
    rows = {row.line: row for row in found.rows}
    assert rows[2].outcome == "update" and "Class: 5W → 6W." in rows[2].changes
    assert rows[4].outcome == "update" and "UPN: none → A999999999999." in rows[4].changes
    apply(school, changed)
    assert Pupil.objects.get(admission_number="00125").upn == "A999999999999"
    assert Pupil.objects.count() == 3


def test_bad_rows_are_reported_by_line_and_the_good_ones_imported(school):
    text = (
        "Surname,Forename,Date of Birth,Year Group,Tutor Group,UPN,Admission Number\n"
        "Good,One,01/01/2015,6,6A,C123456789012,001\n"
        "Bad,Date,31/02/2015,6,6A,C223456789012,002\n"
        "Bad,Year,01/01/2015,Year 15,6A,C323456789012,003\n"
        "Bad,Upn,01/01/2015,6,6A,NOT-A-UPN,004\n"
        ",Nameless,01/01/2015,6,6A,C423456789012,005\n"
        "No,Identifier,01/01/2015,6,6A,,\n"
        "Twin,A,01/01/2015,6,6A,C523456789012,006\n"
        "Twin,B,01/01/2015,6,6A,C523456789012,007\n"
        "Good,Two,01/01/2015,6,6A,,008\n"
    )
    result = apply(school, text)
    assert result.created == 2 and result.refused == 7
    reasons = " | ".join(result.reasons)
    assert "line 3: The date of birth “31/02/2015” is not a date like 01/09/2015." in reasons
    assert "line 4: The year group “Year 15” is not one the import knows" in reasons
    assert "line 5: The UPN “NOT-A-UPN” is not a UPN" in reasons
    assert "line 6: The legal surname is missing." in reasons
    assert "line 7: Neither a UPN nor an admission number" in reasons
    assert "line 8: The same UPN is also on line 9." in reasons
    assert "line 9: The same UPN is also on line 8." in reasons
    assert set(Pupil.objects.values_list("admission_number", flat=True)) == {"001", "008"}


def test_a_windows_1252_file_with_accented_names(school):
    text = "Last Name;First Name;Date of Birth;Year Group;Registration Form;UPN\n"
    text += (
        "Ødegård;Zoë;03/04/2014;Y7;7K;D123456789012\nNíÉill;Seán;04/05/2014;7;7K;D223456789012\n"
    )
    found = preview(school, text.encode("cp1252"))
    assert found.encoding == "Windows-1252"
    apply(school, text.encode("cp1252"))
    assert Pupil.objects.get(upn="D123456789012").display_name == "Zoë Ødegård"
    assert Pupil.objects.get(upn="D223456789012").legal_forename == "Seán"


def test_a_utf8_file_with_bom_title_rows_and_a_footer(school):
    text = (
        "Student List - Arbor Export\n"
        "Printed 01/12/2026 by J Moss\n"
        "\n"
        "Last Name,First Name,Preferred First Name,Date of Birth,Year,Registration Group,UPN,"
        "Admission Number,Date of Admission,Leaving Date\n"
        "Łukasz,Ana,,2016-09-01,Year 4,4P,E123456789012,0451,2021-09-01,\n"
        "O'Brien,Siobhán,Shiv,2016-10-11,Year 4,4P,E223456789012,0452,2021-09-01,\n"
        "\n"
        "Total: 2 students\n"
    )
    found = preview(school, "\ufeff" + text)
    assert found.table.skipped_lines == [1, 2, 8]
    assert found.counts["new"] == 2
    apply(school, ("\ufeff" + text).encode("utf-8"))
    assert Pupil.objects.get(upn="E223456789012").display_name == "Shiv O'Brien"
    assert Pupil.objects.get(upn="E123456789012").admission_number == "0451"


@pytest.mark.parametrize(
    "value,year",
    [("Year  7", 7), ("Year 7", 7), ("7", 7), ("Y7", 7), ("Reception", 0), ("R", 0),
     ("N1", -2), ("N2", -1), ("Year 13", 13), ("Nursery 1", -2)],
)  # fmt: skip
def test_year_values_as_mis_exports_write_them(value, year):
    assert pupil_import.parse_year_group(value) == year


@pytest.mark.parametrize("value", ["Year 14", "Nursery", "Yr 7b", "seven"])
def test_year_values_the_import_does_not_guess(value):
    assert pupil_import.parse_year_group(value) is None


def test_a_leaver_is_marked_not_deleted_and_only_with_the_full_roll(school, office):
    default_purposes(school)
    apply(school, SIMS)
    without_mia = "\n".join(SIMS.splitlines()[:3]) + "\n"
    found = preview(school, without_mia)
    assert [p.admission_number for p in found.absent] == ["00125"]
    apply(school, without_mia)
    assert Pupil.objects.get(admission_number="00125").leaving_date is None
    heard = []
    with WITHDRAWAL_LISTENERS.only(WithdrawalListener("test.heard", heard.append)):
        result = apply(school, without_mia, actor=office, full_roll=True)
    assert result.marked_left == 1
    mia = Pupil.objects.get(admission_number="00125")
    assert mia.leaving_date == dt.date.today()
    assert Pupil.objects.count() == 3
    assert {(c.pupil.pk, c.cause) for c in heard} == {(mia.pk, Cause.LEFT)}
    assert len(heard) == 7  # one per purpose in use


def test_a_leaving_date_in_the_file_is_recorded(school):
    apply(school, SIMS)
    text = "UPN,Surname,Forename,DOB,Year,Leaving Date\n"
    text += "A123456789012,Ahmed,Yusuf,14/03/2016,5,24/07/2026\n"
    found = preview(school, text)
    assert found.rows[0].changes == ["Leaving date: none → 24/07/2026."]
    apply(school, text)
    assert Pupil.objects.get(upn="A123456789012").leaving_date == dt.date(2026, 7, 24)


def test_a_formula_like_name_is_stored_as_text_and_cannot_run_when_exported(
    client_for, school, office
):
    text = "Surname,Forename,DOB,Year,Reg,UPN\n"
    text += "=cmd|' /C calc'!A0,@SUM(1+1),01/01/2015,6,6F,F123456789012\n"
    apply(school, text)
    pupil = Pupil.objects.get(upn="F123456789012")
    assert pupil.legal_surname == "=cmd|' /C calc'!A0"
    response = client_for(office).get(reverse("consent_pupil_list_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=cmd|" in body and "'@SUM(1+1)" in body
    assert ",=cmd" not in body and ",@SUM" not in body


def test_an_unknown_heading_asks_for_a_mapping(school):
    text = "Pupil Surname,Pupil Forename,Birthday,Year,UPN\nSmith,Jo,01/01/2015,6,G123456789012\n"
    with pytest.raises(csv_import.ColumnsUnmapped) as raised:
        preview(school, text)
    assert set(raised.value.table.unknown_headings) == {
        "Pupil Surname",
        "Pupil Forename",
        "Birthday",
    }
    mapping = {"Pupil Surname": "legal_surname", "Pupil Forename": "legal_forename",
               "Birthday": "date_of_birth"}  # fmt: skip
    apply(school, text, mapping=mapping)
    assert Pupil.objects.get(upn="G123456789012").date_of_birth == dt.date(2015, 1, 1)


def test_a_preview_gone_stale_writes_nothing(school):
    found = preview(school, SIMS)
    apply(school, SIMS.splitlines()[0] + "\n" + SIMS.splitlines()[1] + "\n")
    with pytest.raises(csv_import.PreviewStale):
        pupil_import.pupil_import_apply(school=school, actor=None, preview=found)
    assert Pupil.objects.count() == 1


def test_a_upn_and_admission_number_of_two_different_pupils_is_refused(school):
    apply(school, SIMS)
    text = "Surname,Forename,DOB,Year,UPN,Adno\nAhmed,Yusuf,14/03/2016,5,A123456789012,00124\n"
    row = preview(school, text).rows[0]
    assert row.errors == [
        "The UPN and the admission number belong to two different pupils: check the MIS."
    ]


def test_the_staff_may_not_import(client_for, staff, headteacher):
    for person in (staff, headteacher):
        assert client_for(person).get(reverse("consent_import")).status_code == 403


# --- The command -----------------------------------------------------------------------------


def test_the_command_imports_and_a_second_run_changes_nothing(school, tmp_path):
    path = tmp_path / "sims.csv"
    path.write_text(SIMS)
    out = io.StringIO()
    call_command("import_pupils", str(path), "--school", school.urn, stdout=out)
    assert "3 created, 0 updated, 0 unchanged, 0 marked as left, 0 refused" in out.getvalue()
    out = io.StringIO()
    call_command("import_pupils", str(path), "--school", school.urn, stdout=out)
    assert "0 created, 0 updated, 3 unchanged" in out.getvalue()


def test_the_command_dry_run_changes_nothing_and_says_why_rows_are_refused(school, tmp_path):
    path = tmp_path / "sims.csv"
    path.write_text(SIMS + "Bad,Row,,99/99/2015,5,5W,H123456789012,00999,\n")
    out = io.StringIO()
    call_command("import_pupils", str(path), "--school", school.urn, "--dry-run", stdout=out)
    assert "line 5: refused: The date of birth “99/99/2015” is not a date" in out.getvalue()
    assert "Dry run: 3 to create" in out.getvalue()
    assert not Pupil.objects.exists()


def test_the_command_marks_leavers_only_with_full_roll(school, tmp_path):
    apply(school, SIMS)
    path = tmp_path / "two.csv"
    path.write_text("\n".join(SIMS.splitlines()[:3]) + "\n")
    out = io.StringIO()
    call_command("import_pupils", str(path), "--school", school.urn, stdout=out)
    assert "1 pupils on the roll are not in the file (left alone" in out.getvalue()
    call_command("import_pupils", str(path), "--school", school.urn, "--full-roll", stdout=out)
    assert "1 marked as left" in out.getvalue()


def test_the_command_explains_an_unknown_school_or_heading(school, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Who,When\nx,y\n")
    with pytest.raises(CommandError, match="No school has the URN 999999"):
        call_command("import_pupils", str(path), "--school", "999999")
    with pytest.raises(CommandError, match="Headings the import does not know: Who, When"):
        call_command("import_pupils", str(path), "--school", school.urn)


# --- The office's pages ----------------------------------------------------------------------


def _upload(client, text, name="pupils.csv"):
    return client.post(
        reverse("consent_import"),
        {"csv_file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_the_office_imports_through_preview_and_confirm(client_for, school, office):
    client = client_for(office)
    response = _upload(client, SIMS)
    assert response.url == reverse("consent_import_preview")
    html = client.get(response.url).content.decode()
    assert "Nothing has been saved yet." in html and "Libby Brown" in html
    assert not Pupil.objects.exists()
    digest = pupil_import.pupil_import_preview(school=school, data=SIMS.encode()).digest
    response = client.post(reverse("consent_import_preview"), {"digest": digest})
    assert response.url == reverse("consent_import_done")
    html = client.get(response.url).content.decode()
    assert "<strong>3</strong> created" in html
    assert Pupil.objects.count() == 3


def test_the_office_maps_an_unknown_heading_in_the_browser(client_for, school, office):
    client = client_for(office)
    text = "Family,Given,Birthday,Year,UPN\nSmith,Jo,01/01/2015,6,G123456789012\n"
    response = _upload(client, text)
    assert response.url == reverse("consent_import_columns")
    html = client.get(response.url).content.decode()
    assert "“Birthday”" in html
    response = client.post(
        response.url,
        {"heading_0": "legal_surname", "heading_1": "legal_forename", "heading_2": "date_of_birth"},
    )
    assert response.url == reverse("consent_import_preview")
    assert "Jo Smith" in client.get(response.url).content.decode()


def test_a_full_roll_confirm_in_the_browser_marks_the_leavers(client_for, school, office):
    apply(school, SIMS)
    two = "\n".join(SIMS.splitlines()[:3]) + "\n"
    client = client_for(office)
    _upload(client, two)
    html = client.get(reverse("consent_import_preview")).content.decode()
    assert "<strong>1</strong> on the roll but not in the file" in html and "Mia Clarke" in html
    digest = pupil_import.pupil_import_preview(school=school, data=two.encode()).digest
    client.post(reverse("consent_import_preview"), {"digest": digest, "full_roll": "on"})
    assert Pupil.objects.get(admission_number="00125").leaving_date == dt.date.today()


def test_an_unreadable_file_is_a_clear_error(client_for, office):
    response = _upload(client_for(office), "")
    assert "The submitted file is empty." in response.content.decode()
    response = _upload(client_for(office), "Surname,Forename\n")
    assert "Missing: Date of birth, Year group" in response.content.decode()


def test_the_rows_with_errors_download_neutralised(client_for, school, office):
    client = client_for(office)
    _upload(client, SIMS + "=BAD,Row,99/99/2015,5,5W,H123456789012,00999\n")
    response = client.get(reverse("consent_import_rejected"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=BAD" in body and "is not a date" in body


# --- Speed -----------------------------------------------------------------------------------


FULL = os.environ.get("SOCIALGOV_BENCHMARK") == "1"
# The target (issue 11) when measured on its own; the quick suite, on a busy machine, only
# catches gross regressions.
IMPORT_LIMIT = 5.0 if FULL else 30.0


def test_importing_2000_pupils_is_quick(school):
    lines = ["Legal Surname,Legal Forename,DOB,Year,Reg,UPN,Adno"]
    for n in range(2000):
        lines.append(f"Surname{n},Forename{n},01/09/2015,{1 + n % 6},{1 + n % 6}X,"
                     f"K{n:011d}{n % 10},{n:05d}")  # fmt: skip
    data = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    result = apply(school, data)
    seconds = time.perf_counter() - started
    print(f"\nBENCHMARK import of 2,000 pupils: {seconds * 1000:.0f} ms")
    assert result.created == 2000
    assert seconds < IMPORT_LIMIT
