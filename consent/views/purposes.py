"""Purposes and the school's consent settings: read by staff, changed by the headteacher and
the DPO. Views are thin: gateway → form → service → redirect (STYLE)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from consent import access as consent_access
from consent import selectors, services
from consent.forms import ConsentSettingsForm, PurposeForm
from socialgov import access
from socialgov.access import (
    SchoolRequest,
    SignedInRequest,
    require_POST,
    require_role,
    require_signed_in,
)
from socialgov.audit.history import render_history
from socialgov.form_errors import add_service_errors


@require_role(*consent_access.LOOKUP_ROLES)
def purpose_list(request: SchoolRequest):
    school = request.school
    return render(
        request,
        "consent/purpose_list.html",
        {
            "purposes": list(selectors.purposes_for_school(school)),
            "settings": services.consent_settings_for(school),
            "can_edit": consent_access.can_edit_purposes(request.user, school),
            "can_read_register": consent_access.can_read_register(request.user, school),
            "defaults_missing": len(services.DEFAULT_PURPOSES)
            > selectors.purposes_for_school(school).exclude(kind="custom").count(),
        },
    )


@require_role(*consent_access.PURPOSE_EDITORS)
@require_POST
def purpose_defaults(request: SchoolRequest):
    added = services.purpose_defaults_create(school=request.school, actor=request.user)
    if added:
        messages.success(request, f"Added {len(added)} default purposes.")
    else:
        messages.info(request, "The school already has every default purpose.")
    return redirect("consent_purpose_list")


@require_role(*consent_access.PURPOSE_EDITORS)
def purpose_create(request: SchoolRequest):
    form = PurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            purpose = services.purpose_create(
                school=request.school, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{purpose.name}” added.")
            return redirect("consent_purpose_list")
    return render(request, "consent/purpose_form.html", {"form": form, "purpose": None})


@require_signed_in
def purpose_edit(request: SignedInRequest, pk):
    purpose = consent_access.purpose_get_for_user(request.user, pk, write=True)
    access.use_school(request, purpose.school)
    form = PurposeForm(request.POST or None, instance=purpose)
    if request.method == "POST" and form.is_valid():
        try:
            services.purpose_update(purpose=purpose, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Purpose saved.")
            return redirect("consent_purpose_list")
    return render(request, "consent/purpose_form.html", {"form": form, "purpose": purpose})


@require_signed_in
def purpose_history(request: SignedInRequest, pk):
    purpose = consent_access.purpose_get_for_user(request.user, pk)
    access.use_school(request, purpose.school)
    access.require_write(
        consent_access.can_read_register(request.user, purpose.school)
        or consent_access.can_edit_purposes(request.user, purpose.school)
    )
    return render_history(
        request,
        purpose,
        title=f"History of the purpose “{purpose.name}”",
        back_url=reverse("consent_purpose_list"),
    )


@require_role(*consent_access.PURPOSE_EDITORS)
def consent_settings(request: SchoolRequest):
    school = request.school
    form = ConsentSettingsForm(request.POST or None, instance=services.consent_settings_for(school))
    if request.method == "POST" and form.is_valid():
        services.consent_settings_update(
            school=school,
            actor=request.user,
            presume_competence=form.cleaned_data["presume_competence"],
        )
        messages.success(request, "Consent settings saved.")
        return redirect("consent_purpose_list")
    return render(request, "consent/settings_form.html", {"form": form, "school": school})
