"""The office's pupil import: upload → (which column is which) → preview → confirm → summary.
The file is kept in the session between the steps; nothing is written until the confirm."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from consent import access as consent_access
from consent import pupil_import
from consent.forms import PupilImportConfirmForm, PupilImportForm
from socialgov import csv_import
from socialgov.access import SchoolRequest, require_role

SESSION_KEY = "consent_pupil_import"
RESULT_KEY = "consent_pupil_import_result"
REASONS_SHOWN = 200


def _stored(request: SchoolRequest) -> dict | None:
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("school") != request.school.pk:
        return None
    return stored


def _preview(request: SchoolRequest, stored: dict):
    return pupil_import.pupil_import_preview(
        school=request.school,
        data=base64.b64decode(stored["csv"]),
        mapping=stored.get("mapping") or {},
    )


def _start_again(request: SchoolRequest):
    messages.info(request, "Choose a CSV file to import.")
    return redirect("consent_import")


@require_role(*consent_access.REGISTER_WRITERS)
def import_upload(request: SchoolRequest):
    form = PupilImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["csv_file"]
        stored = {
            "school": request.school.pk,
            "name": request.FILES["csv_file"].name[:100],
            "csv": base64.b64encode(data).decode("ascii"),
        }
        try:
            pupil_import.pupil_import_preview(school=request.school, data=data)
        except csv_import.ColumnsUnmapped:
            request.session[SESSION_KEY] = stored
            return redirect("consent_import_columns")
        except ValidationError as error:
            form.add_error("csv_file", error)
        else:
            request.session[SESSION_KEY] = stored
            return redirect("consent_import_preview")
    return render(
        request,
        "consent/import_upload.html",
        {"form": form, "columns": pupil_import.PUPIL_CSV.columns},
    )


@require_role(*consent_access.REGISTER_WRITERS)
def import_columns(request: SchoolRequest):
    """Which column each heading the import does not know is."""
    stored = _stored(request)
    if stored is None:
        return _start_again(request)
    data = base64.b64decode(stored["csv"])
    try:
        csv_import.read_csv(data, pupil_import.PUPIL_CSV)
    except csv_import.ColumnsUnmapped as unmapped:
        table = unmapped.table
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("consent_import")
    else:
        return redirect("consent_import_preview")
    form = csv_import.ColumnMappingForm(
        request.POST or None, table=table, csv_format=pupil_import.PUPIL_CSV
    )
    if request.method == "POST" and form.is_valid():
        try:
            pupil_import.pupil_import_preview(
                school=request.school, data=data, mapping=form.mapping()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[SESSION_KEY] = {**stored, "mapping": form.mapping()}
            return redirect("consent_import_preview")
    return render(
        request,
        "consent/import_columns.html",
        {"form": form, "table": table, "file_name": stored.get("name", "")},
    )


@require_role(*consent_access.REGISTER_WRITERS)
def import_preview(request: SchoolRequest):
    stored = _stored(request)
    if stored is None:
        return _start_again(request)
    try:
        preview = _preview(request, stored)
    except csv_import.ColumnsUnmapped:
        return redirect("consent_import_columns")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("consent_import")
    form = PupilImportConfirmForm(request.POST or None, initial={"digest": preview.digest})
    if request.method == "POST" and form.is_valid():
        try:
            csv_import.preview_confirm(preview, form.cleaned_data["digest"])
            result = pupil_import.pupil_import_apply(
                school=request.school,
                actor=request.user,
                preview=preview,
                full_roll=form.cleaned_data["full_roll"],
            )
        except csv_import.PreviewStale:
            messages.warning(
                request,
                "The pupil list has changed since you saw this preview. Check it again before "
                "confirming.",
            )
            return redirect("consent_import_preview")
        del request.session[SESSION_KEY]
        request.session[RESULT_KEY] = {
            "school": request.school.pk,
            "file_name": stored.get("name", ""),
            "summary": result.summary(),
            "counts": {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "marked_left": result.marked_left,
                "refused": result.refused,
            },
            "reasons": result.reasons[:REASONS_SHOWN],
            "more_reasons": max(0, len(result.reasons) - REASONS_SHOWN),
        }
        return redirect("consent_import_done")
    return render(
        request,
        "consent/import_preview.html",
        {"preview": preview, "form": form, "file_name": stored.get("name", "")},
    )


@require_role(*consent_access.REGISTER_WRITERS)
def import_rejected(request: SchoolRequest):
    """The rows of the file that would not be imported, with their problems (CSV)."""
    stored = _stored(request)
    if stored is None:
        return _start_again(request)
    try:
        preview = _preview(request, stored)
    except ValidationError:
        return redirect("consent_import_preview")
    return csv_import.rejected_rows_response(
        preview,
        csv_format=pupil_import.PUPIL_CSV,
        filename=f"pupils-not-imported-{request.school.urn}-{timezone.localdate():%Y-%m-%d}.csv",
    )


@require_role(*consent_access.REGISTER_WRITERS)
def import_done(request: SchoolRequest):
    result = request.session.get(RESULT_KEY)
    if not result or result.get("school") != request.school.pk:
        return redirect("consent_import")
    return render(request, "consent/import_done.html", {"result": result})
