"""One pupil: the chronology, details, decisions and corrections, evidence, competence,
restrictions and history. Views are thin: gateway → form → service → redirect (STYLE)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from consent import access as consent_access
from consent import selectors, services
from consent.forms import (
    CompetenceForm,
    CorrectionForm,
    DecisionForm,
    LeaveForm,
    LiftRestrictionForm,
    PupilForm,
    RestrictionForm,
)
from consent.models import (
    CompetenceAssessment,
    ConsentDecision,
    Outcome,
    ParentCarer,
    PhotoRestriction,
)
from socialgov import access
from socialgov.access import SchoolRequest, SignedInRequest, require_role, require_signed_in
from socialgov.audit.history import render_history
from socialgov.audit.models import AccessAction
from socialgov.audit.services import access_record_request
from socialgov.csv_export import csv_response
from socialgov.form_errors import add_service_errors
from socialgov.uploads.serving import serve_stored_file


def _today():
    return timezone.localdate()


@require_signed_in
def pupil_detail(request: SignedInRequest, pk):
    """Where the pupil stands for every purpose today, and the full chronology: who said what,
    when, how it arrived and who recorded it."""
    pupil = consent_access.pupil_get_for_user(request.user, pk)
    access.use_school(request, pupil.school)
    school, today = pupil.school, _today()
    sees_reason = consent_access.can_see_restriction_reason(request.user, school)
    restrictions = list(selectors.pupil_restrictions(pupil))
    open_restriction = next((r for r in restrictions if r.lifted_on is None), None)
    if sees_reason and restrictions:
        # Reading why a pupil may not appear is itself recorded (DESIGN §5).
        access_record_request(
            request, school=school, obj=restrictions[0], description="Photo restriction"
        )
    return render(
        request,
        "consent/pupil_detail.html",
        {
            "pupil": pupil,
            "cells": selectors.pupil_cells(pupil, today),
            "decisions": list(selectors.pupil_decisions(pupil)),
            "assessments": list(selectors.pupil_assessments(pupil)),
            "carers": list(selectors.carers_of(pupil)),
            "restrictions": restrictions if sees_reason else [],
            "open_restriction": open_restriction,
            "restricted_now": any(r.is_active(today) for r in restrictions),
            "sees_reason": sees_reason,
            "can_write": consent_access.can_write_register(request.user, school),
            "can_restrict": consent_access.can_set_restriction(request.user, school),
            "can_assess": consent_access.can_record_competence(request.user, school),
            "has_left": pupil.has_left(today),
            "age": pupil.age_on(today),
            "presumes_competence": services.consent_settings_for(school).presume_competence,
            "today": today,
        },
    )


@require_signed_in
def pupil_chronology_csv(request: SignedInRequest, pk):
    """The pupil page's chronology as CSV: every decision, oldest first, as the page shows it
    (who gave it, how it arrived, when it counts, who recorded it). Never the scan itself."""
    pupil = consent_access.pupil_get_for_user(request.user, pk)
    access.use_school(request, pupil.school)
    decisions = list(selectors.pupil_decisions(pupil))
    access_record_request(
        request,
        obj=pupil,
        school=pupil.school,
        action=AccessAction.EXPORTED,
        description=f"Image consent chronology of {pupil.display_name} (CSV)",
    )
    return csv_response(
        filename=f"consent chronology {pupil.display_name} {_today():%Y-%m-%d}",
        header=[
            "Purpose", "Decision", "Given by", "Relationship", "How it arrived", "Received on",
            "Counts from", "Expires after", "Corrects the entry of", "Still counts", "Note",
            "Recorded by", "Recorded at", "Evidence scan",
        ],
        rows=(
            [
                d.purpose.name, d.get_outcome_display(),
                "The pupil" if d.carer is None else d.carer.full_name,
                "" if d.carer is None else d.carer.get_relationship_display(),
                d.get_method_display(), d.received_on, d.effective_on, d.expires_on,
                d.corrects.received_on if d.corrects else "",
                "No, corrected" if d.corrected else "Yes",
                d.note, d.recorded_by.full_name if d.recorded_by else "The parent or carer",
                d.recorded_at, "Yes" if d.evidence_id else "No",
            ]
            for d in decisions
        ),
    )  # fmt: skip


@require_role(*consent_access.REGISTER_WRITERS)
def pupil_create(request: SchoolRequest):
    form = PupilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pupil = services.pupil_create(
                school=request.school, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{pupil.display_name} added.")
            return redirect("consent_pupil_detail", pk=pupil.pk)
    return render(request, "consent/pupil_form.html", {"form": form, "pupil": None})


@require_signed_in
def pupil_edit(request: SignedInRequest, pk):
    pupil = consent_access.pupil_get_for_user(request.user, pk, write=True)
    access.use_school(request, pupil.school)
    form = PupilForm(request.POST or None, instance=pupil)
    if request.method == "POST" and form.is_valid():
        try:
            services.pupil_update(pupil=pupil, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Pupil details saved.")
            return redirect("consent_pupil_detail", pk=pupil.pk)
    return render(request, "consent/pupil_form.html", {"form": form, "pupil": pupil})


@require_signed_in
def pupil_leave(request: SignedInRequest, pk):
    """Record that a pupil leaves: from that day no image of them may be used."""
    pupil = consent_access.pupil_get_for_user(request.user, pk, write=True)
    access.use_school(request, pupil.school)
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pupil_mark_left(
                pupil=pupil, actor=request.user, leaving_date=form.cleaned_data["leaving_date"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{pupil.display_name} leaves from {form.cleaned_data['leaving_date']:%d/%m/%Y}.",
            )
            return redirect("consent_pupil_detail", pk=pupil.pk)
    return render(request, "consent/pupil_leave.html", {"form": form, "pupil": pupil})


@require_signed_in
def pupil_history(request: SignedInRequest, pk):
    """Every change to the pupil, their parents and carers, decisions, assessments and
    restrictions, with who made it. A restriction's reason only for the DSL team and head."""
    pupil = consent_access.pupil_get_for_user(request.user, pk)
    access.use_school(request, pupil.school)
    hidden = []
    if not consent_access.can_see_restriction_reason(request.user, pupil.school):
        hidden = ["reason", "lift_reason"]
    return render_history(
        request,
        pupil,
        title=f"History of {pupil.display_name}",
        back_url=reverse("consent_pupil_detail", args=[pupil.pk]),
        also=[
            ParentCarer.history.filter(pupil_id=pupil.pk),
            ConsentDecision.history.filter(pupil_id=pupil.pk),
            CompetenceAssessment.history.filter(pupil_id=pupil.pk),
            PhotoRestriction.history.filter(pupil_id=pupil.pk),
        ],
        hidden_fields=hidden,
    )


# --- Decisions -------------------------------------------------------------------------------


@require_signed_in
def decision_create(request: SignedInRequest, pk):
    """Record a decision as it arrived (entrant form, letter, e-mail, in person, phone)."""
    pupil = consent_access.pupil_get_for_user(request.user, pk, write=True)
    access.use_school(request, pupil.school)
    purposes = selectors.active_purposes(pupil.school)
    initial = {}
    purpose_id = request.GET.get("purpose", "")
    if purpose_id.isascii() and purpose_id.isdigit():  # a link's ?purpose=; anything else ignored
        initial["purpose"] = purposes.filter(pk=purpose_id).first()
    if request.GET.get("outcome") in Outcome.values:
        initial["outcome"] = request.GET["outcome"]
    form = DecisionForm(
        request.POST or None,
        request.FILES or None,
        pupil=pupil,
        purposes=purposes,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.consent_decision_record(
                pupil=pupil, actor=request.user, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Recorded: {decision.get_outcome_display().lower()} for {decision.purpose.name}.",
            )
            return redirect("consent_pupil_detail", pk=pupil.pk)
    return render(request, "consent/decision_form.html", {"form": form, "pupil": pupil})


@require_signed_in
def decision_correct(request: SignedInRequest, pk):
    """A correction is a new decision that says what it corrects; nothing is edited."""
    decision = consent_access.decision_get_for_user(request.user, pk, write=True)
    access.use_school(request, decision.school)
    form = CorrectionForm(request.POST or None, request.FILES or None, purpose=decision.purpose)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_decision_correct(
                decision=decision,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Correction recorded.")
            return redirect("consent_pupil_detail", pk=decision.pupil_id)
    return render(
        request,
        "consent/decision_correct.html",
        {"form": form, "decision": decision, "pupil": decision.pupil},
    )


@require_signed_in
def decision_evidence(request: SignedInRequest, pk):
    """The scan of a decision's evidence, for those who read the register (logged)."""
    decision = consent_access.decision_get_for_user(request.user, pk)
    access.use_school(request, decision.school)
    if decision.evidence is None:
        raise Http404
    access_record_request(
        request, school=decision.school, obj=decision, action=AccessAction.DOWNLOADED,
        description="Consent evidence",
    )  # fmt: skip
    return serve_stored_file(request, decision.evidence, as_attachment=False)


# --- Competence ------------------------------------------------------------------------------


@require_signed_in
def competence_create(request: SignedInRequest, pk):
    pupil = consent_access.pupil_get_for_competence(request.user, pk)
    access.use_school(request, pupil.school)
    form = CompetenceForm(request.POST or None, school=pupil.school, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.competence_assessment_record(
                pupil=pupil,
                actor=request.user,
                assessed_by=data["assessed_by"].user,
                assessed_on=data["assessed_on"],
                competent=data["competent"],
                note=data["note"],
                submission_key=data.get("submission_key"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Competence assessment recorded.")
            return redirect("consent_pupil_detail", pk=pupil.pk)
    return render(request, "consent/competence_form.html", {"form": form, "pupil": pupil})


@require_role(*consent_access.COMPETENCE_RECORDERS)
def competence_waiting(request: SchoolRequest):
    """Pupils whose own decisions wait for a competence assessment."""
    pupils = list(selectors.pupils_waiting_for_competence(request.school, _today()))
    return render(
        request,
        "consent/competence_waiting.html",
        {
            "pupils": pupils,
            "can_read_register": consent_access.can_read_register(request.user, request.school),
        },
    )


# --- Photo restrictions (DSL team and headteacher) -------------------------------------------


@require_signed_in
def restriction_set(request: SignedInRequest, pk):
    pupil = consent_access.pupil_get_for_restriction(request.user, pk)
    access.use_school(request, pupil.school)
    form = RestrictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.photo_restriction_set(
                pupil=pupil,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                starts_on=form.cleaned_data["starts_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{pupil.display_name} may not appear in any image.")
            return redirect("consent_pupil_detail", pk=pupil.pk)
    return render(request, "consent/restriction_form.html", {"form": form, "pupil": pupil})


@require_signed_in
def restriction_lift(request: SignedInRequest, pk):
    restriction = consent_access.restriction_get_for_user(request.user, pk)
    access.use_school(request, restriction.school)
    form = LiftRestrictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.photo_restriction_lift(
                restriction=restriction,
                actor=request.user,
                reason=form.cleaned_data["lift_reason"],
                lifted_on=form.cleaned_data["lifted_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Restriction lifted.")
            return redirect("consent_pupil_detail", pk=restriction.pupil_id)
    return render(
        request,
        "consent/restriction_lift.html",
        {"form": form, "restriction": restriction, "pupil": restriction.pupil},
    )
