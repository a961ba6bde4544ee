"""Exports and the access log: the CSV list (formula-safe, no descriptions), the chronology PDF
for the LADO or police (handler or case manager only), and every read of an incident — page,
history, evidence, PDF — written to the access log with the visitor's address."""

import subprocess

import pytest

from incidents.reports import services
from incidents.reports.models import ActionType, Category, Incident
from socialgov.audit.models import AccessLogEntry
from tests.incidents.helpers import client_as, concern_about, evidence_upload, pupil, report, triage


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_csv_lists_the_incidents_without_their_descriptions(school, dsl, staff):
    incident = report(
        school,
        staff,
        Category.CYBERBULLYING,
        description="Secret details",
        external_reference='=HYPERLINK("http://evil")',
    )
    triage(incident, dsl)
    text = _csv(client_as(dsl).get("/incidents/export.csv"))
    assert incident.reference in text and "Dev Singh" in text
    assert "Secret details" not in text
    assert "'=HYPERLINK" in text  # neutralised for spreadsheets


def test_the_csv_logs_each_incident_it_holds_and_the_log_shows_each_to_its_handlers_only(
    school, headteacher, deputy_head, dsl, chair, staff, settings
):
    settings.PROXY_COUNT = 1
    bullying = report(school, staff, Category.CYBERBULLYING)
    about_head = concern_about(school, deputy_head, headteacher)
    posts = report(school, staff, Category.PARENT_CONDUCT)  # the head's, not the DSL's
    headers = {"REMOTE_ADDR": "172.18.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    response = client_as(dsl).get("/incidents/export.csv", {"show": "all"}, **headers)
    assert bullying.reference in _csv(response)
    entries = AccessLogEntry.objects.filter(person=dsl)
    assert [(e.object_id, e.action, e.description, e.ip_address) for e in entries] == [
        (bullying.pk, "exported", "Incident list (CSV)", "203.0.113.7")
    ]
    _csv(client_as(chair).get("/incidents/export.csv", {"show": "all"}))
    assert list(
        AccessLogEntry.objects.filter(person=chair).values_list("object_id", flat=True)
    ) == [about_head.pk]
    # The headteacher's log (she sees the log) shows neither export: neither incident is hers.
    head_log = client_as(headteacher).get("/audit/access-log/").context["page"].object_list
    assert [e.object_id for e in head_log] == []
    _csv(client_as(headteacher).get("/incidents/export.csv", {"show": "all"}))
    head_log = client_as(headteacher).get("/audit/access-log/").context["page"].object_list
    assert [e.object_id for e in head_log] == [posts.pk]


def test_every_read_is_logged_with_the_visitors_address(school, dsl, staff, settings):
    settings.PROXY_COUNT = 1
    incident = report(school, staff, Category.CYBERBULLYING, evidence=[evidence_upload()])
    triage(incident, dsl)
    evidence = incident.evidence.get()
    client = client_as(dsl)
    headers = {"REMOTE_ADDR": "172.18.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for url in (
        f"/incidents/{incident.pk}/",
        f"/incidents/{incident.pk}/history/",
        f"/incidents/{incident.pk}/evidence/{evidence.pk}/",
        f"/incidents/{incident.pk}/chronology.pdf",
    ):
        assert client.get(url, **headers).status_code == 200, url
    entries = AccessLogEntry.objects.filter(object_id=incident.pk).order_by("at", "pk")
    assert [(e.action, e.description) for e in entries] == [
        ("viewed", "Incident report"),
        ("viewed", "Incident history"),
        ("downloaded", "Evidence file"),
        ("exported", "Chronology PDF"),
    ]
    assert {e.ip_address for e in entries} == {"203.0.113.7"}
    assert {e.person_id for e in entries} == {dsl.pk}
    assert all(e.content_type.model_class() is Incident for e in entries)


def test_the_reporter_reading_the_status_is_logged_too(school, dsl, staff):
    incident = report(school, staff)
    client_as(staff).get(f"/incidents/{incident.pk}/")
    assert AccessLogEntry.objects.get(object_id=incident.pk).description == "Report status"


def test_the_access_log_shows_incident_reads_to_those_who_handle_it_only(
    school, headteacher, dsl, staff, chair
):
    about_head = concern_about(school, dsl, headteacher)
    bullying = report(school, staff, Category.CYBERBULLYING)
    client_as(chair).get(f"/incidents/{about_head.pk}/")
    client_as(dsl).get(f"/incidents/{bullying.pk}/")
    head_log = client_as(headteacher).get("/audit/access-log/").context["page"].object_list
    assert [e.object_id for e in head_log] == []  # neither is the head's to handle
    dsl_log = client_as(dsl).get("/audit/access-log/").context["page"].object_list
    assert [e.object_id for e in dsl_log] == [bullying.pk]


def test_the_chronology_pdf_holds_the_report_and_every_entry(
    school, headteacher, dsl, deputy_dsl, staff, tmp_path
):
    incident = report(
        school,
        staff,
        Category.CYBERBULLYING,
        description="Messages in a class group chat.",
        people=[pupil("Zara Example")],
    )
    triage(incident, dsl, reason="Sustained.")
    services.incident_action_record(
        incident=incident,
        actor=dsl,
        action_type=ActionType.POLICE,
        notes="Reported to the police: reference 2026-0815.",
    )
    response = client_as(dsl).get(f"/incidents/{incident.pk}/chronology.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert f"{incident.reference}-chronology.pdf" in response["Content-Disposition"]
    path = tmp_path / "chronology.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        f"Chronology of {incident.reference}",
        "Willow Bank Primary School",
        "Messages in a class group chat.",
        "Zara Example",
        "Triaged",
        "Police",
        "reference 2026-0815",
        "Exported by Dev Singh",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("who", ["deputy_dsl", "staff", "headteacher"])
def test_the_chronology_pdf_is_refused_to_others(request, school, dsl, deputy_dsl, staff, who):
    incident = report(school, staff, Category.CYBERBULLYING)
    triage(incident, dsl)
    status = (
        client_as(request.getfixturevalue(who))
        .get(f"/incidents/{incident.pk}/chronology.pdf")
        .status_code
    )
    assert status == {"deputy_dsl": 403, "staff": 403, "headteacher": 404}[who]
    assert not AccessLogEntry.objects.filter(action="exported").exists()
