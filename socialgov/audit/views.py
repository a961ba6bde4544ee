from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from socialgov import access
from socialgov.access import require_role, require_signed_in
from socialgov.audit import access as audit_access
from socialgov.audit import selectors
from socialgov.audit.forms import AccessLogFilterForm
from socialgov.audit.history import render_history
from socialgov.people.models import MembershipRole

ACCESS_LOG_PAGE_SIZE = 50


@require_signed_in
def school_history(request, pk):
    school = audit_access.school_for_history(request.user, pk)
    access.use_school(request, school)
    return render_history(
        request,
        school,
        title=f"History of {school.name}",
        back_url=reverse("school_detail", args=[school.pk]),
    )


@require_signed_in
def membership_history(request, pk):
    membership = audit_access.membership_for_history(request.user, pk)
    access.use_school(request, membership.school)
    return render_history(
        request,
        membership,
        title=f"History of {membership.user.full_name} at {membership.school.name}",
        back_url=reverse("people_list"),
        also=[MembershipRole.history.filter(membership_id=membership.pk)],
    )


@require_role(*audit_access.ACCESS_LOG_ROLES)
def access_log(request):
    """Who read which sensitive record, for the current school; filter by person and dates."""
    form = AccessLogFilterForm(request.GET, school=request.school)
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
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/accesslogentry_list.html", {"form": form, "page": page})
