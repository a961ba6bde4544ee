"""Forms of the training log: they validate and normalise; the services record."""

from __future__ import annotations

import uuid

from crispy_forms.helper import FormHelper
from django import forms

from socialgov.training.models import TrainingKind

UK_DATE = "%d/%m/%Y"


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template has its own csrf_token
    return helper


class SessionForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    title = forms.CharField(
        max_length=200, error_messages={"required": "Write the session's title."}
    )
    kind = forms.ChoiceField(
        label="Kind of training",
        choices=[("", "Choose…"), *TrainingKind.choices],
        error_messages={"required": "Choose what kind of training it was."},
    )
    held_on = forms.DateField(
        label="Date",
        input_formats=[UK_DATE, "%Y-%m-%d"],
        widget=forms.DateInput(
            format=UK_DATE,
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        ),
        help_text="Like 01/09/2026.",
        error_messages={
            "required": "Enter the date of the session, like 01/09/2026.",
            "invalid": "Enter a date like 01/09/2026.",
        },
    )
    provider = forms.CharField(
        max_length=200, required=False, help_text="Who gave it (e.g. the DSL, an online course)."
    )
    minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=5,
        max_value=2400,
        error_messages={
            "required": "Enter the length in minutes.",
            "invalid": "Enter a whole number of minutes.",
            "min_value": "Enter at least 5 minutes.",
            "max_value": "Enter at most 2400 minutes.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_key", uuid.uuid4())
        self.fields["submission_key"].error_messages.update(
            required="The form was incomplete: please fill it in again.",
            invalid="The form was incomplete: please fill it in again.",
        )
        self.helper = _helper()


class AttendanceForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label="Who attended",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one person.",
            "invalid_choice": "Choose people from the list.",
            "invalid_pk_value": "Choose people from the list.",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda user: user.full_name
        self.helper = _helper()


class ImportForm(forms.Form):
    csv_file = forms.FileField(
        label="CSV file",
        help_text="A column headed “Email” is needed; “Name” and “Completed on” are optional.",
        error_messages={"required": "Choose a CSV file.", "empty": "The file is empty."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_csv_file(self) -> bytes:
        upload = self.cleaned_data["csv_file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError("The file is larger than 1 MB: split it.")
        return upload.read()


class ImportConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


class SettingsForm(forms.Form):
    induction_within_days = forms.IntegerField(
        label="New starters are due for induction within (days)",
        min_value=1,
        max_value=365,
        error_messages={
            "required": "Enter a number of days.",
            "invalid": "Enter a whole number of days.",
            "min_value": "Enter at least 1 day.",
            "max_value": "Enter at most 365 days.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
