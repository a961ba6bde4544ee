"""The handling steps, each a small form page: gateway → form → service → redirect. Only the
incident's handlers reach them (404 outside the gateway, 403 for its reporter); each step's own
rule (ICT, harm threshold, imagery) is checked here and again by its service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from incidents.reports import access as incident_access
from incidents.reports import selectors, services
from incidents.reports.forms import (
    ActionForm,
    AssignForm,
    CloseForm,
    EntryForm,
    EvidenceForm,
    IctForm,
    ImageryForm,
    PersonForm,
    StatusForm,
    ThresholdForm,
    TriageForm,
)
from incidents.reports.services.common import NO_IMAGERY_MESSAGE
from incidents.reports.views.incident import _handled
from policies import selectors as policy_selectors
from socialgov import access
from socialgov.access import SignedInRequest, require_POST, require_signed_in
from socialgov.form_errors import add_service_errors


def _page(request, incident, form, *, title: str, submit: str, intro: str = "", **extra):
    return render(
        request,
        "incidents/incident_step_form.html",
        {
            "incident": incident,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "multipart": any(getattr(f.field.widget, "needs_multipart_form", False) for f in form),
            **extra,
        },
    )


def _done(request, incident, message: str):
    messages.success(request, message)
    return redirect("incident_detail", pk=incident.pk)


def _attempt(form, call) -> bool:
    """Run a service call for a valid form; False with its refusal shown on the form."""
    try:
        call()
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@require_signed_in
def incident_triage(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    initial = {
        "category": incident.category,
        "safeguarding_kind": incident.safeguarding_kind,
        "severity": incident.severity,
        "external_reference": incident.external_reference,
    }
    form = TriageForm(request.POST or None, school=incident.school, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.incident_triage(
                incident=incident,
                actor=request.user,
                category=data["category"],
                safeguarding_kind=data["safeguarding_kind"],
                severity=data["severity"],
                handler=data["handler"],
                external_reference=data["external_reference"],
                reason=data["reason"],
            ),
        ):
            return _done(request, incident, f"{incident.reference} is triaged.")
    return _page(
        request,
        incident,
        form,
        title=f"Triage {incident.reference}",
        submit="Triage it",
        intro="Confirm the category, set the severity and choose who handles it. A different "
        "category is routed again at once.",
    )


@require_signed_in
def incident_assign(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    form = AssignForm(request.POST or None, school=incident.school)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.incident_assign(
                incident=incident,
                actor=request.user,
                handler=data["handler"],
                reason=data["reason"],
            ),
        ):
            return _done(request, incident, f"{data['handler'].full_name} now handles it.")
    return _page(
        request, incident, form, title=f"Choose who handles {incident.reference}", submit="Assign"
    )


@require_signed_in
def incident_status(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    allowed = services.TRANSITIONS.get(incident.status, frozenset())
    form = StatusForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.incident_status_change(
                incident=incident, actor=request.user, status=data["status"], reason=data["reason"]
            ),
        ):
            return _done(request, incident, "Status changed.")
    return _page(
        request,
        incident,
        form,
        title=f"Change the status of {incident.reference}",
        submit="Change the status",
        intro="Every change of status records its reason in the chronology. To close it, use "
        "“Close with a debrief”.",
    )


@require_signed_in
def incident_action_add(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    form = ActionForm(
        request.POST or None, school=incident.school, initial={"done_by": request.user}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.incident_action_record(
                incident=incident,
                actor=request.user,
                action_type=data["action_type"],
                happened_at=form.happened_at(),
                done_by=data["done_by"],
                notes=data["notes"],
            ),
        ):
            return _done(request, incident, "Action added to the chronology.")
    return _page(
        request,
        incident,
        form,
        title=f"Record an action on {incident.reference}",
        submit="Add the action",
    )


@require_signed_in
def incident_entry_add(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.incident_entry_add(
                incident=incident, actor=request.user, kind=data["kind"], notes=data["notes"]
            ),
        ):
            return _done(request, incident, "Added to the chronology.")
    return _page(
        request,
        incident,
        form,
        title=f"Add a note, correction or addition to {incident.reference}",
        submit="Add it",
    )


@require_signed_in
def incident_person_add(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    form = PersonForm(
        request.POST or None,
        school=incident.school,
        pupils=selectors.pupils_to_name(request.user, incident.school),
        required=True,
    )
    if request.method == "POST" and form.is_valid():
        person = form.named()
        if _attempt(
            form,
            lambda: services.incident_person_add(
                incident=incident, actor=request.user, person=person
            ),
        ):
            if (
                not incident_access.incident_visible_to(request.user)
                .filter(pk=incident.pk)
                .exists()
            ):
                messages.success(request, "Added. The incident has been passed to others.")
                return redirect("incident_list")
            return _done(request, incident, "Person added.")
    return _page(
        request,
        incident,
        form,
        title=f"Name someone involved in {incident.reference}",
        submit="Add them",
        intro="Naming a member of staff as the subject of concern or alleged perpetrator makes "
        "this a concern about staff conduct: it goes to the case manager at once, and that "
        "person never sees it.",
    )


@require_signed_in
def incident_evidence_add(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    if incident.takes_no_imagery:
        # Refused before any file is sent: this kind of incident never takes uploads.
        messages.error(request, NO_IMAGERY_MESSAGE)
        return redirect("incident_detail", pk=incident.pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.incident_evidence_add(
                incident=incident,
                actor=request.user,
                upload=data["file"],
                description=data["shows"],
            ),
        ):
            return _done(request, incident, "Evidence added.")
    return _page(
        request, incident, form, title=f"Add evidence to {incident.reference}", submit="Upload"
    )


@require_signed_in
def incident_ict(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    access.require_write(incident_access.can_complete_ict(request.user, incident))
    form = IctForm(request.POST or None, school=incident.school, initial={"done_by": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.incident_ict_record(
                incident=incident,
                actor=request.user,
                action_taken=data["action_taken"],
                done_by=data["done_by"],
                done_on=data["done_on"],
            ),
        ):
            return _done(request, incident, "ICT section completed.")
    return _page(
        request,
        incident,
        form,
        title=f"ICT section of {incident.reference}",
        submit="Complete the ICT section",
        intro="To be completed by the network manager or ICT technician.",
    )


@require_signed_in
def incident_threshold(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    access.require_write(incident_access.can_decide_threshold(request.user, incident))
    form = ThresholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.incident_threshold_decide(
                incident=incident,
                actor=request.user,
                threshold_met=data["threshold_met"] == "yes",
                reasons=data["reasons"],
                lado_consulted_at=form.lado_consulted_at(),
                lado_advice=data["lado_advice"],
                context=data["context"],
                action_taken=data["action_taken"],
            ),
        ):
            return _done(request, incident, "Decision recorded.")
    return _page(
        request,
        incident,
        form,
        title=f"Harm threshold: {incident.reference}",
        submit="Record the decision",
        intro="As case manager, decide whether the harm threshold is met. If it is, consult the "
        "LADO within one working day, before any investigation. If not, record it as a "
        "low-level concern with its context and the action taken.",
    )


@require_signed_in
def incident_imagery(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    access.require_write(incident_access.can_decide_imagery(request.user, incident))
    form = ImageryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.incident_imagery_decide(
                incident=incident,
                actor=request.user,
                anyone_viewed=data["anyone_viewed"] == "yes",
                viewed_by=data["viewed_by"],
                viewed_at=form.viewed_at(),
                reason=data["reason"],
                headteacher_informed=data["headteacher_informed"] == "yes",
            ),
        ):
            return _done(request, incident, "Decision recorded.")
    return _page(
        request,
        incident,
        form,
        title=f"Viewing the imagery: {incident.reference}",
        submit="Record the decision",
        intro="Staff never view, copy, print, share or save nude or semi-nude images of a "
        "child. Only the DSL may, exceptionally, decide that someone views one. Record that "
        "decision here; the imagery itself is never uploaded.",
    )


@require_signed_in
def incident_close(request: SignedInRequest, pk):
    incident = _handled(request, pk)
    policies = policy_selectors.policies_for_list(request.user, incident.school)
    form = CloseForm(request.POST or None, policies=policies)
    problems = services.close_problems(incident)
    if request.method == "POST" and form.is_valid() and not problems:
        data = form.cleaned_data
        if _attempt(
            form,
            lambda: services.incident_close(
                incident=incident,
                actor=request.user,
                reason=data["reason"],
                lessons_learnt=data["lessons_learnt"],
                governor_summary=data["governor_summary"],
                policies=data["policies"],
                policy_changes=data["policy_changes"],
            ),
        ):
            flagged = len(data["policies"])
            extra = (
                f" {flagged} polic{'y' if flagged == 1 else 'ies'} flagged for review."
                if flagged
                else ""
            )
            return _done(request, incident, f"{incident.reference} is closed.{extra}")
    return _page(
        request,
        incident,
        form,
        title=f"Close {incident.reference} with a debrief",
        submit="Close it",
        intro="Closing records what was learnt. Policies you choose are flagged for review.",
        problems=problems,
    )


@require_signed_in
@require_POST
def incident_reroute(request: SignedInRequest, pk):
    """Route it again from who holds the roles now (e.g. once a DSL has been appointed)."""
    incident = _handled(request, pk)
    try:
        decision = services.incident_reroute(incident=incident, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("incident_detail", pk=incident.pk)
    if incident_access.incident_visible_to(request.user).filter(pk=incident.pk).exists():
        label = "routed again" if not decision.is_gap else "still has nobody in its group"
        return _done(request, incident, f"{incident.reference} {label}.")
    messages.success(request, f"{incident.reference} has gone to its routing group.")
    return redirect("incident_list")
