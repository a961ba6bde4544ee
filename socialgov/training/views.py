"""The training log's pages: my training, sessions and attendance, the CSV import, coverage and
its export. Thin views over the gateway (access.py), the forms and the services."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from socialgov import access, csv_import
from socialgov.access import SchoolRequest, SignedInRequest, require_role, require_signed_in
from socialgov.audit.history import render_history
from socialgov.audit.models import AccessAction
from socialgov.audit.services import access_record_request
from socialgov.csv_export import csv_response
from socialgov.dates import today
from socialgov.form_errors import add_service_errors
from socialgov.people.models import Membership, User
from socialgov.training import access as training_access
from socialgov.training import selectors, services
from socialgov.training.forms import (
    AttendanceForm,
    ImportConfirmForm,
    ImportForm,
    SessionForm,
    SettingsForm,
)
from socialgov.training.models import TrainingAttendance

PAGE_SIZE = 25
COVERAGE_PAGE_SIZE = 50
SESSION_KEY = "training_attendance_import"


@require_role()
def training_mine(request: SchoolRequest):
    """The person's own training record at the current school, and what is due next."""
    return render(
        request,
        "training/training_mine.html",
        {
            "attendances": Paginator(
                selectors.record_of(request.user, request.school), PAGE_SIZE
            ).get_page(request.GET.get("page")),
            "standing": selectors.own_training(request.membership, today()),
            "can_keep": training_access.can_keep(request.user, request.school),
        },
    )


@require_role(*training_access.KEEPERS)
def training_session_list(request: SchoolRequest):
    page = Paginator(selectors.sessions_for_list(request.user, request.school), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "training/session_list.html", {"page": page})


@require_role(*training_access.KEEPERS)
def training_session_create(request: SchoolRequest):
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session, _created = services.training_session_create(
                school=request.school,
                actor=request.user,
                submission_key=data["submission_key"],
                title=data["title"],
                kind=data["kind"],
                held_on=data["held_on"],
                provider=data["provider"],
                minutes=data["minutes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Session recorded. Now record who attended.")
            return redirect("training_session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form})


def _session(request, pk):
    session = training_access.session_get_for_user(request.user, pk)
    access.use_school(request, session.school)
    return session


def _members_to_choose(session):
    return User.objects.filter(
        pk__in=Membership.objects.current().filter(school_id=session.school_id).values("user_id")
    ).order_by("full_name")


@require_signed_in
def training_session_detail(request: SignedInRequest, pk):
    """A session, who attended, and the form to record more attendance."""
    session = _session(request, pk)
    form = AttendanceForm(request.POST or None, people=_members_to_choose(session))
    if request.method == "POST" and form.is_valid():
        try:
            added = services.attendance_record(
                session=session, actor=request.user, people=form.cleaned_data["people"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{added} attendance{'s' if added != 1 else ''} recorded.")
            return redirect("training_session_detail", pk=session.pk)
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "attendances": list(selectors.attendance_of_session(session)),
            "form": form,
        },
    )


@require_signed_in
def training_session_history(request: SignedInRequest, pk):
    session = _session(request, pk)
    return render_history(
        request,
        session,
        title=f"History of {session.title}",
        back_url=reverse("training_session_detail", args=[session.pk]),
        also=[TrainingAttendance.history.filter(session_id=session.pk)],
        hidden_fields=["submission_key"],
    )


def _stored(request, session):
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("session") != session.pk:
        return None
    return stored


@require_signed_in
def training_import_upload(request: SignedInRequest, pk):
    """Attendance from a CSV file (e.g. an online course's export): upload, then preview."""
    session = _session(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["csv_file"]
        stored = {
            "session": session.pk,
            "name": request.FILES["csv_file"].name[:100],
            "csv": base64.b64encode(data).decode("ascii"),
        }
        try:
            services.attendance_import_preview(session=session, data=data)
        except csv_import.ColumnsUnmapped:
            request.session[SESSION_KEY] = stored
            return redirect("training_import_columns", pk=session.pk)
        except ValidationError as error:
            form.add_error("csv_file", error)
        else:
            request.session[SESSION_KEY] = stored
            return redirect("training_import_preview", pk=session.pk)
    return render(
        request,
        "training/import_upload.html",
        {"session": session, "form": form, "columns": services.ATTENDANCE_CSV.columns},
    )


def _start_again(request, session):
    messages.info(request, "Choose a CSV file to import.")
    return redirect("training_import_upload", pk=session.pk)


@require_signed_in
def training_import_columns(request: SignedInRequest, pk):
    """Which column each heading the import does not know is (e-mail, name, date, course)."""
    session = _session(request, pk)
    stored = _stored(request, session)
    if stored is None:
        return _start_again(request, session)
    data = base64.b64decode(stored["csv"])
    try:
        csv_import.read_csv(data, services.ATTENDANCE_CSV)
    except csv_import.ColumnsUnmapped as unmapped:
        table = unmapped.table
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("training_import_upload", pk=session.pk)
    else:
        return redirect("training_import_preview", pk=session.pk)
    form = csv_import.ColumnMappingForm(
        request.POST or None, table=table, csv_format=services.ATTENDANCE_CSV
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_import_preview(session=session, data=data, mapping=form.mapping())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[SESSION_KEY] = {**stored, "mapping": form.mapping()}
            return redirect("training_import_preview", pk=session.pk)
    return render(
        request,
        "training/import_columns.html",
        {"session": session, "form": form, "table": table, "file_name": stored.get("name", "")},
    )


@require_signed_in
def training_import_rejected(request: SignedInRequest, pk):
    """The rows of the file that would not be imported, each with why (CSV, cells neutralised)."""
    session = _session(request, pk)
    stored = _stored(request, session)
    if stored is None:
        return _start_again(request, session)
    try:
        preview = services.attendance_import_preview(
            session=session,
            data=base64.b64decode(stored["csv"]),
            mapping=stored.get("mapping") or {},
        )
    except ValidationError:
        return redirect("training_import_preview", pk=session.pk)
    return csv_import.rejected_rows_response(
        preview,
        csv_format=services.ATTENDANCE_CSV,
        filename=f"attendance-not-imported-{session.pk}-{timezone.localdate():%Y-%m-%d}.csv",
    )


@require_signed_in
def training_import_preview(request: SignedInRequest, pk):
    session = _session(request, pk)
    stored = _stored(request, session)
    if stored is None:
        return _start_again(request, session)
    data = base64.b64decode(stored["csv"])
    mapping = stored.get("mapping") or {}
    try:
        preview = services.attendance_import_preview(session=session, data=data, mapping=mapping)
    except csv_import.ColumnsUnmapped:
        return redirect("training_import_columns", pk=session.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("training_import_upload", pk=session.pk)
    form = ImportConfirmForm(request.POST or None, initial={"digest": preview.digest})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attendance_import_apply(
                session=session,
                actor=request.user,
                data=data,
                digest=form.cleaned_data["digest"],
                mapping=mapping,
            )
        except csv_import.PreviewStale:
            messages.warning(
                request, "The attendance changed since you saw this preview. Check it again."
            )
            return redirect("training_import_preview", pk=session.pk)
        del request.session[SESSION_KEY]
        messages.success(request, result.summary())
        return redirect("training_session_detail", pk=session.pk)
    return render(
        request,
        "training/import_preview.html",
        {
            "session": session,
            "preview": preview,
            "form": form,
            "file_name": stored.get("name", ""),
        },
    )


@require_role(*training_access.KEEPERS)
def training_coverage(request: SchoolRequest):
    """Who is up to date and who is due, by staff group; the people table a page at a time,
    the most urgent first, or those in one state (`?state=overdue`)."""
    on = today()
    coverage = selectors.coverage_figures(request.school, on)
    state = request.GET.get("state", "")
    if state not in selectors.STATE_LABELS:
        state = ""
    page = Paginator(coverage.membership_ids(state), COVERAGE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.rows_of(
        request.school, on, list(page.object_list), within=coverage.within
    )
    return render(
        request,
        "training/coverage.html",
        {
            "coverage": coverage,
            "page": page,
            "state": state,
            "states": [(s, selectors.STATE_LABELS[s]) for s in selectors.STATE_ORDER],
            "can_edit_settings": access.has_role(
                request.user, request.school, *training_access.SETTINGS_EDITORS
            ),
        },
    )


@require_role(*training_access.KEEPERS)
def training_coverage_export(request: SchoolRequest):
    coverage = selectors.coverage_for(request.school, today())
    access_record_request(
        request,
        obj=request.school,
        school=request.school,
        action=AccessAction.EXPORTED,
        description="Training coverage (CSV)",
    )
    rows = (
        (
            row.person.full_name,
            row.person.email,
            row.membership.get_staff_group_display(),
            row.membership.start_date,
            row.last_induction,
            row.last_refresher,
            row.needs_label,
            row.due_on,
            row.state_label,
        )
        for row in coverage.rows
    )
    return csv_response(
        filename=f"training-coverage-{request.school.urn}.csv",
        header=[
            "Name",
            "E-mail",
            "Staff group",
            "Started",
            "Induction",
            "Last induction or refresher",
            "Next",
            "Due on",
            "State",
        ],
        rows=rows,
    )


@require_role(*training_access.SETTINGS_EDITORS)
def training_settings(request: SchoolRequest):
    form = SettingsForm(
        request.POST or None,
        initial={"induction_within_days": selectors.induction_within_days(request.school.pk)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.training_settings_save(
                school=request.school,
                actor=request.user,
                induction_within_days=form.cleaned_data["induction_within_days"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Training settings saved.")
            return redirect("training_coverage")
    return render(request, "training/settings_form.html", {"form": form})


_SCHOOL_PAGES = {"mine": training_mine, "coverage": training_coverage}


@require_signed_in
def training_in_school(request: SignedInRequest, pk: int, page: str):
    """A training page at a given school, whatever school is current (dashboard links)."""
    view = _SCHOOL_PAGES.get(page)
    membership = access.membership_in(request.user, pk)
    if view is None or membership is None:
        raise Http404
    access.use_school(request, membership.school)
    return view(request)
