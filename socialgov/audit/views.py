from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from socialgov import access
from socialgov.access import SchoolRequest, SignedInRequest, require_role, require_signed_in
from socialgov.audit import access as audit_access
from socialgov.audit import selectors
from socialgov.audit.forms import AccessLogFilterForm
from socialgov.audit.history import render_history
from socialgov.csv_export import csv_response
from socialgov.people.access import membership_get_for_user
from socialgov.people.models import MembershipRole

ACCESS_LOG_PAGE_SIZE = 50


@require_signed_in
def school_history(request: SignedInRequest, pk: int):
    school = audit_access.school_for_history(request.user, pk)
    access.use_school(request, school)
    return render_history(
        request,
        school,
        title=f"History of {school.name}",
        back_url=reverse("school_detail", args=[school.pk]),
    )


@require_signed_in
def membership_history(request: SignedInRequest, pk: int):
    membership = membership_get_for_user(request.user, pk)
    access.use_school(request, membership.school)
    return render_history(
        request,
        membership,
        title=f"History of {membership.user.full_name} at {membership.school.name}",
        back_url=reverse("people_list"),
        also=[MembershipRole.history.filter(membership_id=membership.pk)],
    )


def _filtered_access_log(request):
    """The current school's log under the person's filters (none at all when they fail)."""
    form = AccessLogFilterForm(request.GET)
    entries = audit_access.access_log_visible_to(request.user, request.school)
    if form.is_valid():
        entries = selectors.access_log_filtered(
            entries,
            person=form.cleaned_data["person"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    else:
        entries = entries.none()  # never show an unfiltered log under filters that failed
    return form, entries


@require_role(*audit_access.ACCESS_LOG_ROLES)
def access_log(request: SchoolRequest):
    """Who read which sensitive record, for the current school; filter by person and dates."""
    form, entries = _filtered_access_log(request)
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "audit/accesslogentry_list.html",
        {"form": form, "page": page, "export_query": export_query.urlencode()},
    )


@require_role(*audit_access.ACCESS_LOG_ROLES)
def access_log_export(request: SchoolRequest):
    """The same filtered log as a CSV file (formula injection neutralised)."""
    _form, entries = _filtered_access_log(request)
    rows = (
        (
            e.at,
            e.person.full_name,
            e.get_action_display(),
            e.content_type.name,
            e.object_id,
            e.description,
            e.ip_address,
        )
        for e in entries.iterator(chunk_size=500)
    )
    return csv_response(
        filename=f"access-log-{request.school.urn}.csv",
        header=[
            "When",
            "Person",
            "Action",
            "Record type",
            "Record number",
            "Description",
            "IP address",
        ],
        rows=rows,
    )
