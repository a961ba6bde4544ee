"""Issue 11, deliverable 6: "CSV export of each view". Besides the grid, the pupil list, the
gaps and governors' counts, the pupil page's chronology and the "Coming up" page export too: the
register's readers only, logged in the access log, formula-neutralised, queries flat."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import Outcome
from socialgov.audit.models import AccessLogEntry
from tests.consent.factories import default_purposes, pupil_for, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def purposes(school):
    return default_purposes(school)


@pytest.fixture
def pupil(school, office, purposes):
    return pupil_for(
        school, office, legal_forename="Amelia", legal_surname="Hart", registration_group="4C"
    )


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        b"".join(response.streaming_content)
    return len(captured)


# --- The pupil's chronology ---------------------------------------------------------------------


def test_the_chronology_csv_holds_every_decision_as_the_page_shows_it(
    client_for, office, pupil, purposes
):
    first = record(pupil, purposes["website"], office, received_on=dt.date(2025, 9, 1))
    record(
        pupil,
        purposes["social_media"],
        office,
        Outcome.REFUSED,
        received_on=dt.date(2025, 9, 2),
        carer_name="Tom Hart",
        relationship="father",
        method="letter",
    )
    services.consent_decision_correct(
        decision=first,
        actor=office,
        outcome=Outcome.REFUSED,
        note="The form said no: entered wrongly",
    )
    url = reverse("consent_pupil_chronology_csv", args=[pupil.pk])
    rows = rows_of(client_for(office).get(url))
    assert [(r["Purpose"], r["Decision"], r["Still counts"]) for r in rows] == [
        ("School website", "Granted", "No, corrected"),
        ("School website", "Refused", "Yes"),
        ("Official social media", "Refused", "Yes"),
    ]
    assert rows[1]["Corrects the entry of"] == "01/09/2025"
    assert rows[1]["Recorded by"] == "Olive Office"
    assert rows[2]["Given by"] == "Tom Hart" and rows[2]["Relationship"] == "Father"
    assert rows[2]["How it arrived"] == "Letter" and rows[2]["Received on"] == "02/09/2025"
    page = client_for(office).get(reverse("consent_pupil_detail", args=[pupil.pk]))
    assert url in page.content.decode()


def test_the_chronology_csv_is_for_register_readers_and_logged(
    client_for, office, staff, governor, pupil, purposes
):
    record(pupil, purposes["website"], office)
    url = reverse("consent_pupil_chronology_csv", args=[pupil.pk])
    assert client_for(staff).get(url).status_code == 403
    assert client_for(governor).get(url).status_code == 403
    rows_of(client_for(office).get(url))
    logged = list(AccessLogEntry.objects.values_list("person__email", "action", "description"))
    assert logged == [
        (office.email, "exported", "Image consent chronology of Amelia Hart (CSV)"),
    ]


def test_the_chronology_csv_neutralises_a_formula_like_note(client_for, office, pupil, purposes):
    record(pupil, purposes["website"], office, note='=HYPERLINK("http://x")')
    response = client_for(office).get(reverse("consent_pupil_chronology_csv", args=[pupil.pk]))
    assert rows_of(response)[0]["Note"].startswith("'=HYPERLINK")


def test_the_chronology_csv_does_not_grow_with_decisions(client_for, office, pupil, purposes):
    client = client_for(office)
    url = reverse("consent_pupil_chronology_csv", args=[pupil.pk])
    record(pupil, purposes["website"], office)
    queries(client, url)
    small = queries(client, url)
    for day in range(2, 22):
        record(pupil, purposes["video"], office, received_on=dt.date(2025, 9, day))
    assert queries(client, url) == small


# --- Coming up ----------------------------------------------------------------------------------


def test_the_coming_up_csv_lists_what_needs_reconfirming_and_what_ends_soon(
    client_for, school, office, headteacher, pupil, purposes
):
    today = timezone.localdate()
    record(
        pupil,
        purposes["website"],
        office,
        received_on=today - dt.timedelta(days=30),
        expires_on=today + dt.timedelta(days=10),
    )
    other = pupil_for(school, office, legal_forename="Ben", legal_surname="Cole")
    video = purposes["video"]
    services.purpose_update(purpose=video, actor=headteacher, valid_for_years=1)
    video.refresh_from_db()
    record(other, video, office, received_on=today.replace(year=today.year - 2))
    rows = rows_of(client_for(office).get(reverse("consent_lapsing_csv")))
    by_pupil = {r["Pupil"]: r for r in rows}
    assert by_pupil["Amelia Hart"]["Purpose"] == "School website"
    assert by_pupil["Amelia Hart"]["Last day it counts"] == (
        today + dt.timedelta(days=10)
    ).strftime("%d/%m/%Y")
    assert by_pupil["Amelia Hart"]["Then"] == "No — expired"
    assert by_pupil["Ben Cole"]["Then"].endswith("(now)")
    assert "re-confirming" in by_pupil["Ben Cole"]["Then"]
    page = client_for(office).get(reverse("consent_lapsing")).content.decode()
    assert reverse("consent_lapsing_csv") in page


def test_the_coming_up_csv_is_for_register_readers_and_logged(client_for, office, staff, pupil):
    assert client_for(staff).get(reverse("consent_lapsing_csv")).status_code == 403
    rows_of(client_for(office).get(reverse("consent_lapsing_csv")))
    assert list(AccessLogEntry.objects.values_list("description", flat=True)) == [
        "Image consents coming up for renewal (CSV)"
    ]
