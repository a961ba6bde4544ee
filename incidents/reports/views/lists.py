"""Reporting an incident, the handling list (with search, filters and CSV), and 'my reports'."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import redirect, render

from incidents.reports import selectors, services
from incidents.reports.access import incident_visible_to
from incidents.reports.forms import IncidentReportForm, ListFilterForm, PersonFormSet
from incidents.reports.models import Incident
from socialgov.access import SchoolRequest, require_role
from socialgov.audit.models import AccessAction
from socialgov.audit.services import access_record_request_many
from socialgov.csv_export import csv_response
from socialgov.form_errors import add_service_errors

PAGE_SIZE = 25


@require_role()
def incident_report(request: SchoolRequest):
    """Any member of staff reports an incident. The same form sent twice makes one report."""
    school = request.school
    form = IncidentReportForm(request.POST or None, request.FILES or None)
    people = PersonFormSet(
        request.POST or None,
        school=school,
        pupils=selectors.pupils_to_name(request.user, school),
        prefix="people",
    )
    if request.method == "POST" and form.is_valid() & people.is_valid():
        submitted = _submit(request, form, people)
        if submitted is not None:
            incident, created = submitted
            if created:
                messages.success(
                    request,
                    f"Thank you. Your report {incident.reference} has been passed on to the "
                    "people who deal with it.",
                )
            else:
                messages.info(request, f"Your report {incident.reference} was already received.")
            if incident_visible_to(request.user).filter(pk=incident.pk).exists():
                return redirect("incident_detail", pk=incident.pk)
            # Naming oneself as a subject (a self-referral): it is no longer theirs to see.
            return redirect("incident_mine")
    return render(
        request,
        "incidents/incident_form.html",
        {"form": form, "people": people, "dsl_team": selectors.dsl_team(school)},
    )


def _submit(request, form, people):
    """The report made from valid forms: (incident, created), or None with the service's
    refusal shown on the forms."""
    data = form.cleaned_data
    try:
        return services.incident_report(
            school=request.school,
            reporter=request.user,
            submission_key=data["submission_key"],
            category=data["category"],
            safeguarding_kind=data["safeguarding_kind"],
            severity=data["severity"],
            occurred_on=data["occurred_on"],
            occurred_time=data["occurred_time"],
            description=data["description"],
            urls=data["urls"],
            platform=data["platform"],
            external_reference=data["external_reference"],
            people=people.named(),
            evidence=data["evidence"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    except IntegrityError:
        # The same submission committed between the check and the insert: it is there.
        incident = Incident.objects.filter(
            reporter=request.user, submission_key=data["submission_key"]
        ).first()
        if incident is None:
            raise
        return incident, False


def _list_filters(request):
    form = ListFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        return form, data.get("show") or "open", data.get("q", ""), data.get("category", "")
    return form, "open", "", ""


@require_role()
def incident_list(request: SchoolRequest):
    """The incidents the person handles at the current school: filters for each kind of step
    waiting, a search, newest first, 25 to a page."""
    form, show, q, category = _list_filters(request)
    incidents = selectors.incidents_for_list(
        request.user, request.school, show=show, q=q, category=category
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "incidents/incident_list.html",
        {
            "form": form,
            "page": page,
            "show": show,
            "filters": selectors.LIST_FILTERS,
            "show_label": selectors.LIST_FILTERS.get(show, "Open"),
            "query": query.urlencode(),
        },
    )


@require_role()
def incident_list_export(request: SchoolRequest):
    """The same filtered list as CSV (formula injection neutralised); no descriptions."""
    _form, show, q, category = _list_filters(request)
    incidents = selectors.incidents_for_list(
        request.user, request.school, show=show, q=q, category=category
    )
    # Every incident in the file is a read: one access-log entry each, shown only to those who
    # may see that incident (a count against the school would reveal hidden ones).
    access_record_request_many(
        request,
        model=Incident,
        pks=list(incidents.values_list("pk", flat=True)),
        school=request.school,
        action=AccessAction.EXPORTED,
        description="Incident list (CSV)",
    )
    rows = (
        (
            incident.reference,
            incident.reported_at,
            incident.occurred_on,
            incident.get_category_display(),
            incident.get_severity_display(),
            incident.get_status_display(),
            incident.get_route_display(),
            incident.handler.full_name if incident.handler else "",
            incident.external_reference,
            incident.closed_at,
        )
        for incident in incidents.iterator(chunk_size=500)
    )
    return csv_response(
        filename=f"incidents-{request.school.urn}.csv",
        header=[
            "Reference",
            "Reported",
            "Happened on",
            "Category",
            "Severity",
            "Status",
            "Routed to",
            "Handler",
            "External reference",
            "Closed",
        ],
        rows=rows,
    )


@require_role()
def incident_mine(request: SchoolRequest):
    """The person's own reports: reference and status only."""
    reports = selectors.incidents_reported_by(request.user, request.school)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "incidents/incident_mine.html", {"page": page})
