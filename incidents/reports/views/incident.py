"""One incident: its page (or, for its reporter, its status), history, evidence files and the
chronology PDF. Every read goes through the gateway and into the access log, with the visitor's
address."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from incidents.reports import access as incident_access
from incidents.reports import selectors
from incidents.reports.models import (
    Debrief,
    DebriefPolicy,
    HarmThresholdDecision,
    IctAction,
    ImageryDecision,
    IncidentEntry,
    IncidentEvidence,
    IncidentPerson,
    Status,
)
from incidents.reports.services import TRANSITIONS, close_problems
from socialgov import access
from socialgov.access import SignedInRequest, require_signed_in
from socialgov.audit.history import render_history
from socialgov.audit.models import AccessAction
from socialgov.audit.services import access_record_request
from socialgov.pdf import render_pdf
from socialgov.uploads.serving import serve_stored_file


def _log(request, incident, action=AccessAction.VIEWED, description="Incident report"):
    access_record_request(
        request, obj=incident, school=incident.school, action=action, description=description
    )


def _handled(request, pk):
    """An incident the person handles (404 outside the gateway, 403 for its reporter)."""
    incident = incident_access.incident_get_for_user(request.user, pk, write=True)
    access.use_school(request, incident.school)
    return incident


@require_signed_in
def incident_detail(request: SignedInRequest, pk):
    """The incident page for its handlers; its reporter sees the reference and status only."""
    incident = incident_access.incident_get_for_user(request.user, pk)
    access.use_school(request, incident.school)
    user = request.user
    if incident_access.sees_as_reporter_only(user, incident):
        _log(request, incident, description="Report status")
        return render(request, "incidents/incident_reporter.html", {"incident": incident})
    _log(request, incident)
    page = selectors.incident_page(user, incident)
    is_open = incident.is_open
    context = {
        "incident": incident,
        "page": page,
        "reporter": incident.reporter,
        "can_triage": is_open and incident.status == Status.REPORTED,
        "can_move": is_open and bool(TRANSITIONS.get(incident.status)),
        "can_assign": is_open and incident.status != Status.REPORTED,
        "can_ict": is_open
        and page.ict_action is None
        and incident_access.can_complete_ict(user, incident),
        "can_threshold": is_open and incident_access.can_decide_threshold(user, incident),
        "can_imagery": incident_access.can_decide_imagery(user, incident),
        "can_export": incident_access.can_export_chronology(user, incident),
        "can_evidence": is_open and not incident.takes_no_imagery,
        "close_problems": close_problems(incident) if is_open else [],
        "is_open": is_open,
    }
    return render(request, "incidents/incident_detail.html", context)


@require_signed_in
def incident_history(request: SignedInRequest, pk):
    """Who changed what, for the incident's handlers (through the gateway; logged)."""
    incident = _handled(request, pk)
    _log(request, incident, description="Incident history")
    return render_history(
        request,
        incident,
        title=f"History of {incident.reference}",
        back_url=reverse("incident_detail", args=[incident.pk]),
        also=[
            IncidentPerson.history.filter(incident_id=incident.pk),
            IncidentEntry.history.filter(incident_id=incident.pk),
            IncidentEvidence.history.filter(incident_id=incident.pk),
            IctAction.history.filter(incident_id=incident.pk),
            HarmThresholdDecision.history.filter(incident_id=incident.pk),
            ImageryDecision.history.filter(incident_id=incident.pk),
            Debrief.history.filter(incident_id=incident.pk),
            DebriefPolicy.history.filter(debrief__incident_id=incident.pk),
        ],
        hidden_fields=["submission_key"],
    )


@require_signed_in
def incident_evidence_download(request: SignedInRequest, pk, evidence_pk):
    """An evidence file, for the incident's handlers only (logged as a download)."""
    incident = _handled(request, pk)
    evidence = get_object_or_404(
        IncidentEvidence.objects.select_related("stored_file"), pk=evidence_pk, incident=incident
    )
    _log(request, incident, AccessAction.DOWNLOADED, "Evidence file")
    return serve_stored_file(request, evidence.stored_file, as_attachment=True)


@require_signed_in
def incident_chronology_pdf(request: SignedInRequest, pk):
    """The chronology as a PDF for the LADO or the police: handler or case manager only."""
    incident = _handled(request, pk)
    access.require_write(incident_access.can_export_chronology(request.user, incident))
    page = selectors.incident_page(request.user, incident)
    _log(request, incident, AccessAction.EXPORTED, "Chronology PDF")
    content = render_pdf(
        template="incidents/incident_chronology_pdf.html",
        context={
            "title": f"Chronology of {incident.reference}",
            "incident": incident,
            "page": page,
            "exported_by": request.user,
            "exported_at": timezone.localtime(),
        },
        school=incident.school,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{incident.reference}-chronology.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
