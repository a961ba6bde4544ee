"""Forms of declarations and policy exceptions: they validate and normalise; services record."""

from __future__ import annotations

import uuid

from crispy_forms.helper import FormHelper
from django import forms

from policies.declarations.models import (
    Concerns,
    ConfirmationKind,
    ExceptionFor,
    Outcome,
)
from socialgov.uploads.forms import PrivateFileField

UK_DATE = "%d/%m/%Y"


class UKDateField(forms.DateField):
    """A date typed as dd/mm/yyyy and shown the same way."""

    def __init__(self, *, label: str, **kwargs):
        kwargs.setdefault("help_text", "Like 01/09/2026.")
        super().__init__(
            label=label,
            input_formats=[UK_DATE, "%Y-%m-%d"],
            widget=forms.DateInput(
                format=UK_DATE,
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
            ),
            error_messages={
                "required": f"Enter the {label.lower()}, like 01/09/2026.",
                "invalid": "Enter a date like 01/09/2026.",
            },
            **kwargs,
        )


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template has its own csrf_token
    return helper


def _choices(choices, prompt="Choose…"):
    return [("", prompt), *choices]


class SubmissionKeyForm(forms.Form):
    """A random key per form shown: the same form sent twice records once."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_key", uuid.uuid4())
        self.fields["submission_key"].error_messages["required"] = (
            "The form was incomplete: please fill it in again."
        )
        self.fields["submission_key"].error_messages["invalid"] = (
            "The form was incomplete: please fill it in again."
        )
        self.helper = _helper()


class DeclarationForm(SubmissionKeyForm):
    concerns = forms.ChoiceField(
        label="Who does it concern?",
        choices=_choices(Concerns.choices),
        error_messages={"required": "Choose who the declaration concerns."},
    )
    concerns_name = forms.CharField(
        label="Their name, or a description",
        max_length=200,
        help_text="For example “my sister's son, in Year 3” or “the family next door”.",
        error_messages={"required": "Write who it concerns (a name or a description)."},
    )
    pupil = forms.ModelChoiceField(
        label="The pupil's record (optional)",
        queryset=None,
        required=False,
        help_text="When it is about a pupil on the roll, choose them so the record is linked.",
    )
    nature = forms.CharField(
        label="The nature of the contact",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="How you know them, and how you are in touch online or in person.",
        error_messages={"required": "Describe the contact."},
    )
    platforms = forms.CharField(
        label="On which platforms",
        max_length=300,
        required=False,
        help_text="For example Facebook, WhatsApp, Instagram. Leave empty if none.",
    )
    since = UKDateField(label="Since when")

    def __init__(self, *args, pupils, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["pupil"]
        field.queryset = pupils
        field.error_messages["invalid_choice"] = "Choose a pupil from the list."
        if not pupils.exists():
            del self.fields["pupil"]


class DecisionForm(forms.Form):
    decisions_seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=30000)
    outcome = forms.ChoiceField(
        label="Decision",
        choices=_choices(Outcome.choices),
        error_messages={"required": "Choose the decision."},
    )
    advice = forms.CharField(
        label="Advice given",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Write the advice given: the decision is recorded with it."},
    )
    conditions = forms.CharField(
        label="Conditions",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text="Needed when the contact is allowed with conditions.",
    )
    discussed_with = forms.CharField(
        label="Discussed by",
        max_length=300,
        required=False,
        help_text="Who took part (e.g. the headteacher and the DSL).",
    )
    review_on = UKDateField(label="Review date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decisions_seen"].error_messages["required"] = (
            "The form was incomplete: please fill it in again."
        )
        self.helper = _helper()


class ConfirmationForm(forms.Form):
    kind = forms.ChoiceField(
        label="Your answer for this year",
        choices=ConfirmationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your answer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DeclarationFilterForm(forms.Form):
    show = forms.CharField(required=False, max_length=20)


class ExceptionForm(SubmissionKeyForm):
    for_kind = forms.ChoiceField(
        label="Who is it for?",
        choices=_choices(ExceptionFor.choices),
        error_messages={"required": "Choose who the exception is for."},
    )
    for_name = forms.CharField(
        label="Their name",
        max_length=200,
        required=False,
        help_text="Needed for a visitor; for a pupil or a colleague chosen below it can be empty.",
    )
    pupil = forms.ModelChoiceField(label="The pupil (optional)", queryset=None, required=False)
    staff_member = forms.ModelChoiceField(
        label="The member of staff", queryset=None, required=False
    )
    policy = forms.ModelChoiceField(
        label="The policy", queryset=None, required=False, help_text="The policy it departs from."
    )
    rule = forms.CharField(
        label="The rule it departs from",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Write the rule it departs from."},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Write why the exception is needed."},
    )
    risk_assessment = forms.CharField(
        label="Risk assessment",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        error_messages={"required": "Write the risk assessment."},
    )
    conditions = forms.CharField(
        label="Conditions",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Write the conditions it is allowed under."},
    )
    agreement = PrivateFileField(label="Written agreement (optional)", required=False)
    starts_on = UKDateField(label="Start date")
    ends_on = UKDateField(
        label="End date", help_text="Like 31/07/2027. It expires at the start of this day."
    )

    def __init__(self, *args, pupils, staff, policies, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in (("pupil", pupils), ("staff_member", staff), ("policy", policies)):
            self.fields[name].queryset = queryset
            self.fields[name].error_messages["invalid_choice"] = "Choose one from the list."
        self.fields["staff_member"].label_from_instance = lambda user: user.full_name
        if not pupils.exists():
            del self.fields["pupil"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end <= start:
            self.add_error("ends_on", "The end date must be after the start date.")
        return cleaned


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label="Why is it declined?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": "Write why it is declined."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
