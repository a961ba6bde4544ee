"""Forms for blocked-content requests and the filtering record: they validate and normalise, the
services write. Dates are typed as dd/mm/yyyy."""

from __future__ import annotations

import uuid

from django import forms

from incidents.filtering.models import (
    REVIEW_POINTS,
    CheckResult,
    Device,
    NeverUnblock,
    Outcome,
    Place,
    RequestStatus,
    ReviewTrigger,
    Scope,
    UserGroup,
)
from incidents.filtering.selectors import school_people
from incidents.filtering.services import ActionPlanned, normalise_url
from incidents.reports.forms import UKDateField


def _person(school, label: str, *, required: bool = True, help_text: str = ""):
    field = forms.ModelChoiceField(
        queryset=school_people(school), label=label, required=required, help_text=help_text
    )
    field.label_from_instance = lambda user: user.full_name or user.email
    return field


class UnblockRequestForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    url = forms.CharField(
        label="Full web address of the site",
        max_length=2000,
        help_text="Copy it from the address bar, starting with https://",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )
    site_contents = forms.CharField(label="What the site contains", widget=forms.Textarea)
    reasons = forms.CharField(label="Reasons for access", widget=forms.Textarea)
    risks = forms.CharField(label="Risks", widget=forms.Textarea)
    control_measures = forms.CharField(
        label="Control measures",
        widget=forms.Textarea,
        help_text="How the risks will be kept low (for example shown only from your screen).",
    )
    scope = forms.ChoiceField(label="Who needs access", choices=Scope.choices)
    scope_detail = forms.CharField(
        label="Which class or group", max_length=200, required=False, help_text="For a class."
    )
    end_date = UKDateField(label="Access needed until")

    def clean_url(self):
        try:
            return normalise_url(self.cleaned_data["url"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["url"]) from None

    def clean(self):
        data = super().clean()
        if data.get("scope") == Scope.CLASS and not (data.get("scope_detail") or "").strip():
            self.add_error("scope_detail", "Say which class or group needs access.")
        return data


class ReviewForm(forms.Form):
    technical_notes = forms.CharField(
        widget=forms.Textarea,
        help_text="The filter's category for the site, and how it can be opened.",
    )
    never_unblock = forms.ChoiceField(
        label="Is the site on a list that can never be unblocked?",
        choices=NeverUnblock.choices,
        required=False,
        widget=forms.RadioSelect,
        initial="",
        help_text="A site on either list is refused outright: nobody can override them.",
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea,
        help_text="Kept in the decision log for the yearly filtering review.",
    )
    approved_until = UKDateField(
        label="Unblocked until",
        required=False,
        help_text="When approving: the last day it stays open, for example 01/09/2026.",
    )

    def clean(self):
        data = super().clean()
        approving = data.get("outcome") == Outcome.APPROVED
        if approving and not data.get("approved_until") and "approved_until" not in self.errors:
            self.add_error("approved_until", "Give the date the site is unblocked until.")
        return data


class ConfirmForm(forms.Form):
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class LogFilterForm(forms.Form):
    start = UKDateField(label="From", required=False)
    end = UKDateField(label="To", required=False)
    outcome = forms.ChoiceField(
        choices=[("", "Any outcome"), *RequestStatus.choices], required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must not be before the start date.")
        return data


class RolesForm(forms.Form):
    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slt_lead"] = _person(
            school, "SLT lead for filtering and monitoring", required=False
        )
        self.fields["governor"] = _person(school, "Governor responsible", required=False)
        self.fields["it_provider"] = _person(
            school, "IT provider: a member of staff", required=False
        )
        self.fields["it_contractor"] = forms.CharField(
            label="or IT provider: a contractor",
            max_length=200,
            required=False,
            help_text="The company or person, when the IT provider is not on the staff.",
        )


class CheckForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    checked_on = UKDateField(label="Date of the check")
    device = forms.ChoiceField(label="Device type", choices=Device.choices)
    place = forms.ChoiceField(label="Where on site", choices=Place.choices)
    user_group = forms.ChoiceField(label="User group", choices=UserGroup.choices)
    tested = forms.CharField(
        label="What was tested",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example the test sites or categories tried.",
    )
    result = forms.ChoiceField(choices=CheckResult.choices, widget=forms.RadioSelect)
    actions = forms.CharField(
        label="Actions that followed",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed when something was not blocked.",
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("result") == CheckResult.NOT_BLOCKED
            and not (data.get("actions") or "").strip()
        ):
            self.add_error("actions", "Something was not blocked: say what was done about it.")
        return data


ACTION_ROWS = 3


class FilteringReviewForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, school, out_of_cycle: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.out_of_cycle = out_of_cycle
        if out_of_cycle:
            self.fields["trigger"] = forms.ChoiceField(
                label="What prompted this review",
                choices=[("", "Choose one"), *ReviewTrigger.choices[1:]],
            )
            self.fields["trigger_detail"] = forms.CharField(
                label="Tell us more", widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
        self.fields["held_on"] = UKDateField(label="Date of the review")
        self.fields["slt_lead"] = _person(school, "SLT lead")
        self.fields["dsl"] = _person(school, "DSL")
        self.fields["it_provider"] = _person(
            school, "IT provider: a member of staff", required=False
        )
        self.fields["it_contractor"] = forms.CharField(
            label="or IT provider: a contractor", max_length=200, required=False
        )
        self.fields["governor"] = _person(school, "Governor responsible")
        for name, label in REVIEW_POINTS:
            self.fields[name] = forms.CharField(
                label=label, widget=forms.Textarea(attrs={"rows": 3}), required=False
            )
        self.fields["findings"] = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}"] = forms.CharField(
                label=f"Action {n}", max_length=500, required=False
            )
            self.fields[f"action_{n}_owner"] = _person(school, f"Action {n}: owner", required=False)
            self.fields[f"action_{n}_due"] = UKDateField(label=f"Action {n}: by", required=False)

    def clean(self):
        data = super().clean()
        if not data.get("it_provider") and not (data.get("it_contractor") or "").strip():
            self.add_error(
                "it_provider", "The IT provider must take part: a member of staff or a contractor."
            )
        for n in range(1, ACTION_ROWS + 1):
            text = (data.get(f"action_{n}") or "").strip()
            owner, due = data.get(f"action_{n}_owner"), data.get(f"action_{n}_due")
            if text and (owner is None or due is None) and f"action_{n}_due" not in self.errors:
                self.add_error(f"action_{n}", "Give this action an owner and a date.")
        return data

    def planned_actions(self) -> list[ActionPlanned]:
        data = self.cleaned_data
        return [
            ActionPlanned(
                action=data[f"action_{n}"].strip(),
                owner=data[f"action_{n}_owner"],
                due_on=data[f"action_{n}_due"],
            )
            for n in range(1, ACTION_ROWS + 1)
            if (data.get(f"action_{n}") or "").strip()
        ]

    def points(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name, _label in REVIEW_POINTS}
