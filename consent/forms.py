"""Forms of the consent register. They validate and normalise; the services record."""

from __future__ import annotations

import datetime as dt
import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models.functions import Lower

from consent.models import (
    CONSENT_OUTCOMES,
    PUBLIC_TASK_OUTCOMES,
    GivenBy,
    LawfulBasis,
    Method,
    Outcome,
    ParentCarer,
    Pupil,
    Purpose,
    Relationship,
    SchoolConsentSettings,
)
from socialgov.dates import DATE_MESSAGE, today
from socialgov.people.models import Membership
from socialgov.uploads.forms import PrivateFileField

UK_DATE = "%d/%m/%Y"
DATE_HELP = "Like 01/09/2026."


class UKDateField(forms.DateField):
    """A date typed as dd/mm/yyyy and shown the same way."""

    def __init__(self, *, label: str, **kwargs):
        kwargs.setdefault("help_text", DATE_HELP)
        super().__init__(
            label=label,
            input_formats=[UK_DATE, "%Y-%m-%d"],
            widget=forms.DateInput(
                format=UK_DATE,
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
            ),
            error_messages={
                "required": f"Enter the {label.lower()}, like 01/09/2026.",
                "invalid": DATE_MESSAGE,
            },
            **kwargs,
        )


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template has its own csrf_token
    return helper


def outcome_choices(purpose_basis: str | None = None, *, correction: bool = False):
    """Outcomes grouped by the lawful basis they belong to (a purpose's own basis only, when
    known); a correction may also say the decision was recorded in error."""
    consent = (
        "For a consent purpose",
        [(o.value, o.label) for o in map(Outcome, CONSENT_OUTCOMES)],
    )
    task = (
        "For a public-task purpose",
        [(o.value, o.label) for o in map(Outcome, PUBLIC_TASK_OUTCOMES)],
    )
    if purpose_basis == LawfulBasis.CONSENT:
        groups = [consent]
    elif purpose_basis == LawfulBasis.PUBLIC_TASK:
        groups = [task]
    else:
        groups = [consent, task]
    if correction:
        groups.append(("Or", [(Outcome.VOID.value, "It was recorded in error: it does not count")]))
    return [("", "Choose…"), *groups]


class SubmissionKeyMixin(forms.Form):
    """A random key per form shown: the same form sent twice records once."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_key", uuid.uuid4())


class DecisionForm(SubmissionKeyMixin):
    """One decision about one pupil, as it arrived (a form, a letter, an e-mail, a call)."""

    purpose = forms.ModelChoiceField(queryset=Purpose.objects.none(), empty_label="Choose…")
    outcome = forms.ChoiceField(label="Decision", choices=outcome_choices())
    given_by = forms.ChoiceField(
        label="Given by", choices=GivenBy.choices, widget=forms.RadioSelect,
        initial=GivenBy.PARENT_CARER,
    )  # fmt: skip
    carer = forms.ModelChoiceField(
        label="Parent or carer already recorded",
        queryset=ParentCarer.objects.none(),
        required=False,
        empty_label="Someone new (type their name below)",
    )
    carer_name = forms.CharField(
        label="Name of the person with parental responsibility", max_length=150, required=False
    )
    relationship = forms.ChoiceField(
        label="Their relationship to the pupil",
        choices=[("", "Choose…"), *Relationship.choices],
        required=False,
    )
    method = forms.ChoiceField(label="How it arrived", choices=Method.choices)
    received_on = UKDateField(label="Date received")
    effective_on = UKDateField(
        label="Counts from", required=False, help_text="Leave empty: from the date received."
    )
    expires_on = UKDateField(
        label="Expires after", required=False, help_text="A yes only. Leave empty: no expiry."
    )
    evidence = PrivateFileField(
        label="Scan of the form, letter or e-mail", required=False, allowed={"pdf", "png", "jpeg"}
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, pupil: Pupil, purposes, **kwargs):
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.fields["purpose"].queryset = purposes
        self.fields["carer"].queryset = ParentCarer.objects.filter(pupil=pupil).order_by(
            Lower("full_name")
        )
        if not self.fields["carer"].queryset.exists():
            del self.fields["carer"]
            self.fields["carer_name"].label = "Name of the person with parental responsibility"
        self.initial.setdefault("received_on", today())
        limit = pupil.school.pupil_competence_age
        if pupil.age_on(today()) < limit:
            self.fields["given_by"].choices = [(GivenBy.PARENT_CARER, GivenBy.PARENT_CARER.label)]
            self.fields["given_by"].help_text = (
                f"The pupil's own decision is recorded from age {limit} (the school's competence "
                "age)."
            )
        else:
            self.fields[
                "given_by"
            ].help_text = "A pupil's own decision counts once a competence assessment is recorded."
        self.helper = _helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("given_by") == GivenBy.PARENT_CARER:
            if not cleaned.get("carer") and not (cleaned.get("carer_name") or "").strip():
                self.add_error(
                    "carer_name", "Enter the name of the person with parental responsibility."
                )
            if not cleaned.get("carer") and not cleaned.get("relationship"):
                self.add_error("relationship", "Choose their relationship to the pupil.")
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        parent = data["given_by"] == GivenBy.PARENT_CARER
        return {
            "purpose": data["purpose"],
            "outcome": data["outcome"],
            "given_by": data["given_by"],
            "carer": data.get("carer") if parent else None,
            "carer_name": data.get("carer_name", "") if parent else "",
            "relationship": data.get("relationship", "") if parent else "",
            "method": data["method"],
            "received_on": data["received_on"],
            "effective_on": data.get("effective_on"),
            "expires_on": data.get("expires_on"),
            "evidence": data.get("evidence"),
            "note": data.get("note", ""),
            "submission_key": data.get("submission_key"),
        }


class CorrectionForm(forms.Form):
    outcome = forms.ChoiceField(label="What the decision should have said")
    note = forms.CharField(
        label="What was wrong",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: entered against the wrong pupil; the form said no.",
    )
    evidence = PrivateFileField(
        label="Scan of the evidence (if it differs)", required=False,
        allowed={"pdf", "png", "jpeg"},
    )  # fmt: skip

    def __init__(self, *args, purpose: Purpose, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcome_choices(purpose.lawful_basis, correction=True)
        self.helper = _helper()


class CompetenceForm(SubmissionKeyMixin):
    competent = forms.TypedChoiceField(
        label="Outcome",
        choices=[("yes", "Competent to decide about their own images"), ("no", "Not yet")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    assessed_by = forms.ModelChoiceField(
        label="Assessed by", queryset=Membership.objects.none(), empty_label="Choose…"
    )
    assessed_on = UKDateField(label="Date of the assessment")
    note = forms.CharField(
        label="How they showed they understand (or did not)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, school, actor, **kwargs):
        super().__init__(*args, **kwargs)
        members = (
            Membership.objects.current()
            .filter(school=school, user__is_active=True)
            .exclude(staff_group="governor")
            .select_related("user")
            .order_by(Lower("user__full_name"))
        )
        field = self.fields["assessed_by"]
        field.queryset = members
        field.label_from_instance = lambda membership: membership.user.full_name
        mine = next((m for m in members if m.user_id == actor.pk), None)
        if mine is not None:
            self.initial.setdefault("assessed_by", mine.pk)
        self.initial.setdefault("assessed_on", today())
        self.helper = _helper()


class RestrictionForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the DSL team and the headteacher see this. Everyone else sees “may not "
        "appear — speak to the DSL”.",
    )
    starts_on = UKDateField(label="From")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("starts_on", today())
        self.helper = _helper()


class LiftRestrictionForm(forms.Form):
    lift_reason = forms.CharField(
        label="Why it is lifted", widget=forms.Textarea(attrs={"rows": 2})
    )
    lifted_on = UKDateField(label="Lifted from")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("lifted_on", today())
        self.helper = _helper()


class PupilForm(forms.ModelForm):
    date_of_birth = UKDateField(label="Date of birth", help_text="")
    admission_date = UKDateField(label="Admission date", required=False, help_text="")
    leaving_date = UKDateField(
        label="Leaving date", required=False, help_text="From this day the pupil has left."
    )

    class Meta:
        model = Pupil
        fields = [
            "legal_forename",
            "legal_surname",
            "preferred_forename",
            "preferred_surname",
            "date_of_birth",
            "year_group",
            "registration_group",
            "upn",
            "admission_number",
            "admission_date",
            "leaving_date",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upn"].widget.attrs["autocomplete"] = "off"
        self.helper = _helper()

    def _post_clean(self):
        # The service validates the whole pupil (school and constraints included).
        pass


class LeaveForm(forms.Form):
    leaving_date = UKDateField(label="Leaving date", help_text="From this day the pupil has left.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("leaving_date", today())
        self.helper = _helper()


class PurposeForm(forms.ModelForm):
    class Meta:
        model = Purpose
        fields = [
            "name",
            "description",
            "media",
            "audience",
            "lawful_basis",
            "valid_for_years",
            "is_active",
            "order",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "lawful_basis": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].help_text = "Purposes are listed from the lowest number."
        self.helper = _helper()

    def _post_clean(self):
        pass  # the service validates (the school is not on the form)


class ConsentSettingsForm(forms.ModelForm):
    class Meta:
        model = SchoolConsentSettings
        fields = ["presume_competence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


NO_CLASS_VALUE = "-"  # pupils with no registration group: a choice needs a non-empty value


def class_choices(classes) -> list[tuple[str, str]]:
    return [(c.name or NO_CLASS_VALUE, f"{c.label} ({c.pupils})") for c in classes]


def group_from_value(value: str | None) -> str | None:
    """A class as chosen in a form: "-" is the pupils with no class; None, nothing chosen."""
    if value in (None, ""):
        return None
    return "" if value == NO_CLASS_VALUE else value


class ClassDateForm(forms.Form):
    """Which class, and on which date (the register grid, gaps, bulk entry, the class sheet)."""

    group = forms.ChoiceField(label="Class")
    on = UKDateField(label="On", required=False, help_text="")

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = class_choices(classes)

    def chosen(self, default_group: str | None) -> tuple[str | None, dt.date]:
        """The class and date asked for; the first class and today when nothing valid was."""
        if self.is_bound and self.is_valid():
            return group_from_value(self.cleaned_data["group"]), self.cleaned_data.get(
                "on"
            ) or today()
        return default_group, today()


class LookupForm(forms.Form):
    group = forms.ChoiceField(label="Class", required=False)
    q = forms.CharField(
        label="Or pupils by name", required=False, max_length=100,
        help_text="Part of a first name or surname.",
    )  # fmt: skip
    purpose = forms.ModelChoiceField(
        label="Used for", queryset=Purpose.objects.none(), empty_label="Choose…"
    )
    on = UKDateField(label="On", required=False, help_text="Leave empty for today.")

    def __init__(self, *args, classes, purposes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "Choose…"), *class_choices(classes)]
        self.fields["purpose"].queryset = purposes

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("group") and not (cleaned.get("q") or "").strip():
            self.add_error("group", "Choose a class, or type a pupil's name.")
        return cleaned


class SheetForm(forms.Form):
    group = forms.ChoiceField(label="Class")
    purposes = forms.ModelMultipleChoiceField(
        label="Uses on the sheet",
        queryset=Purpose.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None ticked: every purpose in use.",
    )

    def __init__(self, *args, classes, purposes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = class_choices(classes)
        self.fields["purposes"].queryset = purposes


class PupilSearchForm(forms.Form):
    q = forms.CharField(label="Name, UPN or admission number", required=False, max_length=100)
    group = forms.ChoiceField(label="Class", required=False)
    left = forms.BooleanField(label="Include pupils who have left", required=False)

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "Every class"), *class_choices(classes)]


class PupilImportForm(forms.Form):
    csv_file = forms.FileField(
        label="CSV file from the MIS",
        help_text="A SIMS report, or an Arbor or Bromcom export, saved as CSV. Up to 5,000 pupils "
        "and 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_csv_file(self) -> bytes:
        from consent.pupil_import import PUPIL_CSV

        upload = self.cleaned_data["csv_file"]
        if upload.size > PUPIL_CSV.max_bytes:
            raise forms.ValidationError(
                "The file is larger than 5 MB. Split it into smaller files."
            )
        return upload.read()


class PupilImportConfirmForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    full_roll = forms.BooleanField(
        label="This file is the full roll: mark the pupils who are not in it as left",
        required=False,
    )
