from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from socialgov.access import SchoolRequest, require_role
from socialgov.dates import today
from socialgov.terms import selectors, services
from socialgov.terms.access import TERM_EDITORS, term_dates_editable_by
from socialgov.terms.forms import TermYearForm
from socialgov.terms.models import academic_year_label


def _editable_years() -> list[int]:
    this_year = selectors.academic_year_of(today())
    return [this_year - 1, this_year, this_year + 1, this_year + 2]


@require_role()
def term_list(request: SchoolRequest):
    """The current school's term dates; everyone in the school may read them."""
    on = today()
    return render(
        request,
        "terms/termdate_list.html",
        {
            "years": [
                (academic_year_label(year), terms)
                for year, terms in selectors.terms_by_year(request.school)
            ],
            "current_term": selectors.term_for(request.school, on),
            "can_edit": term_dates_editable_by(request.user, request.school),
            "edit_years": [(year, academic_year_label(year)) for year in _editable_years()],
        },
    )


@require_role(*TERM_EDITORS)
def term_year_edit(request: SchoolRequest):
    """Add or correct the current school's three terms of one academic year (?year=2026)."""
    try:
        academic_year = int(request.GET.get("year") or selectors.academic_year_of(today()))
    except ValueError:
        raise Http404 from None
    if academic_year not in _editable_years():
        raise Http404
    existing = selectors.terms_of_year(request.school, academic_year)
    initial = {}
    for term in existing:
        initial[services.field_name(term.term, "starts_on")] = term.starts_on
        initial[services.field_name(term.term, "ends_on")] = term.ends_on
    form = TermYearForm(request.POST or None, academic_year=academic_year, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_year_save(
                school=request.school,
                academic_year=academic_year,
                dates=form.term_dates(),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Term dates for {academic_year_label(academic_year)} saved.")
            return redirect("term_list")
    return render(
        request,
        "terms/termdate_edit.html",
        {
            "form": form,
            "year_label": academic_year_label(academic_year),
            "is_new": not existing,
        },
    )
