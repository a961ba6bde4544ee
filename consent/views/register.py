"""The register's school-wide pages: the grid by class, gaps, what lapses soon, the staff lookup,
governors' counts, the class sheet, and their CSV exports. Views are thin: gateway or role →
selector → template (STYLE)."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from consent import access as consent_access
from consent import selectors
from consent.check import consent_check
from consent.forms import ClassDateForm, LookupForm, PupilSearchForm, SheetForm, group_from_value
from consent.templatetags.consent_tags import status_text
from socialgov.access import SchoolRequest, require_role
from socialgov.audit.models import AccessAction
from socialgov.audit.services import access_record_request
from socialgov.csv_export import csv_response
from socialgov.pdf import render_pdf

PAGE_SIZE = 50
LOOKUP_LIMIT = 200  # pupils shown by one lookup (a class is 30; a name search rarely more)


def _today():
    return timezone.localdate()


def _log_export(request: SchoolRequest, description: str, action=AccessAction.EXPORTED) -> None:
    """A bulk export of pupils' personal data is recorded in the access log (against the school)."""
    access_record_request(
        request, obj=request.school, school=request.school, action=action, description=description
    )


def _class_and_date(request: SchoolRequest, classes):
    form = ClassDateForm(request.GET or None, classes=classes)
    default = classes[0].name if classes else None
    group, on = form.chosen(default)
    if group is not None and group not in {c.name for c in classes}:
        raise Http404  # a class the school does not have (today)
    return form, group, on


@require_role(*(consent_access.LOOKUP_ROLES | consent_access.COUNT_READERS))
def consent_home(request: SchoolRequest):
    """The register for those who read it, the lookup for staff, counts for governors."""
    if consent_access.can_read_register(request.user, request.school):
        return redirect("consent_register")
    if consent_access.can_look_up(request.user, request.school):
        return redirect("consent_lookup")
    return redirect("consent_counts")


# --- The grid --------------------------------------------------------------------------------


def _grid(request: SchoolRequest):
    school = request.school
    classes = selectors.classes_of(school, _today())
    form, group, on = _class_and_date(request, classes)
    purposes = list(selectors.active_purposes(school))
    rows = []
    if group is not None:
        rows = selectors.grid_rows(
            selectors.pupils_in_class(school, group, on), purposes, on, school=school
        )
    return form, classes, group, on, purposes, rows


@require_role(*consent_access.REGISTER_READERS)
def register(request: SchoolRequest):
    """A class as a grid of pupils × purposes, with symbols and words."""
    form, classes, group, on, purposes, rows = _grid(request)
    return render(
        request,
        "consent/register_grid.html",
        {
            "form": form,
            "classes": classes,
            "group": group,
            "group_value": "-" if group == "" else group,
            "on": on,
            "is_today": on == _today(),
            "purposes": purposes,
            "rows": rows,
            "can_write": consent_access.can_write_register(request.user, request.school),
            "can_edit_purposes": consent_access.can_edit_purposes(request.user, request.school),
        },
    )


@require_role(*consent_access.REGISTER_READERS)
def register_csv(request: SchoolRequest):
    form, classes, group, on, purposes, rows = _grid(request)
    header = ["Pupil", "Class", "Year", "UPN", *[p.name for p in purposes]]
    lines = (
        [
            row.pupil.display_name,
            row.pupil.registration_group,
            row.pupil.get_year_group_display(),
            row.pupil.upn,
            *[cell.text for cell in row.cells],
        ]
        for row in rows
    )
    name = f"consent {group or 'no class'} {on:%Y-%m-%d}"
    _log_export(request, f"Image consent register of class {group or '(none)'} (CSV)")
    return csv_response(filename=name, header=header, rows=lines)


# --- Gaps and lapses -------------------------------------------------------------------------


@require_role(*consent_access.REGISTER_READERS)
def gaps(request: SchoolRequest):
    """Pupils with no decision for a consent purpose, by class."""
    school, on = request.school, _today()
    classes = selectors.classes_of(school, on)
    group = group_from_value(request.GET.get("group"))
    if group is not None and group not in {c.name for c in classes}:
        raise Http404
    found = selectors.gaps(school, on, group=group)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.with_pupils(page.object_list)
    return render(
        request,
        "consent/gap_list.html",
        {
            "page": page,
            "total": len(found),
            "classes": classes,
            "group": group,
            "group_value": request.GET.get("group", ""),
            "can_write": consent_access.can_write_register(request.user, school),
        },
    )


@require_role(*consent_access.REGISTER_READERS)
def gaps_csv(request: SchoolRequest):
    found = selectors.gaps(
        request.school, _today(), group=group_from_value(request.GET.get("group"))
    )
    selectors.with_pupils(found)
    _log_export(request, "Pupils with no image consent decision (CSV)")
    return csv_response(
        filename=f"consent gaps {_today():%Y-%m-%d}",
        header=["Pupil", "Class", "Year", "UPN", "No decision for"],
        rows=(
            [
                gap.pupil.display_name,
                gap.pupil.registration_group,
                gap.pupil.get_year_group_display(),
                gap.pupil.upn,
                "; ".join(p.name for p in gap.purposes),
            ]
            for gap in found
        ),
    )


@require_role(*consent_access.REGISTER_READERS)
def lapsing(request: SchoolRequest):
    """Yeses that expire or need re-confirming within 30 days, and those needing it now."""
    school, on = request.school, _today()
    return render(
        request,
        "consent/lapse_list.html",
        {
            "lapsing": selectors.with_pupils(selectors.lapsing(school, on)),
            "reconfirm": selectors.with_pupils(selectors.needing_reconfirmation(school, on)),
            "within": selectors.EXPIRING_WITHIN_DAYS,
            "on": on,
        },
    )


@require_role(*consent_access.REGISTER_READERS)
def lapsing_csv(request: SchoolRequest):
    """The "Coming up" page as CSV: yeses needing re-confirming now, then those that stop
    counting within 30 days, soonest first."""
    school, on = request.school, _today()
    reconfirm = selectors.with_pupils(selectors.needing_reconfirmation(school, on))
    lapsing = selectors.with_pupils(selectors.lapsing(school, on))
    _log_export(request, "Image consents coming up for renewal (CSV)")
    rows = [(lapse, None, f"{status_text(lapse.status)} (now)") for lapse in reconfirm] + [
        (lapse, lapse.last_day, status_text(lapse.status)) for lapse in lapsing
    ]
    return csv_response(
        filename=f"consent coming up {on:%Y-%m-%d}",
        header=["Pupil", "Class", "Year", "UPN", "Purpose", "Last day it counts", "Then"],
        rows=(
            [
                lapse.pupil.display_name,
                lapse.pupil.registration_group,
                lapse.pupil.get_year_group_display(),
                lapse.pupil.upn,
                lapse.purpose.name,
                last_day,
                then,
            ]
            for lapse, last_day, then in rows
            if lapse.pupil is not None
        ),
    )


# --- Pupils ----------------------------------------------------------------------------------


def _pupil_search(request: SchoolRequest):
    school, on = request.school, _today()
    classes = selectors.classes_of(school, on)
    form = PupilSearchForm(request.GET or None, classes=classes)
    search, group, include_left = "", None, False
    if form.is_bound and form.is_valid():
        search = form.cleaned_data["q"]
        group = group_from_value(form.cleaned_data["group"])
        include_left = form.cleaned_data["left"]
    pupils = selectors.pupil_list(
        consent_access.pupil_visible_to(request.user),
        school=school,
        on=on,
        search=search,
        group=group,
        include_left=include_left,
    )
    return form, pupils, on


@require_role(*consent_access.REGISTER_READERS)
def pupil_list(request: SchoolRequest):
    form, pupils, on = _pupil_search(request)
    page = Paginator(pupils, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "consent/pupil_list.html",
        {
            "form": form,
            "page": page,
            "on": on,
            "query": query.urlencode(),
            "can_write": consent_access.can_write_register(request.user, request.school),
        },
    )


@require_role(*consent_access.REGISTER_READERS)
def pupil_list_csv(request: SchoolRequest):
    form, pupils, on = _pupil_search(request)
    _log_export(request, "Pupil list (CSV)")
    return csv_response(
        filename=f"pupils {on:%Y-%m-%d}",
        header=[
            "Legal surname", "Legal forename", "Preferred forename", "Preferred surname",
            "Date of birth", "Year", "Class", "UPN", "Admission number", "Admission date",
            "Leaving date", "Photo restriction",
        ],
        rows=(
            [
                p.legal_surname, p.legal_forename, p.preferred_forename, p.preferred_surname,
                p.date_of_birth, p.get_year_group_display(), p.registration_group, p.upn,
                p.admission_number, p.admission_date, p.leaving_date,
                "May not appear — speak to the DSL" if p.restricted_now else "",
            ]
            for p in pupils
        ),
    )  # fmt: skip


# --- The lookup (every member of staff) ------------------------------------------------------


@require_role(*consent_access.LOOKUP_ROLES)
def lookup(request: SchoolRequest):
    """May these pupils appear for this purpose on this day? Yes, or no and why — nothing else:
    no parents' details, no evidence, no restriction reason."""
    school, today = request.school, _today()
    classes = selectors.classes_of(school, today)
    purposes = selectors.active_purposes(school)
    form = LookupForm(request.GET or None, classes=classes, purposes=purposes)
    result, on = None, today
    if form.is_bound and form.is_valid():
        on = form.cleaned_data.get("on") or today
        pupils = selectors.pupil_list(
            consent_access.pupil_lookup_visible_to(request.user),
            school=school,
            on=on,
            search=form.cleaned_data["q"],
            group=group_from_value(form.cleaned_data.get("group")),
        )
        result = consent_check(
            pupils=list(pupils.values_list("pk", flat=True)[:LOOKUP_LIMIT]),
            purpose=form.cleaned_data["purpose"],
            on=on,
        )
    return render(
        request,
        "consent/lookup.html",
        {"form": form, "result": result, "on": on, "is_today": on == today},
    )


# --- Counts (governors) ----------------------------------------------------------------------


@require_role(*consent_access.COUNT_READERS)
def counts(request: SchoolRequest):
    """How many current pupils may appear for each purpose; no names."""
    on = _today()
    return render(
        request,
        "consent/count_list.html",
        {
            "counts": selectors.consent_counts(request.school, on),
            "on": on,
            "group_names": selectors.COUNT_GROUP_ORDER,
        },
    )


@require_role(*consent_access.COUNT_READERS)
def counts_csv(request: SchoolRequest):
    on = _today()
    found = selectors.consent_counts(request.school, on)
    return csv_response(
        filename=f"consent counts {on:%Y-%m-%d}",
        header=[
            "Purpose",
            "Pupils",
            "May appear",
            "May not appear",
            *[name.capitalize() for name in selectors.COUNT_GROUP_ORDER],
        ],  # fmt: skip
        rows=(
            [c.purpose.name, c.pupils, c.allowed, c.blocked, *[n for _, n in c.groups]]
            for c in found
        ),
    )


# --- The class sheet (trips and events) ------------------------------------------------------


def _sheet(request: SchoolRequest):
    school, on = request.school, _today()
    classes = selectors.classes_of(school, on)
    purposes = selectors.active_purposes(school)
    form = SheetForm(request.GET or None, classes=classes, purposes=purposes)
    if not (form.is_bound and form.is_valid()):
        return form, None
    chosen = list(form.cleaned_data["purposes"]) or list(purposes)
    group = group_from_value(form.cleaned_data["group"])
    rows = selectors.grid_rows(
        selectors.pupils_in_class(school, group, on), chosen, on, school=school
    )
    return form, {
        "group": group,
        "group_label": group or "No class",
        "purposes": chosen,
        "rows": rows,
        "must_not_appear": [row for row in rows if not any(c.allowed for c in row.cells)],
        "on": on,
        "generated_at": timezone.localtime(),
    }


@require_role(*consent_access.LOOKUP_ROLES)
def class_sheet(request: SchoolRequest):
    """The printable class sheet: who may and may not appear, no reasons."""
    form, sheet = _sheet(request)
    pdf_url = f"{reverse('consent_class_sheet_pdf')}?{request.GET.urlencode()}" if sheet else None
    return render(
        request, "consent/class_sheet.html", {"form": form, "sheet": sheet, "pdf_url": pdf_url}
    )


@require_role(*consent_access.LOOKUP_ROLES)
def class_sheet_pdf(request: SchoolRequest):
    form, sheet = _sheet(request)
    if sheet is None:
        return redirect("consent_class_sheet")
    _log_export(
        request, f"Image consent sheet of class {sheet['group_label']}", AccessAction.PRINTED
    )
    content = render_pdf(
        template="consent/class_sheet_pdf.html",
        context={"title": f"Image consent: class {sheet['group_label']}", **sheet},
        school=request.school,
    )
    response = HttpResponse(content, content_type="application/pdf")
    label = re.sub(r"[^A-Za-z0-9]+", "-", sheet["group_label"]).strip("-") or "class"
    filename = f"consent-sheet-{label}-{sheet['on']:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
