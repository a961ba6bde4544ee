"""Bulk entry for a class from a stack of returned forms: one screen, many pupils, many
purposes; nothing is saved until the whole screen is valid."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from consent import access as consent_access
from consent import selectors, services
from consent.forms import ClassDateForm, group_from_value
from consent.forms_bulk import BulkEntryForm
from socialgov.access import SchoolRequest, require_role


@require_role(*consent_access.REGISTER_WRITERS)
def bulk_entry(request: SchoolRequest):
    school, today = request.school, timezone.localdate()
    classes = selectors.classes_of(school, today)
    picker = ClassDateForm(request.GET or None, classes=classes)
    group = group_from_value(request.GET.get("group"))
    if group is None and classes:
        group = classes[0].name
    if group is not None and group not in {c.name for c in classes}:
        raise Http404
    pupils = selectors.pupils_in_class(school, group, today) if group is not None else []
    purposes = selectors.active_purposes(school)
    form = BulkEntryForm(request.POST or None, pupils=pupils, purposes=purposes)
    if request.method == "POST" and form.is_valid():
        entries = form.entries()
        try:
            decisions = services.consent_decisions_record_bulk(
                school=school,
                actor=request.user,
                entries=entries,
                submission_key=form.cleaned_data.get("submission_key"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_entry_errors(entries, error.message_dict)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                f"Recorded {len(decisions)} decisions for class {group or 'with no class'}.",
            )
            value = "-" if group == "" else group
            return redirect(f"{reverse('consent_register')}?group={value}")
    return render(
        request,
        "consent/bulk_entry.html",
        {
            "picker": picker,
            "form": form,
            "classes": classes,
            "group": group,
            "group_value": "-" if group == "" else group,
            "purposes": list(purposes),
        },
    )
