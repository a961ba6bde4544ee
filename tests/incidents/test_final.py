"""The original report and the chronology cannot be edited or deleted through any view, form or
service, and the models refuse it too; the Django admin never shows incidents or evidence files."""

import inspect
import re

import pytest
from django.contrib import admin
from django.urls import get_resolver, reverse

from incidents.reports import forms as incident_forms
from incidents.reports import services
from incidents.reports.models import (
    REPORT_FIELDS,
    Category,
    Debrief,
    HarmThresholdDecision,
    IctAction,
    ImageryDecision,
    Incident,
    IncidentEntry,
    IncidentEvidence,
    IncidentPerson,
    RecordIsFinal,
)
from socialgov.uploads.models import StoredFile
from tests.incidents.helpers import (
    client_as,
    evidence_upload,
    make_each_record,
    pupil,
    report,
    triage,
)

APPEND_ONLY = [
    IncidentEntry,
    IncidentPerson,
    IncidentEvidence,
    IctAction,
    HarmThresholdDecision,
    ImageryDecision,
    Debrief,
]


def _report_values(incident):
    incident = Incident.objects.get(pk=incident.pk)
    return {
        f.attname: getattr(incident, f.attname)
        for f in Incident._meta.concrete_fields
        if f.attname in REPORT_FIELDS or f.name in REPORT_FIELDS
    }


def _entries(incident):
    return list(
        IncidentEntry.objects.filter(incident=incident).values_list(
            "pk", "kind", "notes", "happened_at", "done_by_id", "recorded_by_id"
        )
    )


def _incident_url_names():
    resolver = get_resolver()
    return sorted(
        name
        for name in resolver.reverse_dict
        if isinstance(name, str) and name.startswith("incident_")
    )


def test_no_incident_url_edits_or_deletes():
    names = _incident_url_names()
    assert "incident_detail" in names
    assert not [n for n in names if re.search(r"edit|update|delete|remove|change", n)], names


def test_no_service_edits_or_deletes_a_report_or_an_entry():
    names = [name for name, _ in inspect.getmembers(services, inspect.isfunction)]
    assert "incident_report" in names
    offenders = [n for n in names if re.search(r"edit|update|delete|remove|correct", n)]
    assert offenders == []


def test_no_handling_form_has_a_field_of_the_original_report():
    forms = [
        cls
        for _, cls in inspect.getmembers(incident_forms, inspect.isclass)
        if issubclass(cls, incident_forms.forms.BaseForm)
        and cls.__module__ == incident_forms.__name__
        and cls is not incident_forms.IncidentReportForm
    ]
    assert incident_forms.TriageForm in forms
    for form in forms:
        fields = set(getattr(form, "base_fields", {}))
        assert not fields & (REPORT_FIELDS - {"category"}), form.__name__


def test_posting_changes_to_every_incident_url_changes_neither_report_nor_chronology(
    school, dsl, staff, chair
):
    incident = report(
        school, staff, Category.CYBERBULLYING, people=[pupil()], evidence=[evidence_upload()]
    )
    triage(incident, dsl)
    report_before, entries_before = _report_values(incident), _entries(incident)
    evidence = IncidentEvidence.objects.get(incident=incident)
    client = client_as(dsl)
    tampering = {
        "description": "Rewritten after the event",
        "occurred_on": "01/01/2020",
        "urls": "https://example.com/other",
        "platform": "Something else",
        "reporter": chair.pk,
        "category_reported": Category.OTHER,
        "notes": "",
        "_method": "DELETE",
    }
    for name in _incident_url_names():
        try:
            url = reverse(name, args=[incident.pk])
        except Exception:
            try:
                url = reverse(name, args=[incident.pk, evidence.pk])
            except Exception:
                url = reverse(name)
        client.post(url, tampering)
        client.put(url, tampering)
        client.delete(url)
        client.patch(url, tampering)
    assert _report_values(incident) == report_before
    after = _entries(incident)
    assert after[: len(entries_before)] == entries_before  # earlier entries untouched
    assert IncidentEvidence.objects.filter(incident=incident).count() == 1


def test_the_model_refuses_to_change_or_delete_the_original_report(school, staff, dsl):
    incident = report(school, staff, Category.CYBERBULLYING)
    incident = Incident.objects.get(pk=incident.pk)
    incident.description = "Changed"
    with pytest.raises(RecordIsFinal):
        incident.save()
    incident = Incident.objects.get(pk=incident.pk)
    with pytest.raises(RecordIsFinal):
        incident.delete()
    with pytest.raises(RecordIsFinal):
        Incident.objects.filter(pk=incident.pk).update(description="Changed")
    with pytest.raises(RecordIsFinal):
        Incident.objects.filter(pk=incident.pk).delete()
    # Handling fields do change (through the services): status, handler...
    Incident.objects.filter(pk=incident.pk).update(severity="high")
    assert Incident.objects.get(pk=incident.pk).description != "Changed"


@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m.__name__)
def test_append_only_records_cannot_be_changed_or_deleted(model, school, staff, dsl, headteacher):
    incident = report(school, staff, Category.CYBERBULLYING, people=[pupil()])
    triage(incident, dsl)
    row = model.objects.first()
    if row is None:  # make one of the rarer kinds
        make_each_record(school, staff, dsl, headteacher)
        row = model.objects.first()
    with pytest.raises(RecordIsFinal):
        row.save()
    with pytest.raises(RecordIsFinal):
        row.delete()
    with pytest.raises(RecordIsFinal):
        model.objects.filter(pk=row.pk).update(pk=row.pk)
    with pytest.raises(RecordIsFinal):
        model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_the_admin_never_shows_incidents_or_evidence_files(admin_client):
    registered = {model._meta.label for model in admin.site._registry}
    assert not [label for label in registered if label.startswith("incidents.")]
    assert StoredFile._meta.label not in registered
    assert admin_client.get("/admin/incidents/").status_code == 404
    assert admin_client.get("/admin/uploads/storedfile/").status_code == 404
    page = admin_client.get("/admin/").content.decode()
    assert "Incident" not in page and "Stored file" not in page
